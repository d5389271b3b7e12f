//! What each fuzz target checks, as plain functions of the input bytes: the fuzz targets
//! (`fuzz_targets/`, run by `cargo +nightly fuzz`) call them, and so does the stable test
//! `tests/fuzz_replay.rs`, which replays every seed and every past finding (`fuzz/regressions/`)
//! on every run of the test command, with or without a nightly toolchain. One copy of each check.
//!
//! Each function panics (an assertion) when it finds a bug, and only then.

#![allow(dead_code)] // each fuzz target uses one of them

use sharestate::avl::{replay, snapshot, verify_lookups, Digest};
use sharestate::ergo::parse_address_or_tree;
use sharestate::{Address, Constant, Network, Operation, ShareState};

/// Any text as an address or ErgoTree: an error, or an address that encodes back to itself.
pub fn address(data: &[u8]) {
    let Ok(s) = std::str::from_utf8(data) else { return };
    if let Ok(a) = Address::parse(s) {
        assert_eq!(Address::parse(&a.encode()), Ok(a.clone()));
        let _ = a.miner_key();
    }
    if let Ok(a) = parse_address_or_tree(s, Network::Testnet) {
        // the tree's own address may be of another kind (a P2S address can hold a P2PK tree)
        let back = Address::from_ergo_tree(&a.proposition_bytes(), a.network).expect("a checked tree");
        assert_eq!(back.proposition_bytes(), a.proposition_bytes());
    }
}

/// Any bytes as a proof, digest and keys: an error or a result, never a panic.
pub fn proof_bytes(data: &[u8]) {
    if data.len() < 66 {
        let _ = verify_lookups(&Digest::EMPTY, data, &[[7u8; 32]], None);
        return;
    }
    let (head, proof) = data.split_at(65);
    let mut digest = Digest::EMPTY;
    digest.0.copy_from_slice(&head[..33]);
    let mut key = [0u8; 32];
    key.copy_from_slice(&head[33..65]);
    let _ = verify_lookups(&digest, proof, &[key], None);
    let _ = verify_lookups(&Digest::EMPTY, proof, &[key], Some(9));
    let ops = [
        Operation::Insert(key, vec![1; 9]),
        Operation::Remove(key),
        Operation::Update([9; 32], vec![]),
    ];
    let _ = replay(&digest, proof, &ops, None);
    let _ = replay(&Digest::EMPTY, proof, &ops, None);
}

fn key(i: u8) -> [u8; 32] {
    sharestate::encoding::hash::blake2b256(&[i])
}

/// Real proofs of fuzzer-chosen operations on a real tree, then fuzzer-chosen corruptions of
/// the proof and the operations: the honest proof must verify to the prover's results, and a
/// corrupted one must give an error or a result, never a panic.
pub fn proof_ops(data: &[u8]) {
    let Some((&size, rest)) = data.split_first() else {
        return;
    };
    let mut state = ShareState::from_entries((0..size % 64).map(|i| (key(i), vec![i; 9]))).unwrap();
    // operations: 2 bytes each until a 0xff separator
    let split = rest.iter().position(|b| *b == 0xff).unwrap_or(rest.len());
    let (op_bytes, corruption) = rest.split_at(split);
    let ops: Vec<Operation> = op_bytes
        .chunks(2)
        .map(|c| {
            let k = key(c[0] % 96);
            match c.get(1).copied().unwrap_or(0) % 5 {
                0 => Operation::Lookup(k),
                1 => Operation::Insert(k, vec![c[0]; (c[0] % 11) as usize]),
                2 => Operation::Update(k, vec![1; 9]),
                3 => Operation::InsertOrUpdate(k, vec![]),
                _ => Operation::Remove(k),
            }
        })
        .collect();
    let before = state.digest();
    let Ok(p) = state.prove_without_applying(&ops) else {
        return;
    };
    let honest = replay(&before, &p.proof, &ops, None).expect("an honest proof verifies");
    assert_eq!(honest.digest, p.digest_after);
    assert_eq!(honest.old_values, p.old_values);
    // corruptions: (position, xor) pairs
    let mut bad = p.proof.clone();
    for c in corruption.get(1..).unwrap_or(&[]).chunks(3) {
        if c.len() == 3 && !bad.is_empty() {
            let at = u16::from_be_bytes([c[0], c[1]]) as usize % bad.len();
            bad[at] ^= c[2];
        }
    }
    if corruption.len() % 7 == 3 {
        bad.truncate(bad.len() / 2);
    }
    let _ = replay(&before, &bad, &ops, None);
    let _ = replay(&before, &p.proof, &ops[..ops.len() / 2], None);
}

/// Any bytes as a register value: an error or a constant that serializes back to a form that
/// parses to the same constant.
pub fn register(data: &[u8]) {
    if let Ok(c) = Constant::parse(data) {
        let again = Constant::parse(&c.to_bytes()).expect("our own serialization parses");
        assert_eq!(again, c);
    }
}

/// Any bytes as a snapshot, binary or JSON: an error or a state whose digest is the declared one.
pub fn snapshot(data: &[u8]) {
    if let Ok(mut s) = snapshot::from_bytes(data) {
        let again = snapshot::from_bytes(&snapshot::to_bytes(&mut s)).expect("our own snapshot imports");
        assert_eq!(again.entries(), s.entries());
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = snapshot::from_json(text);
    }
}
