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

/// A small real epoch for the walker: the answers an honest node gives, by id.
struct Chain {
    start: sharestate::ergo::Id,
    answers: std::collections::HashMap<sharestate::ergo::Id, (String, String)>,
}

/// A hardened epoch of 12 miners, two payouts of 4 and an empty one (which the contract
/// refuses), then the operator's close at the deadline (answers in the node's and the
/// explorer's JSON; transaction h is in block 10 + h).
fn chain() -> &'static Chain {
    use sharestate::encoding::hash::blake2b256;
    use sharestate::ergo::json::{box_json, transaction_json, Flavor};
    use sharestate::ergo::{ErgoBox, Id, Token, UnsignedTransaction};
    use sharestate::posted::epoch::{self, Contracts, Funding, Opening, Payout};
    use sharestate::ShareValue;
    static CHAIN: std::sync::OnceLock<Chain> = std::sync::OnceLock::new();
    CHAIN.get_or_init(|| {
        let script = |i: u32| [&[0x00, 0x08, 0xcd, 0x02][..], &blake2b256(&i.to_be_bytes())].concat();
        let funding = |seed: u8| Funding {
            inputs: vec![ErgoBox {
                value: 100_000_000_000,
                ergo_tree: script(999),
                creation_height: 1,
                tokens: vec![Token { id: [5; 32], amount: 2 }],
                registers: vec![],
                transaction_id: Id([seed; 32]),
                index: 0,
            }],
            change_tree: script(999),
            fee: 1_000_000,
        };
        let mut state = ShareState::from_entries(
            (0..12).map(|i| (blake2b256(&script(i)), ShareValue::unpaid(1000).to_bytes().to_vec())),
        )
        .expect("a state");
        let mut operator = [7u8; 33];
        operator[0] = 2;
        let contracts = Contracts::hardened(&operator).expect("an operator key");
        let opening = Opening {
            contracts: &contracts,
            max_score: 12_000,
            deadline: 14,
            reward: 1_200_000_000,
            pool_token: Some([5; 32]),
        };
        let mut txs: Vec<UnsignedTransaction> = vec![epoch::open(&opening, &mut state, &funding(1), 10).expect("open")];
        let keys = state.keys();
        for (n, batch) in [&keys[0..4], &keys[4..8], &keys[8..8]].into_iter().enumerate() {
            let outs = txs.last().expect("a tx").transaction().output_boxes();
            let b = sharestate::posted::prove_payout(&mut state, batch, 1_200_000_000, 12_000, true).expect("proved");
            let tx = epoch::payout(
                &Payout {
                    state_box: &outs[0],
                    reward_box: &outs[1],
                    batch: &b,
                    script_of: &|k| (0..12).map(script).find(|s| blake2b256(s) == *k),
                },
                &funding(2 + n as u8),
                10 + n as u32,
            )
            .expect("payout");
            txs.push(tx);
        }
        let outs = txs.last().expect("a tx").transaction().output_boxes();
        txs.push(epoch::close(&outs[0], Some(&outs[1]), &funding(9), 13).expect("close"));
        // every box and transaction, with who spent each box
        let mut spent_by = std::collections::HashMap::new();
        for tx in &txs {
            let id = tx.transaction().id();
            for i in &tx.inputs {
                spent_by.insert(i.spent.id(), id);
            }
        }
        let mut answers = std::collections::HashMap::new();
        for (h, tx) in txs.iter().enumerate() {
            let t = tx.transaction();
            let spent: Vec<ErgoBox> = tx.inputs.iter().map(|i| i.spent.clone()).collect();
            let json = |flavor| {
                let mut v = transaction_json(&t, &spent, &[], flavor, Some(10 + h as u32), None);
                for (i, b) in t.output_boxes().iter().enumerate() {
                    v["outputs"][i]["spentTransactionId"] =
                        serde_json::json!(spent_by.get(&b.id()).map(|s| s.to_hex()));
                }
                v.to_string()
            };
            answers.insert(t.id(), (json(Flavor::Node), json(Flavor::Explorer)));
            for b in t.output_boxes() {
                let json =
                    |flavor| box_json(&b, flavor, spent_by.get(&b.id()).copied(), Some(10 + h as u32)).to_string();
                answers.insert(b.id(), (json(Flavor::Node), json(Flavor::Explorer)));
            }
        }
        let start = txs[0].transaction().output_boxes()[0].id();
        Chain { start, answers }
    })
}

/// The walker fed a real epoch's answers, each kept, corrupted at a fuzzer-chosen byte,
/// truncated, swapped for the explorer's form or for fuzzer text: it ends (within its budget
/// and a bounded number of answers) with a walk or an error, never a panic; fed honestly, it
/// replays every payout (the two that pay someone accepted, the empty one refused) and ends
/// at the operator's close.
pub fn walker(data: &[u8]) {
    use sharestate::pool::walk::{Need, Walker};
    let chain = chain();
    let mut w = Walker::with_budget(chain.start, 4);
    let mut input = data.iter().copied();
    let mut honest = true;
    let mut asked = 0;
    while let Some(need) = w.next() {
        asked += 1;
        assert!(asked <= 32, "the walker keeps asking: {need:?}");
        let id = match need {
            Need::Box(id) | Need::Transaction(id) => id,
        };
        let Some((node, explorer)) = chain.answers.get(&id) else {
            // a corrupted answer may point anywhere: the source has nothing there
            assert!(
                !honest,
                "fed honestly, the walker asked for {need:?}, which is not on the chain"
            );
            return;
        };
        let mut answer = node.clone().into_bytes();
        match input.next().map(|c| c % 5) {
            None | Some(0) => {}
            Some(1) => {
                let at = usize::from(input.next().unwrap_or(0)) * 7 % answer.len().max(1);
                answer[at] = input.next().unwrap_or(b'x');
                honest = false;
            }
            Some(2) => {
                let keep = usize::from(input.next().unwrap_or(0)) * 13 % answer.len().max(1);
                answer.truncate(keep);
                honest = false;
            }
            Some(3) => {
                answer = explorer.clone().into_bytes();
                honest = false;
            }
            Some(_) => {
                let n = usize::from(input.next().unwrap_or(0));
                answer = input.by_ref().take(n).collect();
                honest = false;
            }
        }
        let text = String::from_utf8_lossy(&answer);
        let fed = match need {
            Need::Box(_) => w.feed_box(&text),
            Need::Transaction(_) => w.feed_transaction(&text),
        };
        if let Err(e) = fed {
            assert!(!honest, "an honest answer was refused: {e}");
            return;
        }
    }
    let walk = w.into_walk().expect("a walk once the walker is done");
    assert!(walk.steps.len() <= 4);
    if honest {
        assert_eq!(walk.steps.len(), 3);
        assert!(walk.steps.iter().all(|s| s.tx_id_verified));
        let accepted: Vec<bool> = walk.steps.iter().map(|s| s.report.accepted).collect();
        assert_eq!(accepted, [true, true, false], "the empty payout is refused");
        assert_eq!(walk.empty_payouts(), 1);
        let end = walk.end.expect("the close ends the walk");
        assert_eq!(end.kind, sharestate::pool::walk::EndKind::Closed);
    }
}
