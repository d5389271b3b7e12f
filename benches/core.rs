//! Criterion benchmarks of the core: `cargo bench --bench core`. BENCHMARKS.md records the
//! medians and explains each figure.

use bytes::Bytes;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use ergo_avltree_rust::authenticated_tree_ops::AuthenticatedTreeOps;
use ergo_avltree_rust::batch_avl_verifier::BatchAVLVerifier;
use ergo_avltree_rust::batch_node::{AVLTree, Node, NodeHeader};
use ergo_avltree_rust::operation::{KeyValue, Operation as TheirOp};
use sharestate::avl::{self as proof, Operation};
use sharestate::encoding::hash::{blake2b256, blake2b256_parts};
use sharestate::posted;
use sharestate::{Key, ShareState, ShareValue};
use std::hint::black_box;

#[path = "fixtures.rs"]
mod fixtures;
use fixtures::{script, state, REWARD};

fn hashing(c: &mut Criterion) {
    let mut g = c.benchmark_group("blake2b256");
    g.bench_function("32 bytes", |b| b.iter(|| blake2b256(black_box(&[7u8; 32]))));
    let key = [3u8; 32];
    let value = [1u8; 9];
    g.bench_function("leaf label (74 bytes)", |b| {
        b.iter(|| blake2b256_parts(black_box(&[&[0u8], &key, &value, &key])))
    });
    g.bench_function("internal label (66 bytes)", |b| {
        b.iter(|| blake2b256_parts(black_box(&[&[1u8, 0], &key, &key])))
    });
    g.finish();
}

fn lookups(c: &mut Criterion) {
    let mut g = c.benchmark_group("verify one lookup");
    for n in [2239u64, 100_000, 1_000_000] {
        let (mut s, _) = state(n);
        let key = blake2b256(&script(n / 3));
        let p = s.prove_lookups(&[key]).unwrap();
        let shape = proof::shape(&p.proof, None).unwrap();
        eprintln!(
            "lookup in {n}: proof {} bytes, {} hashes to check",
            p.proof.len(),
            shape.hashes_to_check()
        );
        g.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter(|| proof::verify_lookups(&p.digest_before, black_box(&p.proof), &[key], None).unwrap())
        });
    }
    g.finish();
}

fn payout(c: &mut Criterion) {
    let (tx, batch) = fixtures::payout(2239, 300);
    let (mut s, max_score) = state(2239);
    let keys: Vec<Key> = s.keys().into_iter().take(300).collect();
    let shape = proof::shape(batch.proof_bytes(), None).unwrap();
    eprintln!(
        "payout 300 of 2239: proof {} bytes, {} hashes to check, {} again for the new digest",
        batch.proof_bytes().len(),
        shape.hashes_to_check(),
        shape.hashes_to_check()
    );
    let ops: Vec<Operation> = tx
        .state_updates
        .iter()
        .map(|(k, v)| Operation::Update(k.as_slice().try_into().unwrap(), v.clone()))
        .collect();

    let mut g = c.benchmark_group("payout 300 of 2239");
    g.bench_function("replay proof", |b| {
        b.iter(|| proof::replay(&batch.digest_before, black_box(&tx.proof), &ops, None).unwrap())
    });
    // the same replay by the independent implementation, for comparison
    let their_ops: Vec<TheirOp> = tx
        .state_updates
        .iter()
        .map(|(k, v)| {
            TheirOp::Update(KeyValue {
                key: Bytes::copy_from_slice(k),
                value: Bytes::copy_from_slice(v),
            })
        })
        .collect();
    let (digest, proof) = (
        Bytes::copy_from_slice(&batch.digest_before.0),
        Bytes::copy_from_slice(&tx.proof),
    );
    g.bench_function("replay proof (ergo_avltree_rust)", |b| {
        b.iter(|| {
            let tree = AVLTree::new(|d| Node::LabelOnly(NodeHeader::new(Some(*d), None)), 32, None);
            let mut v = BatchAVLVerifier::new(&digest, black_box(&proof), tree, None, None).unwrap();
            for op in &their_ops {
                v.perform_one_operation(op).unwrap();
            }
            v.digest().unwrap()
        })
    });
    g.bench_function("full contract check", |b| {
        b.iter(|| assert!(posted::check_payout(black_box(&tx)).accepted))
    });
    g.bench_function("prove", |b| {
        b.iter(|| posted::prove_payout(&mut s, black_box(&keys), REWARD, max_score, false).unwrap())
    });
    g.finish();
}

