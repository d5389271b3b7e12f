//! The verdict on a payout transaction: every clause of the contract with how it evaluated,
//! per miner and for the next boxes, and the draft's weaknesses the transaction uses. Reports
//! hold bytes and numbers; hex and decimal strings appear only when they are written as JSON.

use crate::avl::Digest;
use crate::encoding::text::{hex_bytes, i64_string, opt_hex_bytes, opt_i64_string};
use crate::ergo::Constant;
use crate::pool::{Clause, NamedClause};
use crate::pool::{ShareValue, ValueError};
use crate::posted::ShareStateContract;
use serde::Serialize;

/// The five clauses for one entry of context variable 0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MinerCheck {
    /// Position in context variable 0.
    pub index: usize,
    /// The key; it may not be 32 bytes in a forged transaction.
    #[serde(serialize_with = "hex_bytes")]
    pub key: Vec<u8>,
    /// The key's value in the tree before, as `getMany` returns it, if present.
    #[serde(serialize_with = "opt_hex_bytes")]
    pub old_value: Option<Vec<u8>>,
    /// The value written (context variable 0).
    #[serde(serialize_with = "hex_bytes")]
    pub new_value: Vec<u8>,
    /// The score in the tree before (the miner's true score), as a decimal string.
    #[serde(serialize_with = "opt_i64_string")]
    pub tree_score: Option<i64>,
    /// The score the transaction pays on (from context variable 0), as a decimal string.
    #[serde(serialize_with = "opt_i64_string")]
    pub claimed_score: Option<i64>,
    /// The output the contract checks for this key: `OUTPUTS(first index + 2)`.
    pub output_index: usize,
    /// What that output pays (nanoErg, as a decimal string).
    #[serde(serialize_with = "opt_i64_string")]
    pub paid: Option<i64>,
    /// What the contract demands: claimed score × initialValue / maxScore.
    #[serde(serialize_with = "opt_i64_string")]
    pub expected: Option<i64>,
    pub payment_is_valid: Clause,
    pub was_not_paid: Clause,
    pub is_now_paid: Clause,
    pub scores_are_equal: Clause,
    pub box_is_correct: Clause,
}

impl MinerCheck {
    /// The value before as a Design 1 value, or why it is not one (none when `getMany` gave
    /// no value: the key absent, or the proof failing).
    pub fn before(&self) -> Option<Result<ShareValue, ValueError>> {
        self.old_value.as_deref().map(ShareValue::from_bytes)
    }

    /// The value written as a Design 1 value, or why it is not one.
    pub fn after(&self) -> Result<ShareValue, ValueError> {
        ShareValue::from_bytes(&self.new_value)
    }

    pub fn holds(&self) -> bool {
        [
            &self.payment_is_valid,
            &self.was_not_paid,
            &self.is_now_paid,
            &self.scores_are_equal,
            &self.box_is_correct,
        ]
        .iter()
        .all(|c| c.holds())
    }
}

