//! The draft contract's weaknesses, reported whenever a transaction uses them: what the draft
//! leaves unchecked and the hardened contract pins (PROTOCOL.md; `contracts/share_state.es`).

use crate::ergo::Constant;
use crate::posted::{MinerCheck, PayoutTransaction, Weakness};
use std::collections::BTreeMap;

/// The weaknesses `tx` uses, given its miners' checks and each key's first index: an empty
/// payout, repeated keys, scores paid that are not the tree's, then what the next boxes change.
pub(crate) fn used(
    tx: &PayoutTransaction,
    miners: &[MinerCheck],
    first_index: &BTreeMap<&[u8], usize>,
) -> Vec<Weakness> {
    let mut found = Vec::new();
    if tx.state_updates.is_empty() {
        found.push(Weakness::EmptyPayout);
    }
    for (i, (k, _)) in tx.state_updates.iter().enumerate() {
        let first = first_index[k.as_slice()];
        if first != i {
            found.push(Weakness::RepeatedKeyUnchecked {
                key: k.clone(),
                first,
                again: i,
                unchecked_output: i + 2,
            });
        }
    }
    for m in miners {
        if let (Some(t), Some(c)) = (m.tree_score, m.claimed_score) {
            if t != c && m.index == first_index[m.key.as_slice()] {
                found.push(Weakness::ScoreNotFromTree {
                    key: m.key.clone(),
                    tree_score: t,
                    claimed_score: c,
                });
            }
        }
    }
    found.extend(next_boxes(tx));
    found
}

/// What the next boxes change that the draft does not check.
fn next_boxes(tx: &PayoutTransaction) -> Vec<Weakness> {
    let st = &tx.share_state;
    let mut found = Vec::new();
    if let (Some(script), Some(o)) = (&st.script, tx.outputs.first()) {
        if o.script != *script {
            found.push(Weakness::NextStateScriptChanged {
                script: o.script.clone(),
            });
        }
    }
    if let (Some(script), Some(o)) = (&tx.reward.script, tx.outputs.get(1)) {
        if o.script != *script {
            found.push(Weakness::NextRewardScriptChanged {
                script: o.script.clone(),
            });
        }
    }
    if let Some(o) = tx.outputs.get(1) {
        if o.r4 != Some(Constant::Long(tx.reward.initial_value)) {
            found.push(Weakness::RewardInitialValueNotKept { found: o.r4.clone() });
        }
    }
    if let Some(o) = tx.outputs.first() {
        if o.r5 != Some(Constant::Int(st.max_score)) {
            found.push(Weakness::MaxScoreNotKept { found: o.r5.clone() });
        }
        if let Some(Constant::AvlTree(t)) = &o.r4 {
            if (t.flags, t.key_length, t.value_length) != (st.tree.flags, st.tree.key_length, st.tree.value_length) {
                found.push(Weakness::TreeParametersChanged {
                    found: Constant::AvlTree(*t),
                });
            }
        }
        if let Some(token) = st.tokens.first() {
            if !o.tokens.iter().any(|t| t.id == token.id) {
                found.push(Weakness::PoolTokenNotCarried { token: token.id });
            }
        }
    }
    found
}