fn building(c: &mut Criterion) {
    let mut g = c.benchmark_group("build share state");
    g.sample_size(10);
    for n in [10_000u64, 100_000, 1_000_000] {
        let entries: Vec<(Key, Vec<u8>)> = (0..n)
            .map(|i| {
                (
                    blake2b256(&i.to_be_bytes()),
                    ShareValue::unpaid(i as i64).to_bytes().to_vec(),
                )
            })
            .collect();
        g.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter(|| ShareState::from_entries(black_box(entries.clone())).unwrap().digest())
        });
    }
    g.finish();
}

fn headers(c: &mut Criterion) {
    let h = sharestate::ergo::Header::from_json(include_str!("../tests/fixtures/header.json")).unwrap();
    let mut g = c.benchmark_group("header");
    g.bench_function("id", |b| b.iter(|| black_box(&h).id()));
    g.bench_function("proof of work (Autolykos v2)", |b| b.iter(|| black_box(&h).check_pow()));
    g.finish();
}

/// Design 2: checking a 150-miner Update and Payout of a 10,000-miner pool, building such a
/// state and proving one round crediting every miner; and each command's proof size against
/// Design 1's payout of as many.
fn balance(c: &mut Criterion) {
    use sharestate::persistent::{balance_state, check_command, plan_round, prove_command, Batch};
    let (state, credits, update, payout) = fixtures::balance_round(10_000);
    let proof_len = |t: &sharestate::persistent::CommandTransaction| match &t.vars {
        sharestate::persistent::CommandVars::Pairs { proof, .. } => proof.len(),
        sharestate::persistent::CommandVars::Keys { .. } => 0,
    };
    let keys: Vec<Key> = state.keys().into_iter().take(150).collect();
    let new: Vec<Key> = (0..150u64).map(|i| blake2b256(&(u64::MAX - i).to_be_bytes())).collect();
    let insert = prove_command(&mut state.clone(), &Batch::Insert(new)).unwrap();
    let mut zeroed = state.clone();
    prove_command(&mut zeroed, &Batch::Payout(keys.clone())).unwrap();
    let delete = prove_command(&mut zeroed, &Batch::Delete(keys.clone())).unwrap();
    let (design1, _) = fixtures::payout(10_000, 150);
    let len = |v: &sharestate::persistent::CommandVars| match v {
        sharestate::persistent::CommandVars::Pairs { proof, .. } => proof.len(),
        sharestate::persistent::CommandVars::Keys {
            lookup_proof,
            removal_proof,
            ..
        } => lookup_proof.len() + removal_proof.len(),
    };
    eprintln!(
        "balance 150 of 10000: proof bytes update {}, payout {}, insert {}, delete {} (lookup + removal); Design 1 payout 150 of 10000: {}",
        proof_len(&update),
        proof_len(&payout),
        len(&insert.vars),
        len(&delete.vars),
        design1.proof.len()
    );
    let mut g = c.benchmark_group("balance 10000 miners");
    g.bench_function("check update of 150", |b| {
        b.iter(|| assert!(check_command(black_box(&update)).unwrap().accepted))
    });
    g.bench_function("check payout of 150", |b| {
        b.iter(|| assert!(check_command(black_box(&payout)).unwrap().accepted))
    });
    g.sample_size(10);
    let rows: Vec<(Key, i64)> = state
        .entries()
        .into_iter()
        .map(|(k, v)| (k, i64::from_be_bytes(v.try_into().unwrap())))
        .collect();
    g.bench_function("build the state and prove a round crediting all", |b| {
        b.iter(|| {
            let mut st = balance_state(black_box(rows.clone())).unwrap();
            let plan = plan_round(&st, &credits, &|_| 100_500_000, 150).unwrap();
            for batch in &plan.batches {
                prove_command(&mut st, batch).unwrap();
            }
            st.digest()
        })
    });
    g.finish();
}

criterion_group!(benches, hashing, lookups, payout, building, headers, balance);
criterion_main!(benches);
