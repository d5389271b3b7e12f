//! Design 1 epochs built by `epoch` and evaluated by sigma-rust's interpreter: honest payouts
//! pass the real contracts (draft and hardened), tampered ones fail them, and our own
//! clause-by-clause check agrees — naming the clause, or the draft weakness a tampering uses.

use sharestate::ergo::interpreter::{checked, evaluate, InterpreterError, Reduced};
use sharestate::ergo::json::UnsignedTransaction;
use sharestate::ergo::{ErgoBox, Id, Token};
use sharestate::posted::epoch::{self, Contracts, Funding, Opening, Payout};
use sharestate::posted::{self, check_payout, Clause, PayoutTransaction, Weakness};
use sharestate::{Constant, Key, ShareState, ShareValue};
use std::collections::HashMap;

const REWARD: u64 = 67_500_000_000;
const FEE: u64 = 1_100_000;

mod interpreter;
use interpreter::{context, p2pk};

struct Pool {
    state: ShareState,
    max_score: i32,
    scripts: HashMap<Key, Vec<u8>>,
    operator: Vec<u8>,
}

fn pool(n: usize) -> Pool {
    let mut scripts = HashMap::new();
    let mut entries = Vec::new();
    for i in 0..n {
        let s = p2pk();
        let k = sharestate::encoding::hash::blake2b256(&s);
        entries.push((k, ShareValue::unpaid(10_000 + 77 * i as i64).to_bytes().to_vec()));
        scripts.insert(k, s);
    }
    let max_score = entries
        .iter()
        .map(|(_, v)| ShareValue::from_bytes(v).unwrap().score)
        .sum::<i64>() as i32;
    Pool {
        state: ShareState::from_entries(entries).unwrap(),
        max_score,
        scripts,
        operator: p2pk(),
    }
}

fn funding(operator: &[u8], value: u64, tokens: Vec<Token>, seed: u8) -> Funding {
    let b = ErgoBox {
        value,
        ergo_tree: operator.to_vec(),
        creation_height: 471_000,
        tokens,
        registers: vec![],
        transaction_id: Id([seed; 32]),
        index: 0,
    };
    Funding {
        inputs: vec![b],
        change_tree: operator.to_vec(),
        fee: FEE,
    }
}

/// Opens an epoch and builds its first payout of `count` keys; returns the payout.
fn first_payout(p: &mut Pool, contracts: &Contracts, token: Option<[u8; 32]>, count: usize) -> UnsignedTransaction {
    let ctx = context();
    let tokens = token.map(|id| vec![Token { id, amount: 2 }]).unwrap_or_default();
    let open = epoch::open(
        &Opening {
            contracts,
            max_score: p.max_score,
            deadline: ctx.height() + 5_040,
            reward: REWARD,
            pool_token: token,
        },
        &mut p.state,
        &funding(&p.operator, 100 * REWARD, tokens, 1),
        ctx.height(),
    )
    .unwrap();
    let open = checked(open, &ctx).unwrap();
    let boxes = open.transaction().output_boxes();
    let keys: Vec<Key> = p.state.keys().into_iter().take(count).collect();
    let batch = posted::prove_payout(&mut p.state, &keys, REWARD as i64, p.max_score, false).unwrap();
    epoch::payout(
        &Payout {
            state_box: &boxes[0],
            reward_box: &boxes[1],
            batch: &batch,
            script_of: &|k| p.scripts.get(k).cloned(),
        },
        &funding(&p.operator, 10 * FEE, vec![], 2),
        ctx.height(),
    )
    .unwrap()
}

fn our_check(tx: &UnsignedTransaction) -> posted::PayoutReport {
    let t = PayoutTransaction::from_unsigned(tx).unwrap();
    check_payout(&t)
}

fn verdicts(tx: &UnsignedTransaction) -> Vec<Reduced> {
    evaluate(tx, &context()).unwrap()
}

