//! Our AVL+ prover and verifier against an independent implementation, the `ergo_avltree_rust`
//! crate (a port of Scala scrypto): on random trees and random mixes of operations, both
//! provers must make byte-identical proofs and digests, each verifier must accept the other's
//! proofs, and ours must reject tampered proofs (and never panic on any bytes).

use bytes::Bytes;
use ergo_avltree_rust::authenticated_tree_ops::AuthenticatedTreeOps;
use ergo_avltree_rust::batch_avl_prover::BatchAVLProver;
use ergo_avltree_rust::batch_avl_verifier::BatchAVLVerifier;
use ergo_avltree_rust::batch_node::{AVLTree, Node, NodeHeader};
use ergo_avltree_rust::operation::{KeyValue, Operation as TheirOp};
use proptest::prelude::*;
use sharestate::avl::{replay, verify_lookups, Digest, Verifier};
use sharestate::{Key, Operation, ShareState};

fn resolver(d: &[u8; 32]) -> Node {
    Node::LabelOnly(NodeHeader::new(Some(*d), None))
}

fn their_prover() -> BatchAVLProver {
    BatchAVLProver::new(AVLTree::new(resolver, 32, None), true)
}

fn theirs(op: &Operation) -> TheirOp {
    let kv = |k: &Key, v: &Vec<u8>| KeyValue {
        key: Bytes::copy_from_slice(k),
        value: Bytes::copy_from_slice(v),
    };
    match op {
        Operation::Lookup(k) => TheirOp::Lookup(Bytes::copy_from_slice(k)),
        Operation::Insert(k, v) => TheirOp::Insert(kv(k, v)),
        Operation::Update(k, v) => TheirOp::Update(kv(k, v)),
        Operation::InsertOrUpdate(k, v) => TheirOp::InsertOrUpdate(kv(k, v)),
        Operation::Remove(k) => TheirOp::Remove(Bytes::copy_from_slice(k)),
    }
}

/// Keys from a small space, so that operations hit existing keys often.
fn key(i: u16) -> Key {
    let mut k = sharestate::encoding::hash::blake2b256(&i.to_be_bytes());
    if k == [0; 32] || k == [0xff; 32] {
        k[0] = 1;
    }
    k
}

fn op_strategy() -> impl Strategy<Value = Operation> {
    let k = (0u16..400).prop_map(key);
    let v = proptest::collection::vec(any::<u8>(), 0..12);
    prop_oneof![
        2 => k.clone().prop_map(Operation::Lookup),
        3 => (k.clone(), v.clone()).prop_map(|(k, v)| Operation::Insert(k, v)),
        2 => (k.clone(), v.clone()).prop_map(|(k, v)| Operation::Update(k, v)),
        1 => (k.clone(), v).prop_map(|(k, v)| Operation::InsertOrUpdate(k, v)),
        2 => k.prop_map(Operation::Remove),
    ]
}

