//! Any bytes as a proof, digest and keys: an error or a result, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sharestate::avl::{replay, verify_lookups, Digest};
use sharestate::Operation;

fuzz_target!(|data: &[u8]| {
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
});
