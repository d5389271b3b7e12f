//! The audit over epochs opened honestly and not, on the walk's test ledger.

use super::*;
use crate::pool::walk::testing::{TestEpoch, DEADLINE, MINERS, OPENED, REWARD, SCORE};

const HONEST_MAX: i32 = (MINERS as i32) * (SCORE as i32);

fn audited(e: &mut TestEpoch) -> Audit {
    let walk = e.walk().unwrap();
    audit(&walk, &mut e.state).unwrap()
}

#[crate::test]
fn an_honest_epoch_passes_at_every_stage() {
    let mut e = TestEpoch::open(true, HONEST_MAX);
    let a = audited(&mut e);
    assert!(a.passed(), "{:?}", a.findings);
    assert_eq!(
        (a.miners, a.unpaid, a.payable, a.dust, a.score_sum),
        (60, 60, 60, 0, 3_000_000)
    );
    // 60 × (50,000 × 10 ERG / 3,000,000) = 60 × 166,666,666
    assert_eq!(a.owed, Some(60 * 166_666_666));
    assert!(a.reward_left.unwrap() >= REWARD);
    e.pay(20);
    e.pay(20);
    let a = audited(&mut e);
    assert!(a.passed(), "{:?}", a.findings);
    assert_eq!(a.unpaid, 20);
    assert_eq!(a.owed, Some(20 * 166_666_666));
    e.pay(20);
    e.close();
    let a = audited(&mut e);
    assert!(a.passed(), "{:?}", a.findings);
    assert_eq!(a.unpaid, 0);
}

#[crate::test]
fn a_deadline_soon_after_the_opening_lets_the_operator_close_early_and_the_audit_says_what_they_can_take() {
    let mut e = TestEpoch::open_until(true, HONEST_MAX, REWARD, OPENED + 10);
    let a = audited(&mut e);
    assert_eq!(
        a.findings,
        vec![Finding::Deadline {
            deadline: Some(OPENED as i32 + 10),
            opened: Some(OPENED),
            payable: Some(60),
            owed: Some(60 * 166_666_666)
        }]
    );
    assert_eq!(
        a.findings[0].to_string(),
        "can close early: 9.999999960 ERG owed to 60 unpaid miners — the operator may close the epoch from height 110, 10 blocks after it opened (the audit asks for at least 5040, a week)"
    );
    // a pool that serves no snapshot does not hide it: the chain alone tells the window
    let chain_only = audit_chain(&e.walk().unwrap());
    assert_eq!(
        chain_only.iter().map(ToString::to_string).collect::<Vec<_>>(),
        vec!["can close early: the operator may close the epoch from height 110, 10 blocks after it opened (the audit asks for at least 5040, a week)"]
    );
    // nor a source that puts the opening before the box's own creation height
    let mut w = e.walk().unwrap();
    w.start.inclusion_height = Some(w.start.ergo_box.creation_height - 1);
    assert!(matches!(audit_chain(&w)[..], [Finding::Deadline { opened: None, .. }]));
    // and when the operator does, the epoch ended with every miner unpaid
    e.close();
    let a = audited(&mut e);
    assert!(a
        .findings
        .iter()
        .any(|f| matches!(f, Finding::EndedUnpaid { unpaid: 60, .. })));
    // one block short of the window is found, the window itself is not
    let mut e = TestEpoch::open_until(true, HONEST_MAX, REWARD, DEADLINE - 1);
    assert!(matches!(audited(&mut e).findings[..], [Finding::Deadline { .. }]));
    let mut e = TestEpoch::open_until(true, HONEST_MAX, REWARD, DEADLINE);
    assert!(audited(&mut e).passed());
}