#[test]
fn draft_epoch_honest_payout_passes_sigma_rust_and_our_check() {
    let mut p = pool(300);
    let tx = first_payout(&mut p, &Contracts::draft(), None, 100);
    let v = verdicts(&tx);
    assert_eq!(&v[..2], &[Reduced::True, Reduced::True]);
    assert!(
        matches!(v[2], Reduced::Proposition(_)),
        "the fee input needs the operator's signature"
    );
    let r = our_check(&tx);
    assert!(r.accepted, "{r:?}");
    assert!(r.weaknesses.is_empty());
}

#[test]
fn draft_epoch_tamperings_fail_where_the_contract_checks_and_are_reported_where_it_does_not() {
    let mut p = pool(200);
    let honest = first_payout(&mut p, &Contracts::draft(), None, 50);
    let change = honest.outputs.len() - 1;

    // one nanoErg short: the contract rejects, our check names paymentIsValid for that miner
    let mut short = honest.clone();
    short.outputs[7].value -= 1;
    short.outputs[change].value += 1;
    assert_eq!(verdicts(&short)[0], Reduced::False);
    let r = our_check(&short);
    assert!(!r.accepted);
    assert!(matches!(r.miners[5].payment_is_valid, Clause::Fails(_)));

    // a payment to another script: boxIsCorrect
    let mut other = honest.clone();
    other.outputs[2].ergo_tree = p2pk();
    assert_eq!(verdicts(&other)[0], Reduced::False);
    assert!(matches!(our_check(&other).miners[0].box_is_correct, Clause::Fails(_)));

    // a flipped proof byte: getMany fails
    let mut flipped = honest.clone();
    let proof = &mut flipped.inputs[0].extension[1].1;
    let n = proof.len();
    proof[n / 3] ^= 0x01;
    assert!(
        matches!(evaluate(&flipped, &context()), Ok(v) if v[0] == Reduced::False)
            || evaluate(&flipped, &context()).is_err()
    );
    assert!(matches!(our_check(&flipped).get_many, Clause::Error(_)));

    // the draft's weakness: the rest of the reward to another script is accepted, and reported
    let mut stolen = honest.clone();
    stolen.outputs[1].ergo_tree = p.operator.clone();
    assert_eq!(&verdicts(&stolen)[..2], &[Reduced::True, Reduced::True]);
    let r = our_check(&stolen);
    assert!(r.accepted);
    assert!(r
        .weaknesses
        .iter()
        .any(|w| matches!(w, Weakness::NextRewardScriptChanged { .. })));
}

#[test]
fn hardened_epoch_passes_and_closes_the_drafts_weaknesses() {
    let mut p = pool(200);
    let key = p.operator[3..].to_vec();
    let contracts = Contracts::hardened(&key).unwrap();
    let honest = first_payout(&mut p, &contracts, Some([7; 32]), 60);
    assert_eq!(&verdicts(&honest)[..2], &[Reduced::True, Reduced::True]);
    assert!(our_check(&honest).accepted);
    // R6, the deadline, moves on unchanged
    assert_eq!(honest.outputs[0].registers[2], honest.inputs[0].spent.registers[2]);

    // what the draft lets through, the hardened pair refuses
    let mut stolen = honest.clone();
    stolen.outputs[1].ergo_tree = p.operator.clone();
    assert_eq!(verdicts(&stolen)[0], Reduced::False);
    let mut moved = honest.clone();
    moved.outputs[0].ergo_tree = p.operator.clone();
    assert_eq!(verdicts(&moved)[0], Reduced::False);
    let mut sooner = honest.clone();
    sooner.outputs[0].registers[2] = Constant::Int(0).to_bytes();
    assert_eq!(verdicts(&sooner)[0], Reduced::False);
    // our check recognizes the hardened contract and names its clauses
    assert_eq!(our_check(&honest).contract.name(), "hardened");
    assert!(our_check(&stolen).failing().contains(&"nextRewardScript".to_string()));
    assert!(our_check(&moved).failing().contains(&"nextStateScript".to_string()));
    assert!(our_check(&sooner).failing().contains(&"nextStateDeadline".to_string()));
    // and a checked build refuses to return it
    assert!(matches!(
        checked(stolen, &context()),
        Err(InterpreterError::Rejected { input: 0 })
    ));
}
