//! The walk over a tiny ledger of real Design 1 transactions, in the node's and the explorer's
//! JSON: payouts replayed to the tip, the reward found, lies refused.

use super::testing::{epoch_with_payouts, funding, script, Ledger, TestEpoch, DEADLINE, MINERS, REWARD};
use super::*;
use crate::ergo::json::Flavor;
use crate::ergo::UnsignedTransaction;
use crate::posted::epoch;

fn run(ledger: &Ledger, start: Id, flavor: Flavor) -> Result<Walk, WalkError> {
    let mut w = Walker::new(start);
    w.drive(|need| ledger.answer(need, flavor))?;
    Ok(w.into_walk().unwrap())
}

#[crate::test]
fn a_key_absent_from_an_epochs_first_state_is_absent_from_all_of_it() {
    let (ledger, start, _) = epoch_with_payouts(2);
    let first = decode_box(&ledger.answer(Need::Box(start), Flavor::Node)).unwrap();
    let (digest, max_score) = absence_holds_for_epoch(&first).unwrap();
    assert_eq!((digest, max_score), share_state(&first).unwrap());
    // the premise: a payout's update of a key the tree does not hold fails
    let mut state = crate::ShareState::from_entries([([1; 32], ShareValue::unpaid(5).to_bytes().to_vec())]).unwrap();
    let paid = ShareValue { score: 5, paid: true }.to_bytes().to_vec();
    assert!(state.prove(&[crate::Operation::Update([2; 32], paid.clone())]).is_err());
    assert!(state.prove(&[crate::Operation::Update([1; 32], paid)]).is_ok());
    // a box of another contract may do anything later: its epoch must be walked
    let mut other = first.clone();
    other.ergo_box.ergo_tree = vec![0x10, 0x01, 0x01, 0x01];
    assert_eq!(absence_holds_for_epoch(&other), None);
    // and a box that is no share state says nothing
    let walk = run(&ledger, start, Flavor::Node).unwrap();
    let reward = walk.reward_box.unwrap();
    assert_eq!(absence_holds_for_epoch(&reward), None);
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
    assert_eq!(t.before, Some(Ok(ShareValue::unpaid(50_000))));
    assert_eq!(
        t.after,
        Ok(ShareValue {
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
    // ...and leaves the walk waiting for the right one, which it then takes
    assert_eq!(w.next(), Some(Need::Transaction(start_box.transaction_id)));
    w.drive(|need| ledger.answer(need, Flavor::Node)).unwrap();
    let walk = w.into_walk().unwrap();
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
        w.into_walk().unwrap().reward
    };
    // the explorer's form has no context extensions, so the transaction's id is not
    // recomputed; but OUTPUTS(1)'s own id commits to the transaction and its index, so the
    // reward box is proven all the same
    let explorer = ledger.answer(Need::Transaction(opening), Flavor::Explorer);
    assert_eq!(feed(explorer.clone()), Some(10_000_000_000));
    // an OUTPUTS(1) that claims another index does not check against its id: refused
    let mut v: serde_json::Value = serde_json::from_str(&explorer).unwrap();
    v["outputs"][1]["index"] = serde_json::json!(2);
    let mut w = Walker::new(start);
    w.feed_box(&ledger.answer(Need::Box(start), Flavor::Node)).unwrap();
    assert!(w.feed_transaction(&v.to_string()).is_err());
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
fn an_answer_that_cannot_be_replayed_leaves_the_walk_waiting_for_one_that_can() {
    let (ledger, start, _) = epoch_with_payouts(2);
    let spender = ledger.boxes[&start].1.unwrap();
    let mut w = Walker::new(start);
    while let Some(need) = w.next().filter(|n| *n != Need::Transaction(spender)) {
        match need {
            Need::Box(_) => w.feed_box(&ledger.answer(need, Flavor::Node)).unwrap(),
            Need::Transaction(_) => w.feed_transaction(&ledger.answer(need, Flavor::Node)).unwrap(),
        }
    }
    // the explorer's copy: the right id, but no context extension to replay the payout from
    let explorer = ledger.answer(Need::Transaction(spender), Flavor::Explorer);
    assert!(matches!(
        w.feed_transaction(&explorer),
        Err(WalkError::NoExtension { .. })
    ));
    assert_eq!(w.next(), Some(Need::Transaction(spender)), "not frozen as done");
    w.drive(|need| ledger.answer(need, Flavor::Node)).unwrap();
    assert_eq!(w.into_walk().unwrap().steps.len(), 2);
}

#[crate::test]
fn a_lying_answer_is_refused_and_the_walk_waits_for_the_right_one() {
    let (ledger, start, _) = epoch_with_payouts(2);
    let mut w = Walker::new(start);
    let other = ledger.boxes.keys().find(|k| **k != start).copied().unwrap();
    let answer = ledger.answer(Need::Box(other), Flavor::Node);
    assert!(matches!(w.feed_box(&answer), Err(WalkError::WrongAnswer { .. })));
    assert_eq!(w.next(), Some(Need::Box(start)), "not frozen as done");
    w.drive(|need| ledger.answer(need, Flavor::Node)).unwrap();
    assert_eq!(w.into_walk().unwrap().steps.len(), 2);
}

#[crate::test]
fn the_reward_box_is_followed_from_the_opening_to_the_tip() {
    let mut e = TestEpoch::open(true, 3_000_000);
    e.pay(20);
    e.pay(20);
    let walk = e.walk().unwrap();
    assert!(matches!(walk.contract, ShareStateContract::Hardened { .. }));
    assert_eq!(walk.reward, Some(REWARD as i64));
    assert!(walk
        .steps
        .iter()
        .all(|s| s.report.accepted && s.reward_followed == Some(true)));
    let reward_box = walk.reward_box.as_ref().unwrap();
    assert_eq!(reward_box.id, e.reward_box.id());
    assert_eq!(reward_box.spent_transaction_id, None);
    assert!(walk.end.is_none());
}

#[crate::test]
fn a_close_after_full_payment_ends_the_epoch() {
    let mut e = TestEpoch::open(true, 3_000_000);
    for _ in 0..3 {
        e.pay(20);
    }
    let left = e.reward_box.value;
    let last_state = e.state_box.id();
    let close = e.close();
    let walk = e.walk().unwrap();
    assert_eq!(walk.steps.len(), 3);
    let end = walk.end.clone().unwrap();
    assert_eq!(
        end,
        End {
            tx_id: close,
            tx_id_verified: true,
            height: Some(DEADLINE),
            kind: EndKind::Closed,
            reward_left: Some(left),
        }
    );
    // the last share state stays the tip: untouched keys are looked up against its digest
    assert_eq!(walk.tip.id, last_state);
    assert_eq!(walk.reward_box.unwrap().spent_transaction_id, Some(close));
}

#[crate::test]
fn a_spend_before_the_deadline_that_is_not_a_payout_is_no_close() {
    // the contract refuses it, so a source that shows one is wrong: the epoch ends, said so
    let mut e = TestEpoch::open(true, 3_000_000);
    e.pay(20);
    let tx = e.close_transaction();
    let early = e.apply_next(&tx);
    let walk = e.walk().unwrap();
    assert_eq!(walk.steps.len(), 1);
    let end = walk.end.unwrap();
    assert_eq!(end.tx_id, early);
    assert!(
        matches!(end.kind, EndKind::Other(ref why) if why.contains(&format!("before the deadline (height {DEADLINE})"))),
        "{:?}",
        end.kind
    );
}

#[crate::test]
fn a_spend_at_the_deadline_is_the_operators_close() {
    let mut e = TestEpoch::open(true, 3_000_000);
    e.pay(20);
    let close = e.close();
    let walk = e.walk().unwrap();
    let end = walk.end.unwrap();
    assert_eq!(
        (end.tx_id, end.kind, end.height),
        (close, EndKind::Closed, Some(DEADLINE))
    );
    assert_eq!(walk.epoch_token, Some(Ok(())));
    // built at DEADLINE - 1 it lands at the deadline; built a block earlier it could land
    // before, and the operator cannot build it
    let (state_box, reward_box) = (e.state_box.clone(), e.reward_box.clone());
    assert!(epoch::close(&state_box, Some(&reward_box), &funding(8), DEADLINE - 1).is_ok());
    assert_eq!(
        epoch::close(&state_box, Some(&reward_box), &funding(8), DEADLINE - 2).unwrap_err(),
        epoch::EpochError::BeforeDeadline {
            deadline: DEADLINE.into(),
            height: DEADLINE - 2
        }
    );
}

#[crate::test]
fn a_payout_is_built_only_while_it_lands_before_the_deadline() {
    let e = TestEpoch::open(true, 3_000_000);
    let batch =
        crate::posted::prove_payout(&mut e.state.clone(), &e.keys[..2], REWARD as i64, 3_000_000, false).unwrap();
    let scripts = |k: &crate::Key| {
        (0..MINERS)
            .map(script)
            .find(|s| crate::encoding::hash::blake2b256(s) == *k)
    };
    let payout = |height| {
        epoch::payout(
            &epoch::Payout {
                state_box: &e.state_box,
                reward_box: &e.reward_box,
                batch: &batch,
                script_of: &scripts,
            },
            &funding(9),
            height,
        )
    };
    assert!(payout(DEADLINE - 2).is_ok());
    assert_eq!(
        payout(DEADLINE - 1).unwrap_err(),
        epoch::EpochError::PastDeadline {
            deadline: DEADLINE.into(),
            height: DEADLINE - 1
        }
    );
}

#[crate::test]
fn a_spend_without_the_payout_variables_ends_a_draft_epoch() {
    let mut e = TestEpoch::open(false, 3_000_000);
    e.pay(20);
    let close = e.close();
    let walk = e.walk().unwrap();
    assert_eq!(walk.steps.len(), 1);
    let end = walk.end.unwrap();
    assert_eq!(end.tx_id, close);
    assert!(
        matches!(end.kind, EndKind::Other(ref why) if why.contains("context variables")),
        "{:?}",
        end.kind
    );
}

#[crate::test]
fn empty_payouts_are_reported_and_bounded_by_the_step_budget() {
    // the draft accepts a payout that pays no one; the hardened contract refuses it
    for hardened in [false, true] {
        let mut e = TestEpoch::open(hardened, 3_000_000);
        e.pay(20);
        for _ in 0..4 {
            e.pay(0);
        }
        let walk = e.walk().unwrap();
        assert_eq!(walk.steps.len(), 5);
        assert_eq!(walk.empty_payouts(), 4);
        let empty = &walk.steps[1].report;
        assert_eq!(empty.weaknesses, vec![crate::posted::Weakness::EmptyPayout]);
        if hardened {
            assert!(!empty.accepted);
            assert_eq!(empty.failing(), vec!["paysSomeone"]);
        } else {
            assert!(empty.accepted);
        }
        // a budget of three payouts stops the walk with an error that names it
        let err = e.ledger.walk(e.start, Flavor::Node, 3).unwrap_err();
        assert_eq!(err, WalkError::StepBudget { budget: 3 });
        assert!(err.to_string().contains("replayed 3 payouts"));
    }
}
