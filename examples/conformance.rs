//! Writes the payout conformance cases as JSON on stdout, after checking each with sigma-rust
//! and with our own clause check: `cargo run --release --features interpreter --example
//! conformance -- --operator <33-byte public key hex>`. `tests/js/conformance.test.mjs` then
//! runs every case in sigmastate-js (Fleet's mock chain), signing the operator's fee inputs.
//!
//! For each contract pair (the seed's draft, the hardened pair): two honest payouts in a row,
//! and the tamperings — a payment one nanoErg short, a payment to another script, one proof byte
//! flipped, a key paid twice, the next digest taken from another batch, OUTPUTS(1) holding less
//! than demanded — plus the draft's weakness (the rest of the reward to another script), which
//! the draft accepts and the hardened pair refuses.

use ergo_lib::ergotree_ir::serialization::SigmaSerializable;
use ergo_lib::wallet::secret_key::SecretKey;
use serde_json::json;
use sharestate::boxes::{ErgoBox, Id, Token};
use sharestate::eip12::UnsignedTransaction;
use sharestate::epoch::{self, Contracts, Funding};
use sharestate::interpreter::{evaluate, ChainContext, Reduced};
use sharestate::posted::{self, check_payout, PayoutBatch, PayoutTransaction};
use sharestate::{hex, Constant, Key, Operation, ShareState, ShareValue};
use std::collections::HashMap;

const REWARD: u64 = 67_500_000_000;
const FEE: u64 = 1_100_000;
const MINERS: u64 = 300;
const BATCH: usize = 40;

fn miner_script(i: u64) -> Vec<u8> {
    let mut seed = sharestate::hash::blake2b256(&i.to_be_bytes());
    seed[0] &= 0x7f; // below the group order
    let key = SecretKey::dlog_from_bytes(&seed).expect("a valid scalar");
    key.get_address_from_public_image()
        .script()
        .unwrap()
        .sigma_serialize_bytes()
        .unwrap()
}

struct Case {
    name: String,
    contract: &'static str,
    expect_accept: bool,
    clauses: Vec<String>,
    tx: UnsignedTransaction,
}

fn our_check(tx: &UnsignedTransaction) -> posted::PayoutReport {
    let t = PayoutTransaction::from_parts(
        &tx.inputs[0].spent,
        &tx.inputs[1].spent,
        &tx.inputs[0].extension,
        &tx.outputs,
    )
    .unwrap();
    check_payout(&t)
}

/// A batch built by hand (the prover refuses to pay a paid key): marks `keys` paid as they are.
fn forced_batch(state: &mut ShareState, keys: &[Key], max_score: i32) -> PayoutBatch {
    let mut pairs = Vec::new();
    let mut ops = Vec::new();
    let mut payments = Vec::new();
    for k in keys {
        let v = ShareValue::from_bytes(state.get(k).unwrap()).unwrap();
        let new = ShareValue { paid: true, ..v }.to_bytes().to_vec();
        ops.push(Operation::Update(*k, new.clone()));
        pairs.push((k.to_vec(), new));
        let amount = sharestate::payout::payout_amount(v.score, REWARD as i64, max_score).unwrap();
        payments.push(posted::Payment {
            key: *k,
            score: v.score,
            amount,
        });
    }
    let p = state.prove_without_applying(&ops).unwrap();
    PayoutBatch {
        state_updates: Constant::BytePairs(pairs),
        proof: Constant::Bytes(p.proof),
        digest_before: p.digest_before,
        digest_after: p.digest_after,
        payments,
    }
}