/// Runs `batches` on both provers, skipping the operations that fail (on both: they must
/// agree on which), and checks every proof and digest.
fn run_both(batches: &[Vec<Operation>]) -> Result<(), TestCaseError> {
    let mut ours = ShareState::new();
    let mut them = their_prover();
    for batch in batches {
        let before = ours.digest();
        let mut done = Vec::new();
        for op in batch {
            let t = them.perform_one_operation(&theirs(op));
            // ours is all-or-nothing per batch, so try the operation alone against a dry run
            let mut trial = done.clone();
            trial.push(op.clone());
            let o = ours.prove_without_applying(&trial);
            prop_assert_eq!(t.is_ok(), o.is_ok(), "operation {:?}: theirs {:?}", op, t.err());
            if t.is_ok() {
                done.push(op.clone());
            }
        }
        let their_proof = them.generate_proof();
        let p = ours.prove(&done).unwrap();
        prop_assert_eq!(&p.proof[..], &their_proof[..]);
        prop_assert_eq!(&p.digest_after.0[..], &them.digest().unwrap()[..]);

        // our verifier on the proof
        let r = replay(&before, &p.proof, &done, None).unwrap();
        prop_assert_eq!(r.digest, p.digest_after);
        prop_assert_eq!(&r.old_values, &p.old_values);

        // their verifier on our proof
        let mut v = BatchAVLVerifier::new(
            &Bytes::copy_from_slice(&before.0),
            &Bytes::copy_from_slice(&p.proof),
            AVLTree::new(resolver, 32, None),
            None,
            None,
        )
        .unwrap();
        for (op, old) in done.iter().zip(&p.old_values) {
            let got = v.perform_one_operation(&theirs(op)).unwrap();
            prop_assert_eq!(got.map(|b| b.to_vec()), old.clone());
        }
        prop_assert_eq!(&v.digest().unwrap()[..], &p.digest_after.0[..]);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn provers_agree_byte_for_byte(batches in proptest::collection::vec(proptest::collection::vec(op_strategy(), 1..40), 1..6)) {
        run_both(&batches)?;
    }

    #[test]
    fn tampered_tree_bytes_are_rejected(n in 2u16..300, pick in any::<prop::sample::Index>(), at in any::<prop::sample::Index>(), flip in 1u8..=255) {
        let mut s = ShareState::from_entries((0..n).map(|i| (key(i), vec![i as u8; 9]))).unwrap();
        let d = s.digest();
        let keys = [key(pick.index(n as usize) as u16)];
        let ops: Vec<Operation> = keys.iter().map(|k| Operation::Update(*k, vec![1; 9])).collect();
        let p = s.prove_without_applying(&ops).unwrap();
        let end = tree_end(&p.proof);
        let i = at.index(end);
        let mut bad = p.proof.clone();
        bad[i] ^= flip;
        // a changed node changes a label: the digest no longer matches (or the bytes no longer parse)
        prop_assert!(replay(&d, &bad, &ops, None).is_err());
        prop_assert!(verify_lookups(&d, &bad, &keys, None).is_err());
    }

    #[test]
    fn tampered_directions_never_verify_the_same_claim(n in 20u16..300, start in 0u16..10, count in 1u16..10, at in any::<prop::sample::Index>()) {
        let mut s = ShareState::from_entries((0..n).map(|i| (key(i), vec![i as u8; 9]))).unwrap();
        let d = s.digest();
        let keys: Vec<Key> = (start..start + count).map(key).collect();
        let ops: Vec<Operation> = keys.iter().map(|k| Operation::Update(*k, vec![7; 9])).collect();
        let p = s.prove_without_applying(&ops).unwrap();
        let end = tree_end(&p.proof);
        let used_bits = directions_used(&d, &p.proof, &ops);
        prop_assume!(used_bits > 0);
        let bit = at.index(used_bits);
        let mut bad = p.proof.clone();
        bad[end + 1 + bit / 8] ^= 1 << (bit % 8);
        match replay(&d, &bad, &ops, None) {
            Err(_) => {}
            Ok(r) => prop_assert!(r.digest != p.digest_after || r.old_values != p.old_values, "a flipped direction bit verified the same claim"),
        }
    }

    #[test]
    fn any_bytes_are_an_error_or_a_result_never_a_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400), k in any::<[u8; 32]>()) {
        let _ = verify_lookups(&Digest::EMPTY, &bytes, &[k], None);
        let _ = replay(&Digest::EMPTY, &bytes, &[Operation::Remove(k), Operation::Insert(k, vec![1])], Some(1));
    }
}

/// Offset of the end-of-tree byte of a proof made by our prover.
fn tree_end(proof: &[u8]) -> usize {
    // parse just enough: walk tags
    let mut i = 0;
    let mut prev_leaf = false;
    loop {
        match proof[i] {
            4 => return i,
            3 => {
                i += 33;
                prev_leaf = false;
            }
            2 => {
                i += 1 + if prev_leaf { 0 } else { 32 } + 32;
                let len = u32::from_be_bytes(proof[i..i + 4].try_into().unwrap()) as usize;
                i += 4 + len;
                prev_leaf = true;
            }
            _ => i += 1,
        }
    }
}

/// How many direction bits a replay reads (measured by truncating the proof).
fn directions_used(d: &Digest, proof: &[u8], ops: &[Operation]) -> usize {
    let end = tree_end(proof);
    let total_bits = (proof.len() - end - 1) * 8;
    (0..=total_bits)
        .find(|bits| {
            let bytes = end + 1 + bits.div_ceil(8);
            let mut p = proof[..bytes].to_vec();
            if bits % 8 != 0 {
                let last = p.len() - 1;
                p[last] &= (1u8 << (bits % 8)) - 1;
            }
            Verifier::new(d, &p, None)
                .map(|mut v| ops.iter().all(|o| v.perform(o).is_ok()))
                .unwrap_or(false)
        })
        .unwrap_or(total_bits)
}
