//! The hardened contract's clauses beyond the draft's (`contracts/share_state.es`): the next
//! boxes pinned whole (the deadline R6 with them), the epoch's own token required in the reward
//! box, scores taken from the tree, keys unique, at least one miner paid — its one other branch,
//! the operator's close from the deadline height on ([`branch`]) — and the check that the
//! epoch's token was minted as the contract assumes ([`epoch_token_minted`]).

use crate::avl::{AvlTreeData, Digest};
use crate::ergo::json::{ChainBox, ChainTransaction};
use crate::ergo::{Constant, ErgoBox};
use crate::posted::clauses::first_indices;
use crate::posted::{Clause, MinerCheck, NamedClause, Output, PayoutTransaction};

/// The hardened contract's clauses beyond the draft's (contracts/share_state.es).
pub(crate) fn clauses(tx: &PayoutTransaction, next_digest: Option<&Digest>, miners: &[MinerCheck]) -> Vec<NamedClause> {
    let st = &tx.share_state;
    let n = tx.state_updates.len() as i64;
    let out0 = tx.outputs.first();
    let out1 = tx.outputs.get(1);
    let missing = |i: usize| Clause::Error(format!("OUTPUTS({i}) does not exist"));
    let on = |o: Option<&Output>, i: usize, f: &dyn Fn(&Output) -> Clause| o.map_or_else(|| missing(i), f);
    let same = |ok: bool, what: &str| Clause::check(ok, || format!("{what} differs"));
    let epoch_token = st.tokens.get(1).map(|t| t.id);
    let mut v = vec![
        NamedClause {
            name: "paysSomeone",
            clause: Clause::check(n > 0, || "the payout pays no one (keys.size is 0)".into()),
        },
        NamedClause {
            name: "rewardHoldsEpochToken",
            clause: match epoch_token {
                None => Clause::Error("SELF.tokens(1) does not exist".into()),
                Some(t) => Clause::check(tx.reward.tokens.first().map(|r| r.id) == Some(t), || {
                    "INPUTS(1) does not hold the epoch's token first".into()
                }),
            },
        },
        NamedClause {
            name: "nextStateScript",
            clause: on(out0, 0, &|o| {
                same(Some(&o.script) == st.script.as_ref(), "OUTPUTS(0)'s script")
            }),
        },
        NamedClause {
            name: "nextStateValue",
            clause: on(out0, 0, &|o| same(Some(o.value) == st.value, "OUTPUTS(0)'s value")),
        },
        NamedClause {
            name: "nextStateTokens",
            clause: on(out0, 0, &|o| same(o.tokens == st.tokens, "OUTPUTS(0)'s tokens")),
        },
        NamedClause {
            name: "nextStateTree",
            clause: on(out0, 0, &|o| match next_digest {
                None => Clause::Error("update(...).get throws".into()),
                Some(d) => same(
                    o.r4 == Some(Constant::AvlTree(AvlTreeData { digest: *d, ..st.tree })),
                    "OUTPUTS(0).R4 (the whole tree)",
                ),
            }),
        },
        NamedClause {
            name: "nextStateMaxScore",
            clause: on(out0, 0, &|o| {
                same(o.r5 == Some(Constant::Int(st.max_score)), "OUTPUTS(0).R5")
            }),
        },
        NamedClause {
            name: "nextStateDeadline",
            clause: on(out0, 0, &|o| match st.deadline {
                None => Clause::Error("SELF.R6 is missing".into()),
                Some(d) => same(o.r6 == Some(Constant::Int(d)), "OUTPUTS(0).R6 (the deadline)"),
            }),
        },
        NamedClause {
            name: "nextRewardScript",
            clause: on(out1, 1, &|o| {
                same(Some(&o.script) == tx.reward.script.as_ref(), "OUTPUTS(1)'s script")
            }),
        },
        NamedClause {
            name: "nextRewardTokens",
            clause: on(out1, 1, &|o| same(o.tokens == tx.reward.tokens, "OUTPUTS(1)'s tokens")),
        },
        NamedClause {
            name: "nextRewardInitialValue",
            clause: on(out1, 1, &|o| {
                same(o.r4 == Some(Constant::Long(tx.reward.initial_value)), "OUTPUTS(1).R4")
            }),
        },
    ];
    let changed = miners
        .iter()
        .filter(|m| m.tree_score.is_some() && m.tree_score != m.claimed_score)
        .count();
    v.push(NamedClause {
        name: "scoresFromTree",
        clause: Clause::check(changed == 0, || {
            format!("{changed} miners paid on a score not in the tree")
        }),
    });
    v.push(NamedClause {
        name: "keysUnique",
        clause: Clause::check(first_indices(tx).len() == tx.state_updates.len(), || {
            "a key appears twice".into()
        }),
    });
    v
}

/// Which branch of the hardened contract a spend of its share-state box takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Branch {
    /// Before the deadline: only a payout, checked clause by clause.
    Payout,
    /// From the deadline height on: whatever the operator signs.
    Operator,
}

/// The deadline (R6) of a hardened share-state box: the height from which the operator may
/// close the epoch. None when R6 is not an Int (the contract then refuses every spend).
pub fn deadline(state_box: &ErgoBox) -> Option<i32> {
    match state_box.register(6) {
        Some(Ok(Constant::Int(d))) => Some(d),
        _ => None,
    }
}

/// The branch a spend of the hardened share-state box `state_box` takes in a block at
/// `height` (the contract's HEIGHT); None without a deadline.
pub fn branch(state_box: &ErgoBox, height: u32) -> Option<Branch> {
    let d = deadline(state_box)?;
    Some(if i64::from(height) >= i64::from(d) {
        Branch::Operator
    } else {
        Branch::Payout
    })
}

/// Whether the hardened epoch that starts at `start` has its own token as the contract assumes:
/// `start`'s second token, minted by `opening` (the transaction that made `start`: a token's id
/// is its minting transaction's first input's), in two units — one in `start`, one in the
/// reward box beside it (OUTPUTS(1)) — and in no other output. Else why not.
pub fn epoch_token_minted(start: &ChainBox, opening: &ChainTransaction) -> Result<(), String> {
    let Some(token) = start.ergo_box.tokens.get(1) else {
        return Err("the share-state box holds no second token, the epoch's own".into());
    };
    if opening.outputs.first().map(|o| o.id) != Some(start.id) {
        return Err("the share-state box is not the first output of the transaction given as its opening".into());
    }
    if !opening.id_verified {
        return Err("the opening transaction's id was not recomputed, so its inputs are only the source's word".into());
    }
    if opening.inputs.first().map(|i| i.box_id.0) != Some(token.id) {
        return Err(format!(
            "the epoch's token {} was not minted by the transaction that opened the epoch: other boxes may hold it",
            crate::encoding::hex::encode(&token.id)
        ));
    }
    let held: Vec<(usize, u64)> = opening
        .outputs
        .iter()
        .enumerate()
        .flat_map(|(i, o)| {
            o.ergo_box
                .tokens
                .iter()
                .filter(|t| t.id == token.id)
                .map(move |t| (i, t.amount))
        })
        .collect();
    let reward_first = opening
        .outputs
        .get(1)
        .and_then(|r| r.ergo_box.tokens.first())
        .map(|t| t.id)
        == Some(token.id);
    if held != [(0, 1), (1, 1)] || !reward_first {
        return Err(format!(
            "the epoch's token was minted as {held:?} (output, units): the contract needs one unit in the share-state box and one, first, in the reward box, and no other"
        ));
    }
    Ok(())
}
