//! Design 1's payout checks on real transactions built by [`super::epoch`]: honest payouts
//! accepted, every tampering refused by the clause it breaks, the draft's weaknesses reported.

use super::*;
use crate::avl::{AvlTreeData, Key, Operation, ShareState};
use crate::encoding::hash::blake2b256;
use crate::ergo::Constant;
use crate::pool::amount as payout;
use crate::pool::ShareValue;

const INITIAL: i64 = 67_500_000_000;

fn script(i: u32) -> Vec<u8> {
    let mut s = vec![0x00, 0x08, 0xcd, 0x02];
    s.extend_from_slice(&crate::encoding::hash::blake2b256(&i.to_be_bytes()));
    s
}

struct Epoch {
    state: ShareState,
    max_score: i32,
    scripts: std::collections::HashMap<Key, Vec<u8>>,
}

fn epoch(n: u32) -> Epoch {
    let mut scripts = std::collections::HashMap::new();
    let entries: Vec<(Key, Vec<u8>)> = (0..n)
        .map(|i| {
            let s = script(i);
            let k = blake2b256(&s);
            scripts.insert(k, s);
            (k, ShareValue::unpaid(1000 + i as i64 * 37).to_bytes().to_vec())
        })
        .collect();
    let max_score = entries
        .iter()
        .map(|(_, v)| ShareValue::from_bytes(v).unwrap().score)
        .sum::<i64>() as i32;
    Epoch {
        state: ShareState::from_entries(entries).unwrap(),
        max_score,
        scripts,
    }
}

/// Opens a draft epoch for `e` and builds the payout of its first `count` keys, as the chain
/// would see it.
fn honest_tx(e: &mut Epoch, count: usize) -> (PayoutTransaction, PayoutBatch) {
    let pool = script(u32::MAX);
    let funding = |seed| crate::posted::epoch::Funding {
        inputs: vec![crate::ergo::ErgoBox {
            value: 2 * INITIAL as u64,
            ergo_tree: pool.clone(),
            creation_height: 1,
            tokens: vec![],
            registers: vec![],
            transaction_id: crate::ergo::Id([seed; 32]),
            index: 0,
        }],
        change_tree: pool.clone(),
        fee: 1_000_000,
    };
    let contracts = crate::posted::epoch::Contracts::draft();
    let open = crate::posted::epoch::open(
        &crate::posted::Opening {
            contracts: &contracts,
            max_score: e.max_score,
            deadline: 0, // the draft has no deadline
            reward: INITIAL as u64,
            pool_token: None,
        },
        &mut e.state,
        &funding(1),
        10,
    )
    .unwrap();
    let boxes = open.transaction().output_boxes();
    let keys: Vec<Key> = e.state.keys().into_iter().take(count).collect();
    let batch = prove_payout(&mut e.state, &keys, INITIAL, e.max_score, false).unwrap();
    let tx = crate::posted::epoch::payout(
        &crate::posted::Payout {
            state_box: &boxes[0],
            reward_box: &boxes[1],
            batch: &batch,
            script_of: &|k| e.scripts.get(k).cloned(),
        },
        &funding(2),
        11,
    )
    .unwrap();
    let tx = PayoutTransaction::from_unsigned(&tx).unwrap();
    (tx, batch)
}

#[crate::test]
fn an_honest_payout_is_accepted_with_no_weakness() {
    let mut e = epoch(200);
    let (tx, batch) = honest_tx(&mut e, 30);
    let r = check_payout(&tx);
    assert!(r.accepted, "{r:#?}");
    assert!(r.weaknesses.is_empty(), "{:?}", r.weaknesses);
    assert_eq!(r.next_digest, Some(batch.digest_after));
    assert_eq!(r.miners.len(), 30);
    // every clause named once and holding: getMany, update, 5 per miner, the next boxes'
    let clauses = r.clauses();
    assert_eq!(clauses.len(), 2 + 5 * 30 + 2 + r.hardened.len());
    assert!(clauses.iter().all(|(_, c)| c.holds()) && r.failing().is_empty());
    assert_eq!(clauses[2 + 5 * 29].0, "miner 29: paymentIsValid");
    let replayed = replay_payout(
        &tx.share_state.tree,
        e.max_score,
        INITIAL,
        &batch.state_updates,
        &batch.proof,
    )
    .unwrap();
    assert_eq!(replayed.next_digest, batch.digest_after);
    assert_eq!(
        replayed.payments.iter().map(|p| p.amount).collect::<Vec<_>>(),
        batch.payments.iter().map(|p| p.amount).collect::<Vec<_>>()
    );
}

