//! **Design 1's clauses**: a payout transaction evaluated clause by clause exactly as the seed's
//! draft contract evaluates it — per miner (`miner_check`), then the next boxes
//! (`next_boxes`) — plus the hardened contract's own clauses ([`super::hardened`]) and the
//! draft's weaknesses the transaction uses ([`super::weaknesses`]).

use crate::encoding::hash::blake2b256;
use crate::encoding::hex;
use crate::pool::amount::{self, ArithmeticError};
use crate::posted::replay::{replay_both, Replayed};
use crate::posted::{
    hardened, share_state_contract, weaknesses, Clause, MinerCheck, PayoutReport, PayoutTransaction, ShareStateContract,
};
use std::collections::BTreeMap;

/// Evaluates the share-state contract on `tx`, every clause separately, and lists the
/// weaknesses of the draft the transaction uses.
pub fn check_payout(tx: &PayoutTransaction) -> PayoutReport {
    let st = &tx.share_state;
    let replayed = replay_both(&st.tree, &tx.state_updates, &tx.proof);
    let first_index = first_indices(tx);
    let miners: Vec<MinerCheck> = (0..tx.state_updates.len())
        .map(|i| miner_check(tx, i, first_index[tx.state_updates[i].0.as_slice()], &replayed))
        .collect();
    let next = next_boxes(tx, &replayed);
    let weaknesses = weaknesses::used(tx, &miners, &first_index);
    let get_many = match &replayed.get_many {
        Ok(_) => Clause::Holds,
        Err(e) => Clause::Error(format!("getMany throws: {e}")),
    };
    let valid_state_transition = miners.iter().all(MinerCheck::holds);
    let contract = st
        .script
        .as_deref()
        .map_or(ShareStateContract::Unknown, share_state_contract);
    let hardened = match contract {
        ShareStateContract::Hardened { .. } => hardened::clauses(tx, replayed.update.as_ref().ok(), &miners),
        _ => vec![],
    };
    let accepted = get_many.holds()
        && next.update.holds()
        && valid_state_transition
        && next.next_reward_valid.holds()
        && next.next_share_state_valid.holds()
        && hardened.iter().all(|c| c.clause.holds());
    PayoutReport {
        accepted,
        contract,
        hardened,
        get_many,
        next_digest: replayed.update.as_ref().ok().copied(),
        update: next.update,
        miners,
        valid_state_transition,
        next_reward_valid: next.next_reward_valid,
        next_share_state_valid: next.next_share_state_valid,
        total_paid: next.total_paid,
        weaknesses,
    }
}

/// The index of each key's first occurrence in context variable 0 (the contract's
/// `keys.indexOf(key, 0)`): every clause about a key uses it.
pub(crate) fn first_indices(tx: &PayoutTransaction) -> BTreeMap<&[u8], usize> {
    let mut first = BTreeMap::new();
    for (i, (k, _)) in tx.state_updates.iter().enumerate() {
        first.entry(k.as_slice()).or_insert(i);
    }
    first
}

fn byte_array_to_long(b: &[u8]) -> Option<i64> {
    b.get(..8)
        .map(|b| i64::from_be_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]))
}

fn arith(e: &ArithmeticError) -> String {
    format!("arithmetic error: {e}")
}

