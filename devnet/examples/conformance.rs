//! Writes the payout conformance cases of the devnet's demo pool as JSON on stdout, after
//! checking each with sigma-rust and with our own clause check:
//! `cargo run --release --features interpreter --example conformance -- [--seed 2239]`.
//! `tests/js/conformance.test.mjs` then runs every case in sigmastate-js (Fleet's mock chain),
//! signing the operator's fee inputs with the devnet's (deterministic, devnet-only) key.
//!
//! Cases: every payout transaction of the demo pool as it was made (accepted), the next pending
//! payout of its last epoch (accepted), and, on an epoch of each contract (the seed's draft,
//! the hardened pair), the tamperings — a payment one nanoErg short, a payment to another
//! script, one proof byte flipped, a key paid twice, the next digest taken from another batch,
//! OUTPUTS(1) holding less than demanded — plus the draft's weakness (the rest of the reward
//! sent to another script), which the draft accepts and the hardened pair refuses.

use devnet::pool::EpochTruth;
use devnet::Devnet;
use serde_json::json;
use sharestate::ergo::interpreter::{evaluate, ChainContext, Reduced};
use sharestate::ergo::json::{UnsignedInput, UnsignedTransaction};
use sharestate::ergo::ErgoBox;
use sharestate::posted::epoch::{self, Payout};
use sharestate::posted::{self, check_payout, PayoutBatch, PayoutTransaction};
use sharestate::{hex, AvlTreeData, Constant, Key, Operation, ShareState, ShareValue};

struct Case {
    name: String,
    contract: &'static str,
    expect_accept: bool,
    clauses: Vec<String>,
    tx: UnsignedTransaction,
}

fn our_check(tx: &UnsignedTransaction) -> posted::PayoutReport {
    let t = PayoutTransaction::from_unsigned(tx).unwrap();
    check_payout(&t)
}

/// A devnet transaction as it was before signing.
fn unsigned(d: &Devnet, tx_id: &sharestate::ergo::Id) -> UnsignedTransaction {
    let r = d.ledger.get_tx(tx_id).unwrap();
    UnsignedTransaction {
        inputs: r
            .tx
            .inputs
            .iter()
            .zip(&r.spent)
            .map(|(i, b)| UnsignedInput {
                spent: b.clone(),
                extension: i.extension.clone(),
            })
            .collect(),
        data_inputs: vec![],
        outputs: r.tx.outputs.clone(),
    }
}

