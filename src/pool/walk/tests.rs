//! The walk over a tiny ledger of real Design 1 transactions, in the node's and the explorer's
//! JSON: payouts replayed to the tip, the reward found, lies refused.

use super::*;
use crate::avl::{Key, ShareState};
use crate::encoding::hash::blake2b256;
use crate::ergo::json::{box_json, transaction_json, Flavor};
use crate::ergo::{Token, Transaction, UnsignedTransaction};
use crate::posted::epoch::{self, Contracts, Funding, Opening, Payout};
use std::collections::HashMap;

/// A tiny ledger: every box ever created, who spent it, and every transaction.
#[derive(Default)]
struct Ledger {
    boxes: HashMap<Id, (ErgoBox, Option<Id>, u32)>,
    txs: HashMap<Id, (Transaction, Vec<ErgoBox>, u32)>,
}

impl Ledger {
    fn apply(&mut self, tx: &UnsignedTransaction, height: u32) {
        let t = tx.transaction();
        let id = t.id();
        for i in &tx.inputs {
            self.boxes
                .entry(i.spent.id())
                .or_insert((i.spent.clone(), None, height))
                .1 = Some(id);
        }
        for b in t.output_boxes() {
            self.boxes.insert(b.id(), (b, None, height));
        }
        self.txs
            .insert(id, (t, tx.inputs.iter().map(|i| i.spent.clone()).collect(), height));
    }
    fn answer(&self, need: Need, flavor: Flavor) -> String {
        match need {
            Need::Box(id) => {
                let (b, spent, h) = &self.boxes[&id];
                box_json(b, flavor, *spent, Some(*h)).to_string()
            }
            Need::Transaction(id) => {
                let (t, spent, h) = &self.txs[&id];
                let mut v = transaction_json(t, spent, &[], flavor, Some(*h), None);
                // outputs carry their spent status, as both interfaces report it
                for (i, b) in t.output_boxes().iter().enumerate() {
                    v["outputs"][i]["spentTransactionId"] =
                        serde_json::json!(self.boxes[&b.id()].1.map(|s| s.to_hex()));
                }
                v.to_string()
            }
        }
    }
}

fn script(i: u32) -> Vec<u8> {
    [&[0x00, 0x08, 0xcd, 0x02][..], &blake2b256(&i.to_be_bytes())].concat()
}

fn epoch_with_payouts(payouts: usize) -> (Ledger, Id, Vec<Key>) {
    let scripts: HashMap<Key, Vec<u8>> = (0..60).map(|i| (blake2b256(&script(i)), script(i))).collect();
    let mut state = ShareState::from_entries(
        scripts
            .keys()
            .map(|k| (*k, ShareValue::unpaid(50_000).to_bytes().to_vec())),
    )
    .unwrap();
    let pool = script(9999);
    let funding = |seed: u8| Funding {
        inputs: vec![ErgoBox {
            value: 100_000_000_000,
            ergo_tree: pool.clone(),
            creation_height: 1,
            tokens: vec![Token { id: [5; 32], amount: 2 }],
            registers: vec![],
            transaction_id: Id([seed; 32]),
            index: 0,
        }],
        change_tree: pool.clone(),
        fee: 1_000_000,
    };
    let mut ledger = Ledger::default();
    let open = epoch::open(
        &Opening {
            contracts: &Contracts::draft(),
            max_score: 3_000_000,
            to_pay: 60,
            reward: 10_000_000_000,
            pool_token: None,
        },
        &mut state,
        &funding(1),
        100,
    )
    .unwrap();
    ledger.apply(&open, 100);
    let mut boxes = open.transaction().output_boxes();
    let start = boxes[0].id();
    let keys = state.keys();
    for (n, chunk) in keys.chunks(20).take(payouts).enumerate() {
        let batch = crate::posted::prove_payout(&mut state, chunk, 10_000_000_000, 3_000_000, true).unwrap();
        let tx = epoch::payout(
            &Payout {
                state_box: &boxes[0],
                reward_box: &boxes[1],
                batch: &batch,
                script_of: &|k| scripts.get(k).cloned(),
            },
            &funding(2 + n as u8),
            101 + n as u32,
        )
        .unwrap();
        ledger.apply(&tx, 101 + n as u32);
        boxes = tx.transaction().output_boxes();
    }
    (ledger, start, keys)
}

fn run(ledger: &Ledger, start: Id, flavor: Flavor) -> Result<Walk, WalkError> {
    let mut w = Walker::new(start);
    while let Some(need) = w.next() {
        let answer = ledger.answer(need, flavor);
        match need {
            Need::Box(_) => w.feed_box(&answer)?,
            Need::Transaction(_) => w.feed_transaction(&answer)?,
        }
    }
    Ok(w.into_walk().unwrap())
}

#[crate::test]
fn an_epoch_starts_at_the_share_state_box_no_payout_created() {
    let (ledger, start, _) = epoch_with_payouts(2);
    // every box of the ledger, as an interface lists them: three share states, reward
    // boxes, payments, fee and change boxes
    let boxes: Vec<ChainBox> = ledger
        .boxes
        .keys()
        .map(|id| decode_box(&ledger.answer(Need::Box(*id), Flavor::Node)).unwrap())
        .collect();
    assert_eq!(boxes.iter().filter(|b| is_share_state(b)).count(), 3);
    assert_eq!(epoch_starts(&boxes), vec![start]);
    // without the first box, the walk can only begin at the next one
    let later: Vec<ChainBox> = boxes.into_iter().filter(|b| b.id != start).collect();
    assert_eq!(epoch_starts(&later).len(), 1);
    assert_ne!(epoch_starts(&later), vec![start]);
}