fn cases_for(
    name: &'static str,
    contracts: &Contracts,
    token: Option<[u8; 32]>,
    operator_tree: &[u8],
    ctx: &ChainContext,
) -> Vec<Case> {
    let scripts: HashMap<Key, Vec<u8>> = (0..MINERS)
        .map(|i| (sharestate::hash::blake2b256(&miner_script(i)), miner_script(i)))
        .collect();
    let mut state = ShareState::from_entries(
        scripts
            .keys()
            .enumerate()
            .map(|(i, k)| (*k, ShareValue::unpaid(20_000 + 91 * i as i64).to_bytes().to_vec())),
    )
    .unwrap();
    let max_score = state
        .entries()
        .iter()
        .map(|(_, v)| ShareValue::from_bytes(v).unwrap().score)
        .sum::<i64>() as i32;
    let funding = |seed: u8, value: u64, tokens: Vec<Token>| Funding {
        inputs: vec![ErgoBox {
            value,
            ergo_tree: operator_tree.to_vec(),
            creation_height: ctx.height() - 100,
            tokens,
            registers: vec![],
            transaction_id: Id([seed; 32]),
            index: 0,
        }],
        change_tree: operator_tree.to_vec(),
        fee: FEE,
    };
    let h = ctx.height();
    let tokens = token.map(|id| vec![Token { id, amount: 2 }]).unwrap_or_default();
    let open = epoch::open(
        contracts,
        &mut state,
        max_score,
        MINERS as usize,
        REWARD,
        token,
        &funding(1, 2 * REWARD, tokens),
        h,
    )
    .unwrap();
    let opened = open.transaction().output_boxes();
    let keys = state.keys();
    let script_of = |k: &Key| scripts.get(k).cloned();

    let batch1 = posted::prove_payout(&mut state, &keys[..BATCH], REWARD as i64, max_score, false).unwrap();
    let tx1 = epoch::payout(
        &opened[0],
        &opened[1],
        &batch1,
        script_of,
        &funding(2, 10 * FEE, vec![]),
        h,
    )
    .unwrap();
    let other_batch =
        posted::prove_payout(&mut state, &keys[BATCH..2 * BATCH], REWARD as i64, max_score, false).unwrap();
    // the state moves on with batch 1, and batch 2 spends batch 1's outputs
    posted::prove_payout(&mut state, &keys[..BATCH], REWARD as i64, max_score, true).unwrap();
    let after1 = tx1.transaction().output_boxes();
    let batch2 = posted::prove_payout(&mut state, &keys[BATCH..2 * BATCH], REWARD as i64, max_score, false).unwrap();
    let tx2 = epoch::payout(
        &after1[0],
        &after1[1],
        &batch2,
        script_of,
        &funding(3, 10 * FEE, vec![]),
        h,
    )
    .unwrap();
    let twice = forced_batch(&mut state, &[keys[0], keys[BATCH], keys[BATCH + 1]], max_score);
    let tx_twice = epoch::payout(
        &after1[0],
        &after1[1],
        &twice,
        script_of,
        &funding(4, 10 * FEE, vec![]),
        h,
    )
    .unwrap();

    let change = tx1.outputs.len() - 1;
    let mut cases = vec![
        Case {
            name: format!("{name}: honest payout, batch 1"),
            contract: name,
            expect_accept: true,
            clauses: vec![],
            tx: tx1.clone(),
        },
        Case {
            name: format!("{name}: honest payout, batch 2"),
            contract: name,
            expect_accept: true,
            clauses: vec![],
            tx: tx2,
        },
    ];
    let mut mutate = |what: &str, expect_accept: bool, tx: UnsignedTransaction| {
        let clauses = our_check(&tx).failing();
        cases.push(Case {
            name: format!("{name}: {what}"),
            contract: name,
            expect_accept,
            clauses,
            tx,
        });
    };
    let mut t = tx1.clone();
    t.outputs[5].value -= 1;
    t.outputs[change].value += 1;
    mutate("a payment one nanoErg short", false, t);
    let mut t = tx1.clone();
    t.outputs[2].ergo_tree = miner_script(MINERS + 1);
    mutate("a payment to another script", false, t);
    let mut t = tx1.clone();
    let n = t.inputs[0].extension[1].1.len();
    t.inputs[0].extension[1].1[n / 2] ^= 0x10;
    mutate("one proof byte flipped", false, t);
    mutate("a key paid twice", false, tx_twice);
    let mut t = tx1.clone();
    let tree = match Constant::parse(&t.outputs[0].registers[0]).unwrap() {
        Constant::AvlTree(tree) => tree,
        _ => unreachable!(),
    };
    t.outputs[0].registers[0] = Constant::AvlTree(sharestate::AvlTreeData {
        digest: other_batch.digest_after,
        ..tree
    })
    .to_bytes();
    mutate("the next digest taken from another batch", false, t);
    let mut t = tx1.clone();
    t.outputs[1].value -= 1;
    t.outputs[change].value += 1;
    mutate("OUTPUTS(1) holding one nanoErg less than demanded", false, t);
    let mut t = tx1.clone();
    t.outputs[1].ergo_tree = operator_tree.to_vec();
    mutate("the rest of the reward sent to another script", name == "draft", t);
    cases
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let operator = args
        .iter()
        .position(|a| a == "--operator")
        .and_then(|i| args.get(i + 1))
        .expect("--operator <hex>");
    let key = hex::decode(operator).expect("hex");
    let operator_tree = [&[0x00, 0x08, 0xcd][..], &key].concat();
    let ctx = ChainContext::from_headers_json(include_str!("../tests/fixtures/header.json")).unwrap();

    let mut all = cases_for("draft", &Contracts::draft(), None, &operator_tree, &ctx);
    all.extend(cases_for(
        "hardened",
        &Contracts::hardened(&key).unwrap(),
        Some([0x5a; 32]),
        &operator_tree,
        &ctx,
    ));

    // sigma-rust and our check must agree with the expectation before anything is written
    for c in &all {
        // an evaluation error (a proof that does not parse, say) rejects as a false script does
        let v = evaluate(&c.tx, &ctx);
        let sigma_rust_accepts = matches!(&v, Ok(v) if v[..2].iter().all(|r| *r == Reduced::True));
        assert_eq!(sigma_rust_accepts, c.expect_accept, "sigma-rust on {}: {v:?}", c.name);
        let ours = our_check(&c.tx);
        assert_eq!(
            ours.accepted,
            c.expect_accept,
            "our check on {}: {:?}",
            c.name,
            ours.failing()
        );
        assert!(c.expect_accept || !c.clauses.is_empty(), "{}: no clause named", c.name);
    }
    let out = json!({
        "height": ctx.height(),
        "cases": all.iter().map(|c| json!({
            "name": c.name, "contract": c.contract, "expect": if c.expect_accept { "accept" } else { "reject" },
            "clauses": c.clauses, "tx": c.tx.to_eip12(),
        })).collect::<Vec<_>>(),
    });
    println!("{}", serde_json::to_string(&out).unwrap());
}