#[crate::test]
fn a_payment_one_nanoerg_short_fails_its_clause() {
    let mut e = epoch(100);
    let (mut tx, _) = honest_tx(&mut e, 10);
    tx.outputs[5].value -= 1;
    tx.outputs[1].value += 1;
    let r = check_payout(&tx);
    assert!(!r.accepted);
    assert!(matches!(r.miners[3].payment_is_valid, Clause::Fails(_)));
    assert!(r.miners.iter().enumerate().all(|(i, m)| i == 3 || m.holds()));
    assert!(r.next_reward_valid.holds());
}

#[crate::test]
fn paying_another_script_fails_box_is_correct() {
    let mut e = epoch(100);
    let (mut tx, _) = honest_tx(&mut e, 10);
    tx.outputs[2].script = script(9999);
    let r = check_payout(&tx);
    assert!(!r.accepted);
    assert!(matches!(r.miners[0].box_is_correct, Clause::Fails(_)));
}

#[crate::test]
fn a_flipped_proof_byte_fails_get_many() {
    let mut e = epoch(100);
    let (mut tx, _) = honest_tx(&mut e, 10);
    tx.proof[40] ^= 1;
    let r = check_payout(&tx);
    assert!(!r.accepted);
    assert!(matches!(r.get_many, Clause::Error(_)));
    assert!(r.miners.iter().all(|m| matches!(m.payment_is_valid, Clause::Error(_))));
}

#[crate::test]
fn redirected_reward_is_accepted_by_the_draft_and_reported() {
    let mut e = epoch(100);
    let (mut tx, _) = honest_tx(&mut e, 10);
    tx.outputs[1].script = vec![0x00, 0x08, 0xcd, 0x03, 0x01];
    tx.outputs[0].r5 = Some(Constant::Int(1));
    let r = check_payout(&tx);
    assert!(r.accepted, "the draft does not check OUTPUTS(1)'s script");
    assert!(r
        .weaknesses
        .iter()
        .any(|w| matches!(w, Weakness::NextRewardScriptChanged { .. })));
    assert!(r
        .weaknesses
        .iter()
        .any(|w| matches!(w, Weakness::MaxScoreNotKept { .. })));
}

#[crate::test]
fn an_inflated_score_is_accepted_by_the_draft_and_reported() {
    let mut e = epoch(50);
    let keys: Vec<Key> = e.state.keys().into_iter().take(3).collect();
    let before = e.state.register();
    // the pool claims key 0 has a score of 10,000,000 (keeping it paid)
    let inflated = ShareValue {
        score: 10_000_000,
        paid: true,
    }
    .to_bytes()
    .to_vec();
    let mut ops = vec![Operation::Update(keys[0], inflated.clone())];
    let mut updates = vec![(keys[0].to_vec(), inflated)];
    for k in &keys[1..] {
        let v = ShareValue::from_bytes(e.state.get(k).unwrap())
            .unwrap()
            .into_paid()
            .to_bytes()
            .to_vec();
        ops.push(Operation::Update(*k, v.clone()));
        updates.push((k.to_vec(), v));
    }
    let p = e.state.prove_without_applying(&ops).unwrap();
    let amounts: Vec<i64> = updates
        .iter()
        .map(|(_, v)| {
            payout::payout_amount(i64::from_be_bytes(v[..8].try_into().unwrap()), INITIAL, e.max_score).unwrap()
        })
        .collect();
    let total: i64 = amounts.iter().sum();
    let mut outputs = vec![
        Output {
            value: 1,
            script: vec![1],
            r4: Some(Constant::AvlTree(AvlTreeData::share_state(p.digest_after))),
            r5: Some(Constant::Int(e.max_score)),
            r6: None,
            tokens: vec![],
        },
        Output {
            value: INITIAL - total,
            script: vec![2],
            r4: Some(Constant::Long(INITIAL)),
            r5: None,
            r6: None,
            tokens: vec![],
        },
    ];
    for (k, a) in keys.iter().zip(&amounts) {
        outputs.push(Output {
            value: *a,
            script: e.scripts[k].clone(),
            r4: None,
            r5: None,
            r6: None,
            tokens: vec![],
        });
    }
    let tx = PayoutTransaction {
        share_state: ShareStateInput::new(before, e.max_score),
        reward: RewardInput::new(INITIAL, INITIAL),
        state_updates: updates.clone(),
        proof: p.proof.clone(),
        outputs,
    };
    let r = check_payout(&tx);
    assert!(r.accepted);
    assert!(matches!(
        r.weaknesses.as_slice(),
        [Weakness::ScoreNotFromTree {
            claimed_score: 10_000_000,
            ..
        }]
    ));
    // the strict replay refuses it
    let e2 = replay_payout(
        &before,
        e.max_score,
        INITIAL,
        &Constant::BytePairs(updates),
        &Constant::Bytes(p.proof),
    );
    assert!(matches!(e2, Err(PostedError::NotAPayment { .. })));
}

