//! Real proofs of fuzzer-chosen operations on a real tree, then fuzzer-chosen corruptions of
//! the proof and the operations: the honest proof must verify to the prover's results, and a
//! corrupted one must give an error or a result, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sharestate::avl::replay;
use sharestate::{Operation, ShareState};

fn key(i: u8) -> [u8; 32] {
    sharestate::encoding::hash::blake2b256(&[i])
}

fuzz_target!(|data: &[u8]| {
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
});