#[crate::test]
fn a_node_walk_replays_every_payout_to_the_tip() {
    let (ledger, start, keys) = epoch_with_payouts(2);
    let walk = run(&ledger, start, Flavor::Node).unwrap();
    assert_eq!(walk.contract, ShareStateContract::Draft);
    assert_eq!(walk.steps.len(), 2);
    assert!(walk.steps.iter().all(|s| s.report.accepted && s.tx_id_verified));
    assert!(walk.tip.spent_transaction_id.is_none());
    // a key of batch 2: unpaid before, paid after, 50,000 × 10 ERG / 3,000,000
    let (step, t) = walk.latest(&keys[25]).unwrap();
    assert_eq!(step.height, Some(102));
    assert_eq!(t.before, Some(ShareValue::unpaid(50_000)));
    assert_eq!(
        t.after,
        Some(ShareValue {
            score: 50_000,
            paid: true
        })
    );
    assert_eq!(t.paid, Some(166_666_666));
    // untouched keys: the tip's digest is the state after both batches
    assert!(walk.latest(&keys[45]).is_none());
    assert_eq!(walk.tip_digest(), Some(walk.steps[1].report.next_digest.unwrap()));
}

#[crate::test]
fn an_epoch_without_payouts_finds_its_reward_in_its_opening() {
    let (ledger, start, _) = epoch_with_payouts(0);
    let mut w = Walker::new(start);
    w.feed_box(&ledger.answer(Need::Box(start), Flavor::Node)).unwrap();
    let start_box = &ledger.boxes[&start].0;
    assert_eq!(w.next(), Some(Need::Transaction(start_box.transaction_id)));
    // another transaction than the opening is refused
    let (other_ledger, other_start, _) = epoch_with_payouts(1);
    let other = other_ledger.boxes[&other_start].1.unwrap();
    assert!(matches!(
        w.feed_transaction(&other_ledger.answer(Need::Transaction(other), Flavor::Node)),
        Err(WalkError::WrongAnswer { .. })
    ));
    let walk = run(&ledger, start, Flavor::Node).unwrap();
    assert!(walk.steps.is_empty());
    assert_eq!(walk.reward, Some(10_000_000_000));
}

#[crate::test]
fn an_opening_that_cannot_be_proven_leaves_the_reward_unknown() {
    let (ledger, start, _) = epoch_with_payouts(0);
    let opening = ledger.boxes[&start].0.transaction_id;
    let feed = |answer: String| {
        let mut w = Walker::new(start);
        w.feed_box(&ledger.answer(Need::Box(start), Flavor::Node)).unwrap();
        w.feed_transaction(&answer).unwrap();
        assert_eq!(w.next(), None);
        w.into_walk().unwrap().reward
    };
    // the explorer's form: no context extensions, so the id is not recomputed and the
    // outputs could be anything: a reward written into R4 of OUTPUTS(1) is not taken
    let explorer = ledger.answer(Need::Transaction(opening), Flavor::Explorer);
    assert_eq!(feed(explorer.clone()), None);
    let v: serde_json::Value = serde_json::from_str(&explorer).unwrap();
    assert!(v["outputs"][1]["additionalRegisters"]["R4"].is_object());
    // an opening whose OUTPUTS(1) is not the contract's reward box (here the pool's own
    // script with a Long in R4): its id checks, the reward stays unknown
    let (t, spent, _) = &ledger.txs[&opening];
    let mut forged = UnsignedTransaction {
        inputs: spent
            .iter()
            .map(|b| crate::ergo::UnsignedInput {
                spent: b.clone(),
                extension: vec![],
            })
            .collect(),
        data_inputs: vec![],
        outputs: t.outputs.clone(),
    };
    forged.outputs[1].ergo_tree = script(9999);
    forged.outputs[1].registers = vec![crate::ergo::Constant::Long(1).to_bytes()];
    let mut other = Ledger::default();
    other.apply(&forged, 100);
    let forged_start = forged.transaction().output_boxes()[0].id();
    let walk = run(&other, forged_start, Flavor::Node).unwrap();
    assert_eq!(walk.reward, None);
}

#[crate::test]
fn the_explorer_cannot_replay_and_says_so() {
    let (ledger, start, _) = epoch_with_payouts(2);
    assert!(matches!(
        run(&ledger, start, Flavor::Explorer),
        Err(WalkError::NoExtension { .. })
    ));
}

#[crate::test]
fn a_lying_answer_stops_the_walk() {
    let (ledger, start, _) = epoch_with_payouts(2);
    let mut w = Walker::new(start);
    let other = ledger.boxes.keys().find(|k| **k != start).copied().unwrap();
    let answer = ledger.answer(Need::Box(other), Flavor::Node);
    assert!(matches!(
        w.feed_box(&answer),
        Err(WalkError::WrongAnswer { .. }) | Err(WalkError::NotShareState { .. })
    ));
}