/// A batch built by hand (the prover refuses to pay a paid key): marks `keys` paid as they are.
fn forced_batch(state: &mut ShareState, keys: &[Key], reward: i64, max_score: i32) -> PayoutBatch {
    let mut pairs = Vec::new();
    let mut ops = Vec::new();
    let mut payments = Vec::new();
    for k in keys {
        let v = ShareValue::from_bytes(state.get(k).unwrap()).unwrap();
        let new = ShareValue { paid: true, ..v }.to_bytes().to_vec();
        ops.push(Operation::Update(*k, new.clone()));
        pairs.push((k.to_vec(), new));
        let amount = sharestate::pool::payout_amount(v.score, reward, max_score).unwrap();
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

/// The tamperings of payout `first` (the first of epoch `e`, spending its start box), with
/// `second` the epoch's second payout.
fn tamperings(d: &Devnet, e: &EpochTruth, cases: &mut Vec<Case>) {
    let first = d.ledger.get_box(&e.state_boxes[1]).unwrap().ergo_box.transaction_id;
    let second = d.ledger.get_box(&e.state_boxes[2]).unwrap().ergo_box.transaction_id;
    let honest = unsigned(d, &first);
    let change = honest.outputs.len() - 1;
    let mut push = |what: &str, expect_accept: bool, tx: UnsignedTransaction| {
        let clauses = our_check(&tx).failing();
        cases.push(Case {
            name: format!("epoch {} ({}): {what}", e.number, e.contract),
            contract: e.contract,
            expect_accept,
            clauses,
            tx,
        });
    };
    let mut t = honest.clone();
    t.outputs[5].value -= 1;
    t.outputs[change].value += 1;
    push("a payment one nanoErg short", false, t);
    let mut t = honest.clone();
    t.outputs[2].ergo_tree = d.pool.operator_tree.clone();
    push("a payment to another script", false, t);
    let mut t = honest.clone();
    let n = t.inputs[0].extension[1].1.len();
    t.inputs[0].extension[1].1[n / 2] ^= 0x10;
    push("one proof byte flipped", false, t);
    // batch 2, spending batch 1's outputs, with a key batch 1 paid
    let mut state = d.service.state(&e.state_boxes[1]).unwrap().clone();
    let second_tx = unsigned(d, &second);
    let paid_again: Vec<Key> = {
        let var0 = |t: &UnsignedTransaction| Constant::parse(&t.inputs[0].extension[0].1).unwrap();
        let first_key: Key = var0(&honest).as_byte_pairs().unwrap()[0]
            .0
            .as_slice()
            .try_into()
            .unwrap();
        let next: Vec<Key> = var0(&second_tx).as_byte_pairs().unwrap()[..2]
            .iter()
            .map(|(k, _)| k.as_slice().try_into().unwrap())
            .collect();
        [vec![first_key], next].concat()
    };
    let twice = forced_batch(&mut state, &paid_again, e.reward as i64, e.max_score);
    let boxes: Vec<ErgoBox> = second_tx.inputs.iter().map(|i| i.spent.clone()).collect();
    let funding = epoch::Funding {
        inputs: boxes[2..].to_vec(),
        change_tree: d.pool.operator_tree.clone(),
        fee: devnet::pool::FEE,
    };
    let t = epoch::payout(
        &Payout {
            state_box: &boxes[0],
            reward_box: &boxes[1],
            batch: &twice,
            script_of: &|k| state.script(k).map(<[u8]>::to_vec),
        },
        &funding,
        honest.outputs[0].creation_height,
    )
    .unwrap();
    push("a key paid twice", false, t);
    let mut t = honest.clone();
    let next_digest = match Constant::parse(&second_tx.outputs[0].registers[0]).unwrap() {
        Constant::AvlTree(tree) => tree.digest,
        _ => unreachable!(),
    };
    let tree = *Constant::parse(&t.outputs[0].registers[0])
        .unwrap()
        .as_avl_tree()
        .unwrap();
    t.outputs[0].registers[0] = Constant::AvlTree(AvlTreeData {
        digest: next_digest,
        ..tree
    })
    .to_bytes();
    push("the next digest taken from another batch", false, t);
    let mut t = honest.clone();
    t.outputs[1].value -= 1;
    t.outputs[change].value += 1;
    push("OUTPUTS(1) holding one nanoErg less than demanded", false, t);
    let mut t = honest.clone();
    t.outputs[1].ergo_tree = d.pool.operator_tree.clone();
    push(
        "the rest of the reward sent to another script",
        e.contract == "draft",
        t,
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let seed = args
        .iter()
        .position(|a| a == "--seed")
        .and_then(|i| args.get(i + 1))
        .map_or(2239, |s| s.parse().expect("--seed <n>"));
    let d = Devnet::generate(seed).unwrap();
    let ctx: ChainContext = d.ledger.context();
    let mut cases = Vec::new();

    // every payout the demo pool made (the opening transactions are not payouts)
    for e in &d.pool.epochs {
        for (n, b) in e.state_boxes.iter().enumerate().skip(1) {
            let tx_id = d.ledger.get_box(b).unwrap().ergo_box.transaction_id;
            cases.push(Case {
                name: format!("epoch {} ({}): payout {n}", e.number, e.contract),
                contract: e.contract,
                expect_accept: true,
                clauses: vec![],
                tx: unsigned(&d, &tx_id),
            });
        }
    }
    // the next pending payout of the last epoch
    let last = d.pool.epochs.last().unwrap();
    let mut state = d.pool.tip_state.clone();
    let batch = posted::prove_payout(&mut state, &last.pending[0], last.reward as i64, last.max_score, false).unwrap();
    let tip = d
        .ledger
        .get_box(last.state_boxes.last().unwrap())
        .unwrap()
        .ergo_box
        .clone();
    let reward = d.ledger.get_box(&last.reward_box).unwrap().ergo_box.clone();
    let pending = epoch::payout(
        &Payout {
            state_box: &tip,
            reward_box: &reward,
            batch: &batch,
            script_of: &|k| state.script(k).map(<[u8]>::to_vec),
        },
        &d.pool.funding(&d.ledger).unwrap(),
        ctx.height(),
    )
    .unwrap();
    cases.push(Case {
        name: format!("epoch {} ({}): the next pending payout", last.number, last.contract),
        contract: last.contract,
        expect_accept: true,
        clauses: vec![],
        tx: pending,
    });
    tamperings(&d, &d.pool.epochs[0], &mut cases);
    tamperings(&d, &d.pool.epochs[1], &mut cases);

    // sigma-rust and our check must agree with the expectation before anything is written
    for c in &cases {
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
        "operatorSecret": hex::encode(&d.pool.operator.to_bytes()),
        "cases": cases.iter().map(|c| json!({
            "name": c.name, "contract": c.contract, "expect": if c.expect_accept { "accept" } else { "reject" },
            "clauses": c.clauses, "tx": c.tx.to_eip12(),
        })).collect::<Vec<_>>(),
    });
    println!("{}", serde_json::to_string(&out).unwrap());
}