#[crate::test]
fn an_epoch_token_not_minted_as_the_contract_assumes_is_found() {
    let mut e = TestEpoch::open(true, HONEST_MAX);
    let walk = e.walk().unwrap();
    assert_eq!(walk.epoch_token, Some(Ok(())));
    // what the walk makes of an opening that minted three units, elsewhere, or unproven
    let opening: crate::ergo::json::ChainTransaction = {
        let need = crate::pool::walk::Need::Transaction(walk.start.ergo_box.transaction_id);
        crate::ergo::json::decode_transaction(&e.ledger.answer(need, crate::ergo::json::Flavor::Node)).unwrap()
    };
    let mut three = opening.clone();
    three.outputs[2].ergo_box.tokens.push(e.state_box.tokens[1].clone());
    let why = crate::posted::hardened::epoch_token_minted(&walk.start, &three).unwrap_err();
    assert!(
        why.contains("the contract needs one unit in the share-state box and one"),
        "{why}"
    );
    let mut elsewhere = opening.clone();
    elsewhere.inputs[0].box_id = crate::ergo::Id([1; 32]);
    let why = crate::posted::hardened::epoch_token_minted(&walk.start, &elsewhere).unwrap_err();
    assert!(
        why.contains("was not minted by the transaction that opened the epoch"),
        "{why}"
    );
    let mut unproven = opening;
    unproven.id_verified = false;
    assert!(crate::posted::hardened::epoch_token_minted(&walk.start, &unproven).is_err());
    // and the audit says so
    let mut w = walk.clone();
    w.epoch_token = Some(Err(why.clone()));
    assert_eq!(
        audit(&w, &mut e.state).unwrap().findings,
        vec![Finding::EpochToken { why: why.clone() }]
    );
    assert!(Finding::EpochToken { why }
        .to_string()
        .contains("so other boxes may spend the reward: "));
    // an opening the walk never read is no proof either
    let mut w = walk.clone();
    w.epoch_token = None;
    assert!(audit_chain(&w).contains(&Finding::EpochToken {
        why: "the epoch's opening was not read".into()
    }));
}

#[crate::test]
fn a_max_score_other_than_the_sum_of_scores_is_found() {
    // too small: the first miners are overpaid and the reward runs out
    let mut e = TestEpoch::open(true, HONEST_MAX / 2);
    let a = audited(&mut e);
    assert!(a.findings.contains(&Finding::MaxScore {
        max_score: HONEST_MAX / 2,
        sum: 3_000_000
    }));
    // owed twice the reward: the box cannot hold it
    assert!(a.findings.iter().any(|f| matches!(f, Finding::RewardShort { .. })));
    assert!(a.findings.iter().any(|f| f.to_string().contains("runs out")));
    // too large: the operator keeps the rest
    let mut e = TestEpoch::open(false, HONEST_MAX * 2);
    let a = audited(&mut e);
    assert_eq!(
        a.findings,
        vec![Finding::MaxScore {
            max_score: HONEST_MAX * 2,
            sum: 3_000_000
        }]
    );
}

#[crate::test]
fn a_reward_box_spent_outside_the_payouts_is_found() {
    let mut e = TestEpoch::open(true, HONEST_MAX);
    e.pay(20);
    let mut walk = e.walk().unwrap();
    let stolen = Id([0xee; 32]);
    walk.reward_box.as_mut().unwrap().spent_transaction_id = Some(stolen);
    let a = audit(&walk, &mut e.state).unwrap();
    assert!(a.findings.iter().any(|f| *f
        == Finding::RewardSpent {
            box_id: e.reward_box.id(),
            by: Some(stolen)
        }));
    // and a payout that spent another reward box than the epoch's own
    let mut walk = e.walk().unwrap();
    walk.steps[0].reward_followed = Some(false);
    let a = audit(&walk, &mut e.state).unwrap();
    assert!(a.findings.iter().any(|f| matches!(f, Finding::ForeignReward { .. })));
}