#[crate::test]
fn a_repeated_key_leaves_an_output_unchecked() {
    let mut e = epoch(50);
    let (mut tx, _) = honest_tx(&mut e, 3);
    let keys: Vec<Key> = tx
        .state_updates
        .iter()
        .map(|(k, _)| k.as_slice().try_into().unwrap())
        .collect();
    let mut ops: Vec<Operation> = tx
        .state_updates
        .iter()
        .zip(&keys)
        .map(|((_, v), k)| Operation::Update(*k, v.clone()))
        .collect();
    ops.push(ops[0].clone());
    let p = e.state.prove_without_applying(&ops).unwrap();
    tx.state_updates.push(tx.state_updates[0].clone());
    tx.proof = p.proof;
    // the extra output, at the repeated key's position, goes to anyone; OUTPUTS(1) pays for it
    tx.outputs.insert(
        5,
        Output {
            value: 5_000_000_000,
            script: vec![0x42],
            r4: None,
            r5: None,
            r6: None,
            tokens: vec![],
        },
    );
    tx.outputs[1].value -= 5_000_000_000;
    let r = check_payout(&tx);
    assert!(r.accepted);
    assert!(matches!(
        r.weaknesses.as_slice(),
        [Weakness::RepeatedKeyUnchecked {
            first: 0,
            again: 3,
            unchecked_output: 5,
            ..
        }]
    ));
}

#[crate::test]
fn paying_a_paid_key_fails_was_not_paid() {
    let mut e = epoch(50);
    let keys: Vec<Key> = e.state.keys().into_iter().take(2).collect();
    prove_payout(&mut e.state, &keys[..1], INITIAL, e.max_score, true).unwrap();
    // build the second payout by hand, including the paid key again
    let ops: Vec<Operation> = keys
        .iter()
        .map(|k| {
            let v = ShareValue::from_bytes(e.state.get(k).unwrap()).unwrap();
            Operation::Update(*k, ShareValue { paid: true, ..v }.to_bytes().to_vec())
        })
        .collect();
    let p = e.state.prove_without_applying(&ops).unwrap();
    let updates: Vec<(Vec<u8>, Vec<u8>)> = ops
        .iter()
        .map(|o| match o {
            Operation::Update(k, v) => (k.to_vec(), v.clone()),
            _ => unreachable!(),
        })
        .collect();
    let e2 = replay_payout(
        &AvlTreeData::share_state(p.digest_before),
        e.max_score,
        INITIAL,
        &Constant::BytePairs(updates),
        &Constant::Bytes(p.proof),
    );
    assert!(matches!(e2, Err(PostedError::AlreadyPaid { .. })));
    assert!(matches!(
        prove_payout(&mut e.state, &keys, INITIAL, e.max_score, false),
        Err(PostedError::AlreadyPaid { .. })
    ));
}

#[crate::test]
fn missing_outputs_and_registers_are_errors_not_panics() {
    let mut e = epoch(30);
    let (mut tx, _) = honest_tx(&mut e, 5);
    tx.outputs.truncate(4);
    tx.outputs[0].r4 = None;
    let r = check_payout(&tx);
    assert!(!r.accepted);
    assert!(matches!(r.miners[4].payment_is_valid, Clause::Error(_)));
    assert!(matches!(r.next_share_state_valid, Clause::Error(_)));
    tx.outputs.clear();
    tx.state_updates[0].1.truncate(3);
    let r = check_payout(&tx);
    assert!(!r.accepted);
}