/// The five clauses of `validStateTransition` for entry `i` of context variable 0, whose key
/// first appears at `idx`.
fn miner_check(tx: &PayoutTransaction, i: usize, idx: usize, replayed: &Replayed) -> MinerCheck {
    let key = &tx.state_updates[i].0;
    let updated = &tx.state_updates[idx].1;
    let output = tx.outputs.get(idx + 2);
    let old: Result<&Vec<u8>, String> = match &replayed.get_many {
        Err(e) => Err(format!("getMany throws: {e}")),
        Ok(values) => values[idx]
            .as_ref()
            .ok_or_else(|| "the key is not in the tree: oldScores(index).get throws".to_string()),
    };
    let no_output = || Clause::Error(format!("OUTPUTS({}) does not exist", idx + 2));
    let claimed_score = byte_array_to_long(updated);
    let short_update = || {
        Clause::Error(format!(
            "the new value has {} bytes: byteArrayToLong needs 8",
            updated.len()
        ))
    };
    let expected = claimed_score.map(|s| amount::payout_amount(s, tx.reward.initial_value, tx.share_state.max_score));

    let payment_is_valid = match (&old, output, &expected) {
        (Err(e), ..) => Clause::Error(e.clone()),
        (_, _, None) => short_update(),
        (_, None, _) => no_output(),
        (_, _, Some(Err(e))) => Clause::Error(arith(e)),
        (_, Some(o), Some(Ok(amount))) => Clause::check(o.value == *amount, || {
            format!(
                "OUTPUTS({}) pays {} nanoErg, the contract demands {amount}",
                idx + 2,
                o.value
            )
        }),
    };
    let was_not_paid = match &old {
        Err(e) => Clause::Error(e.clone()),
        Ok(v) => match v.get(8) {
            None => Clause::Error(format!(
                "the old value has {} bytes: its paid byte (index 8) is missing",
                v.len()
            )),
            Some(0) => Clause::Holds,
            Some(b) => Clause::Fails(format!("the old paid byte is {b}: this key was paid already")),
        },
    };
    let is_now_paid = match (&old, updated.get(8)) {
        (Err(e), _) => Clause::Error(e.clone()),
        (_, None) => Clause::Error(format!(
            "the new value has {} bytes: its paid byte (index 8) is missing",
            updated.len()
        )),
        (_, Some(1)) => Clause::Holds,
        (_, Some(b)) => Clause::Fails(format!("the new paid byte is {b}, not 1")),
    };
    let scores_are_equal = match (&old, claimed_score) {
        (Err(e), _) => Clause::Error(e.clone()),
        (_, None) => short_update(),
        // the draft compares the claimed score with itself
        (_, Some(_)) => Clause::Holds,
    };
    let box_is_correct = match (&old, output) {
        (Err(e), _) => Clause::Error(e.clone()),
        (_, None) => no_output(),
        (_, Some(o)) => {
            let h = blake2b256(&o.script);
            Clause::check(h.as_slice() == key.as_slice(), || {
                format!(
                    "OUTPUTS({}) pays a script whose hash is {}, not the key",
                    idx + 2,
                    hex::encode(&h)
                )
            })
        }
    };
    MinerCheck {
        index: i,
        key: key.clone(),
        old_value: old.as_ref().ok().map(|v| v.to_vec()),
        new_value: updated.clone(),
        tree_score: old.as_ref().ok().and_then(|v| byte_array_to_long(v)),
        claimed_score,
        output_index: idx + 2,
        paid: output.map(|o| o.value),
        expected: expected.and_then(Result::ok),
        payment_is_valid,
        was_not_paid,
        is_now_paid,
        scores_are_equal,
        box_is_correct,
    }
}

/// The clauses about the next boxes: `update`, `nextRewardValid`, `nextShareStateValid`.
struct NextBoxes {
    /// Sum of OUTPUTS(2 .. n+2), if it does not overflow.
    total_paid: Option<i64>,
    update: Clause,
    next_reward_valid: Clause,
    next_share_state_valid: Clause,
}

fn next_boxes(tx: &PayoutTransaction, replayed: &Replayed) -> NextBoxes {
    // totalPaid = OUTPUTS.slice(2, n + 2).fold(0L, _ + _.value)
    let total_paid = tx
        .outputs
        .iter()
        .skip(2)
        .take(tx.state_updates.len())
        .try_fold(0i64, |z, o| amount::add(z, o.value));
    let next_reward_valid = match (tx.outputs.get(1), &total_paid) {
        (None, _) => Clause::Error("OUTPUTS(1) does not exist".into()),
        (_, Err(e)) => Clause::Error(arith(e)),
        (Some(o), Ok(total)) => match amount::sub(tx.reward.value, *total) {
            Err(e) => Clause::Error(arith(&e)),
            Ok(rest) => Clause::check(o.value == rest, || {
                format!(
                    "OUTPUTS(1) holds {} nanoErg; the reward box's {} minus the {total} paid is {rest}",
                    o.value, tx.reward.value
                )
            }),
        },
    };
    let update = match &replayed.update {
        Ok(_) => Clause::Holds,
        Err(e) => Clause::Error(format!("update(...).get throws: {e}")),
    };
    let next_share_state_valid = match (&replayed.update, tx.outputs.first()) {
        (Err(e), _) => Clause::Error(format!("update(...).get throws: {e}")),
        (_, None) => Clause::Error("OUTPUTS(0) does not exist".into()),
        (Ok(d), Some(o)) => match o.r4.as_ref().map(|c| c.as_avl_tree()) {
            None => Clause::Error("OUTPUTS(0) has no R4".into()),
            Some(Err(e)) => Clause::Error(format!("OUTPUTS(0).R4: {e}")),
            Some(Ok(t)) => Clause::check(t.digest == *d, || {
                format!("OUTPUTS(0).R4 has digest {}, the update yields {}", t.digest, d)
            }),
        },
    };
    NextBoxes {
        total_paid: total_paid.ok(),
        update,
        next_reward_valid,
        next_share_state_valid,
    }
}