#[crate::test]
fn a_snapshot_of_another_state_or_an_unknown_contract_is_not_audited() {
    let mut e = TestEpoch::open(true, HONEST_MAX);
    let walk = e.walk().unwrap();
    let mut other = ShareState::from_entries([([1u8; 32], ShareValue::unpaid(1).to_bytes().to_vec())]).unwrap();
    assert!(matches!(audit(&walk, &mut other), Err(AuditError::NotTheState { .. })));
    let mut unknown = walk.clone();
    unknown.contract = ShareStateContract::Unknown;
    assert_eq!(audit(&unknown, &mut e.state), Err(AuditError::UnknownContract));
}

#[crate::test]
fn an_epoch_ends_in_words() {
    let mut e = TestEpoch::open(true, HONEST_MAX);
    for _ in 0..3 {
        e.pay(20);
    }
    let left = e.reward_box.value;
    e.close();
    let walk = e.walk().unwrap();
    let a = audit(&walk, &mut e.state).unwrap();
    assert_eq!(
        describe_end(&walk, Some(&a)).unwrap(),
        format!(
            "closed by the operator at height {DEADLINE}; {} ERG left in the reward box; 0 miners were unpaid",
            erg(left as i64)
        )
    );
    assert_eq!(
        describe_end(&walk, None).unwrap(),
        format!(
            "closed by the operator at height {DEADLINE}; {} ERG left in the reward box",
            erg(left as i64)
        )
    );
}

#[crate::test]
fn a_reward_of_zero_is_found_though_nobody_is_then_owed_anything() {
    // R4 = 0: every miner is "dust", the box owes nothing — and nobody is paid
    let mut e = TestEpoch::open_with_reward(true, HONEST_MAX, 0);
    let a = audited(&mut e);
    assert!(
        a.findings.contains(&Finding::RewardNotPositive { r4: 0 }),
        "{:?}",
        a.findings
    );
}

#[crate::test]
fn miners_the_contract_cannot_compute_are_found_not_counted_as_owed() {
    // a walk whose maxScore and reward make every payment overflow a Long
    let mut e = TestEpoch::open(true, HONEST_MAX);
    let mut walk = e.walk().unwrap();
    walk.max_score = 1;
    walk.reward = Some(i64::MAX / 2);
    let a = audit(&walk, &mut e.state).unwrap();
    assert!(
        a.findings.contains(&Finding::Overflowing {
            count: 60,
            key: e.keys[0]
        }),
        "{:?}",
        a.findings
    );
    assert_eq!((a.payable, a.owed), (0, Some(0)));
}

#[crate::test]
fn an_unproven_reward_box_or_a_draft_weakness_is_never_audited_as_fine() {
    let mut e = TestEpoch::open(true, HONEST_MAX);
    e.pay(20);
    let mut walk = e.walk().unwrap();
    walk.steps[0].reward_followed = None;
    let found = audit_chain(&walk);
    assert!(
        found.iter().any(|f| matches!(f, Finding::ForeignReward { .. })),
        "{found:?}"
    );
    let mut walk = e.walk().unwrap();
    walk.steps[0]
        .report
        .weaknesses
        .push(crate::posted::Weakness::MaxScoreNotKept { found: None });
    assert!(audit_chain(&walk)
        .iter()
        .any(|f| matches!(f, Finding::WeaknessUsed { count: 1, .. })));
    // an empty payout is not a weakness of the boxes audited
    let mut walk = e.walk().unwrap();
    walk.steps[0]
        .report
        .weaknesses
        .push(crate::posted::Weakness::EmptyPayout);
    assert!(audit_chain(&walk).is_empty());
}

#[crate::test]
fn a_miner_can_be_paid_from_the_floor_of_a_first_payment_on() {
    let floor = min_plain_box_value(36, 1_600_000, FIRST_PAYMENT);
    assert!(can_be_paid(floor, Some(36), 1_600_000));
    assert!(!can_be_paid(floor - 1, Some(36), 1_600_000));
    // an unknown script is taken at its shortest: payable from a lower floor
    assert!(can_be_paid(floor - 1, None, 1_600_000));
}