/// A weakness of the draft contract that a transaction makes use of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Weakness {
    /// A payout that pays no one (context variable 0 is empty): it only moves the share-state
    /// box, which anyone may do, and lengthens every miner's walk.
    EmptyPayout,
    /// OUTPUTS(0) has another script than the share-state box: the next state can be spent
    /// by whoever that script lets.
    #[serde(rename_all = "camelCase")]
    NextStateScriptChanged {
        #[serde(serialize_with = "hex_bytes")]
        script: Vec<u8>,
    },
    /// OUTPUTS(1) has another script than the reward box: the rest of the reward is taken.
    #[serde(rename_all = "camelCase")]
    NextRewardScriptChanged {
        #[serde(serialize_with = "hex_bytes")]
        script: Vec<u8>,
    },
    /// OUTPUTS(1) does not keep R4 = initialValue, so later payments are computed from another.
    #[serde(rename_all = "camelCase")]
    RewardInitialValueNotKept { found: Option<Constant> },
    /// OUTPUTS(0) does not keep R5 = maxScore, so later payments are computed from another.
    #[serde(rename_all = "camelCase")]
    MaxScoreNotKept { found: Option<Constant> },
    /// OUTPUTS(0)'s tree keeps the digest but changes flags, key length or value length.
    #[serde(rename_all = "camelCase")]
    TreeParametersChanged { found: Constant },
    /// The pool's identity token does not move on to OUTPUTS(0).
    #[serde(rename_all = "camelCase")]
    PoolTokenNotCarried {
        #[serde(serialize_with = "hex_bytes")]
        token: [u8; 32],
    },
    /// The payment is computed from the score in context variable 0, and `scoresAreEqual`
    /// compares that score with itself: here it differs from the score in the tree.
    #[serde(rename_all = "camelCase")]
    ScoreNotFromTree {
        #[serde(serialize_with = "hex_bytes")]
        key: Vec<u8>,
        #[serde(serialize_with = "i64_string")]
        tree_score: i64,
        #[serde(serialize_with = "i64_string")]
        claimed_score: i64,
    },
    /// A key appears again: every check uses its first index, so the output at the repeated
    /// position is paid from the reward but never checked.
    #[serde(rename_all = "camelCase")]
    RepeatedKeyUnchecked {
        #[serde(serialize_with = "hex_bytes")]
        key: Vec<u8>,
        first: usize,
        again: usize,
        unchecked_output: usize,
    },
}

/// The verdict on a payout transaction, clause by clause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PayoutReport {
    /// Whether the share-state contract accepts the transaction (the draft's clauses, and for
    /// the hardened contract its own as well).
    pub accepted: bool,
    /// The share-state contract recognized from the input's script (in JSON: `draft`,
    /// `hardened`, or `unknown`; for an unknown script only the draft's clauses are checked).
    pub contract: ShareStateContract,
    /// The hardened contract's further clauses (empty for the draft).
    pub hardened: Vec<NamedClause>,
    /// `getMany(keys, proof)`: holds when the proof verifies against the input digest.
    pub get_many: Clause,
    /// `update(stateUpdates, proof)`: the digest it yields, if any.
    pub next_digest: Option<Digest>,
    pub update: Clause,
    pub miners: Vec<MinerCheck>,
    /// `validStateTransition`: every miner's clauses hold.
    pub valid_state_transition: bool,
    pub next_reward_valid: Clause,
    pub next_share_state_valid: Clause,
    /// Sum of OUTPUTS(2 .. n+2), if it does not overflow.
    #[serde(serialize_with = "opt_i64_string")]
    pub total_paid: Option<i64>,
    pub weaknesses: Vec<Weakness>,
}

impl PayoutReport {
    /// Every clause evaluated, with its name (miners' clauses as `miner i: clause`), in the
    /// contract's order: getMany and update, each miner's five, the next boxes', the hardened
    /// contract's own.
    pub fn clauses(&self) -> Vec<(String, &Clause)> {
        let mut out: Vec<(String, &Clause)> = vec![("getMany".into(), &self.get_many), ("update".into(), &self.update)];
        for m in &self.miners {
            for (name, c) in [
                ("paymentIsValid", &m.payment_is_valid),
                ("wasNotPaid", &m.was_not_paid),
                ("isNowPaid", &m.is_now_paid),
                ("scoresAreEqual", &m.scores_are_equal),
                ("boxIsCorrect", &m.box_is_correct),
            ] {
                out.push((format!("miner {}: {name}", m.index), c));
            }
        }
        out.push(("nextRewardValid".into(), &self.next_reward_valid));
        out.push(("nextShareStateValid".into(), &self.next_share_state_valid));
        out.extend(self.hardened.iter().map(|n| (n.name.to_string(), &n.clause)));
        out
    }

    /// The names of the clauses that fail or throw.
    pub fn failing(&self) -> Vec<String> {
        self.clauses()
            .into_iter()
            .filter(|(_, c)| !c.holds())
            .map(|(name, _)| name)
            .collect()
    }
}
