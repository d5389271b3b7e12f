//! Design 1, the posted share state: building payout batches (prover side) and checking a
//! payout transaction clause by clause exactly as the seed's draft contract evaluates it,
//! plus the draft's weaknesses whenever a transaction uses them.
//!
//! The contract, in short (`seed/SmartPool_Plasma.md`):
//!
//! ```text
//! oldScores = SELF.R4.getMany(keys, proof)                        // keys of context var 0
//! for each key (at its first index i):                            // validStateTransition
//!   paymentIsValid = OUTPUTS(i+2).value == score(updated_i) * R4(INPUTS(1)) / SELF.R5
//!   wasNotPaid     = oldScores(i).get[8] == 0
//!   isNowPaid      = updated_i[8] == 1
//!   scoresAreEqual = score(updated_i) == score(updated_i)          // sic: always true
//!   boxIsCorrect   = blake2b256(OUTPUTS(i+2).propositionBytes) == key
//! nextRewardValid     = OUTPUTS(1).value == INPUTS(1).value - sum(OUTPUTS(2 .. n+2).value)
//! nextShareStateValid = OUTPUTS(0).R4.digest == SELF.R4.update(context var 0, proof).get.digest
//! ```
//!
//! The contract replays the same proof twice, for `getMany` and for `update`. One replay of
//! the updates gives both: an update proof's lookups walk the same paths and see the same old
//! values (the first occurrence of a repeated key sees the original value, which is what
//! `getMany` returns for every occurrence), and `getMany` fails exactly when the update replay
//! fails before reaching a leaf. Only when the update replay fails is a separate lookup replay
//! run, to tell the two apart.

pub use crate::boxes::Token;
use crate::hash::blake2b256;
use crate::hex;
use crate::payout::{self, ArithmeticError};
use crate::proof::{self, Digest, Operation, ProofError};
use crate::prover::{ProverError, ShareState};
use crate::register::{AvlTreeData, BytePair, Constant};
use crate::tree::Key;
use crate::value::{ShareValue, ValueError};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use thiserror::Error;

/// The share-state box being spent (`SELF`, INPUTS(0)).
#[derive(Debug, Clone)]
pub struct ShareStateInput {
    /// R4.
    pub tree: AvlTreeData,
    /// R5: maxScore.
    pub max_score: i32,
    /// Its script, when known (to see whether OUTPUTS(0) keeps it).
    pub script: Option<Vec<u8>>,
    /// Its tokens (the first is the pool's identity, if it has one).
    pub tokens: Vec<Token>,
    /// Its value, when known.
    pub value: Option<i64>,
    /// R6 of the hardened contract: the number of miners still unpaid.
    pub unpaid: Option<i32>,
}

impl ShareStateInput {
    /// The share-state box as the draft contract reads it: R4 and R5 only.
    pub fn new(tree: AvlTreeData, max_score: i32) -> ShareStateInput {
        ShareStateInput {
            tree,
            max_score,
            script: None,
            tokens: vec![],
            value: None,
            unpaid: None,
        }
    }
}

/// The reward box (INPUTS(1)).
#[derive(Debug, Clone)]
pub struct RewardInput {
    pub value: i64,
    /// R4: the reward at the start of the epoch.
    pub initial_value: i64,
    pub script: Option<Vec<u8>>,
    pub tokens: Vec<Token>,
}

impl RewardInput {
    /// A reward box of `value` whose R4 is `initial_value`.
    pub fn new(value: i64, initial_value: i64) -> RewardInput {
        RewardInput {
            value,
            initial_value,
            script: None,
            tokens: vec![],
        }
    }
}

/// An output of the payout transaction.
#[derive(Debug, Clone)]
pub struct Output {
    pub value: i64,
    /// Proposition bytes (serialized ErgoTree).
    pub script: Vec<u8>,
    pub r4: Option<Constant>,
    pub r5: Option<Constant>,
    pub r6: Option<Constant>,
    pub tokens: Vec<Token>,
}

/// Everything the draft contract reads from a payout transaction.
#[derive(Debug, Clone)]
pub struct PayoutTransaction {
    pub share_state: ShareStateInput,
    pub reward: RewardInput,
    /// Context variable 0 on INPUTS(0): `(key, score ‖ paid)` per miner paid now.
    pub state_updates: Vec<BytePair>,
    /// Context variable 1 on INPUTS(0): the proof.
    pub proof: Vec<u8>,
    pub outputs: Vec<Output>,
}

impl PayoutTransaction {
    /// Reads a payout from an unsigned transaction: INPUTS(0) the share-state box with its
    /// context variables, INPUTS(1) the reward box.
    pub fn from_unsigned(tx: &crate::eip12::UnsignedTransaction) -> Result<PayoutTransaction, PostedError> {
        let [state, reward, ..] = tx.inputs.as_slice() else {
            return Err(PostedError::Box {
                what: "payout",
                detail: "a payout spends the share-state box and the reward box".into(),
            });
        };
        PayoutTransaction::from_parts(&state.spent, &reward.spent, &state.extension, &tx.outputs)
    }

    /// Reads a payout from the boxes it spends, the share-state input's context variables and
    /// the outputs — from an unsigned transaction or from chain data alike.
    pub fn from_parts(
        state_box: &crate::boxes::ErgoBox,
        reward_box: &crate::boxes::ErgoBox,
        extension: &[(u8, Vec<u8>)],
        outputs: &[crate::transaction::Candidate],
    ) -> Result<PayoutTransaction, PostedError> {
        let reg = |b: &crate::boxes::ErgoBox, n: u8, what: &'static str| -> Result<Constant, PostedError> {
            match b.register(n) {
                Some(Ok(c)) => Ok(c),
                Some(Err(e)) => Err(PostedError::Box {
                    what,
                    detail: format!("R{n}: {e}"),
                }),
                None => Err(PostedError::Box {
                    what,
                    detail: format!("no R{n}"),
                }),
            }
        };
        let var = |id: u8| -> Result<Constant, PostedError> {
            let bytes = extension
                .iter()
                .find(|(k, _)| *k == id)
                .map(|(_, v)| v)
                .ok_or(PostedError::Box {
                    what: "share-state input",
                    detail: format!("no context variable {id}"),
                })?;
            Ok(Constant::parse(bytes)?)
        };
        let long = |v: u64| {
            i64::try_from(v).map_err(|_| PostedError::Box {
                what: "box",
                detail: format!("value {v} beyond a Long"),
            })
        };
        let outputs = outputs
            .iter()
            .map(|o| {
                Ok(Output {
                    value: long(o.value)?,
                    script: o.ergo_tree.clone(),
                    r4: o.registers.first().and_then(|r| Constant::parse(r).ok()),
                    r5: o.registers.get(1).and_then(|r| Constant::parse(r).ok()),
                    r6: o.registers.get(2).and_then(|r| Constant::parse(r).ok()),
                    tokens: o.tokens.clone(),
                })
            })
            .collect::<Result<Vec<_>, PostedError>>()?;
        Ok(PayoutTransaction {
            share_state: ShareStateInput {
                tree: *reg(state_box, 4, "share-state")?.as_avl_tree()?,
                max_score: reg(state_box, 5, "share-state")?.as_int()?,
                script: Some(state_box.ergo_tree.clone()),
                tokens: state_box.tokens.clone(),
                value: Some(long(state_box.value)?),
                unpaid: match state_box.register(6) {
                    Some(Ok(c)) => Some(c.as_int()?),
                    _ => None,
                },
            },
            reward: RewardInput {
                value: long(reward_box.value)?,
                initial_value: reg(reward_box, 4, "reward")?.as_long()?,
                script: Some(reward_box.ergo_tree.clone()),
                tokens: reward_box.tokens.clone(),
            },
            state_updates: var(0)?.as_byte_pairs()?.to_vec(),
            proof: var(1)?.as_bytes()?.to_vec(),
            outputs,
        })
    }
}

/// How one clause of the contract evaluates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", content = "detail", rename_all = "lowercase")]
pub enum Clause {
    /// True.
    Holds,
    /// False; the text says why.
    Fails(String),
    /// The contract would throw here (a missing output, a short value, an overflow…), which
    /// rejects the transaction just as a false clause does.
    Error(String),
}

impl Clause {
    pub fn holds(&self) -> bool {
        matches!(self, Clause::Holds)
    }
    fn check(ok: bool, why: impl FnOnce() -> String) -> Clause {
        if ok {
            Clause::Holds
        } else {
            Clause::Fails(why())
        }
    }
}

/// The five clauses for one entry of context variable 0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MinerCheck {
    /// Position in context variable 0.
    pub index: usize,
    /// The key (hex); it may not be 32 bytes in a forged transaction.
    pub key: String,
    /// The key's value in the tree before, as `getMany` returns it (hex), if present.
    pub old_value: Option<String>,
    /// The value written (hex).
    pub new_value: String,
    /// The score in the tree before (the miner's true score), as a decimal string.
    #[serde(with = "opt_i64_string")]
    pub tree_score: Option<i64>,
    /// The score the transaction pays on (from context variable 0), as a decimal string.
    #[serde(with = "opt_i64_string")]
    pub claimed_score: Option<i64>,
    /// The output the contract checks for this key: `OUTPUTS(first index + 2)`.
    pub output_index: usize,
    /// What that output pays (nanoErg, as a decimal string).
    #[serde(with = "opt_i64_string")]
    pub paid: Option<i64>,
    /// What the contract demands: claimed score × initialValue / maxScore.
    #[serde(with = "opt_i64_string")]
    pub expected: Option<i64>,
    pub payment_is_valid: Clause,
    pub was_not_paid: Clause,
    pub is_now_paid: Clause,
    pub scores_are_equal: Clause,
    pub box_is_correct: Clause,
}

impl MinerCheck {
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
    /// OUTPUTS(0) has another script than the share-state box: the next state can be spent
    /// by whoever that script lets.
    #[serde(rename_all = "camelCase")]
    NextStateScriptChanged { script: String },
    /// OUTPUTS(1) has another script than the reward box: the rest of the reward is taken.
    #[serde(rename_all = "camelCase")]
    NextRewardScriptChanged { script: String },
    /// OUTPUTS(1) does not keep R4 = initialValue, so later payments are computed from another.
    #[serde(rename_all = "camelCase")]
    RewardInitialValueNotKept { found: Option<String> },
    /// OUTPUTS(0) does not keep R5 = maxScore, so later payments are computed from another.
    #[serde(rename_all = "camelCase")]
    MaxScoreNotKept { found: Option<String> },
    /// OUTPUTS(0)'s tree keeps the digest but changes flags, key length or value length.
    #[serde(rename_all = "camelCase")]
    TreeParametersChanged { found: String },
    /// The pool's identity token does not move on to OUTPUTS(0).
    #[serde(rename_all = "camelCase")]
    PoolTokenNotCarried { token: String },
    /// The payment is computed from the score in context variable 0, and `scoresAreEqual`
    /// compares that score with itself: here it differs from the score in the tree.
    #[serde(rename_all = "camelCase")]
    ScoreNotFromTree {
        key: String,
        #[serde(with = "i64_string")]
        tree_score: i64,
        #[serde(with = "i64_string")]
        claimed_score: i64,
    },
    /// A key appears again: every check uses its first index, so the output at the repeated
    /// position is paid from the reward but never checked.
    #[serde(rename_all = "camelCase")]
    RepeatedKeyUnchecked {
        key: String,
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
    /// The share-state contract recognized from the input's script: `draft`, `hardened`, or
    /// `unknown` (then only the draft's clauses are checked).
    pub contract: &'static str,
    /// The hardened contract's further clauses (empty for the draft).
    pub hardened: Vec<NamedClause>,
    /// `getMany(keys, proof)`: holds when the proof verifies against the input digest.
    pub get_many: Clause,
    /// `update(stateUpdates, proof)`: the digest it yields, if any.
    pub next_digest: Option<String>,
    pub update: Clause,
    pub miners: Vec<MinerCheck>,
    /// `validStateTransition`: every miner's clauses hold.
    pub valid_state_transition: bool,
    pub next_reward_valid: Clause,
    pub next_share_state_valid: Clause,
    /// Sum of OUTPUTS(2 .. n+2), if it does not overflow.
    #[serde(with = "opt_i64_string")]
    pub total_paid: Option<i64>,
    pub weaknesses: Vec<Weakness>,
}

/// A clause with its name in the contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NamedClause {
    pub name: &'static str,
    pub clause: Clause,
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

/// The hardened contract's clauses beyond the draft's (contracts/share_state.es).
fn hardened_clauses(
    tx: &PayoutTransaction,
    next_digest: Option<&Digest>,
    miners: &[MinerCheck],
    repeated: bool,
) -> Vec<NamedClause> {
    let st = &tx.share_state;
    let n = tx.state_updates.len() as i64;
    let out0 = tx.outputs.first();
    let out1 = tx.outputs.get(1);
    let missing = |i: usize| Clause::Error(format!("OUTPUTS({i}) does not exist"));
    let on = |o: Option<&Output>, i: usize, f: &dyn Fn(&Output) -> Clause| o.map_or_else(|| missing(i), f);
    let same = |ok: bool, what: &str| Clause::check(ok, || format!("{what} differs"));
    let pool_token = st.tokens.first().map(|t| t.id);
    let mut v = vec![
        NamedClause {
            name: "rewardHoldsPoolToken",
            clause: Clause::check(
                pool_token.is_some() && tx.reward.tokens.first().map(|t| t.id) == pool_token,
                || "INPUTS(1) does not hold the pool token".into(),
            ),
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
            name: "nextStateUnpaid",
            clause: on(out0, 0, &|o| match st.unpaid {
                None => Clause::Error("SELF.R6 is missing".into()),
                Some(u) => same(
                    o.r6 == i32::try_from(u as i64 - n).ok().map(Constant::Int),
                    "OUTPUTS(0).R6 (miners still unpaid)",
                ),
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
        clause: Clause::check(!repeated, || "a key appears twice".into()),
    });
    v
}

fn byte_array_to_long(b: &[u8]) -> Option<i64> {
    b.get(..8)
        .map(|b| i64::from_be_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]))
}

/// The old values `getMany` and `update` see, and the digest `update` yields.
struct Replayed {
    /// `getMany`'s result, or why it throws.
    get_many: Result<Vec<Option<Vec<u8>>>, String>,
    /// `update`'s new digest, or why it gives none.
    update: Result<Digest, String>,
}

fn replay_both(tree: &AvlTreeData, updates: &[(Vec<u8>, Vec<u8>)], proof_bytes: &[u8]) -> Replayed {
    let unsupported = |e: ProofError| Replayed {
        get_many: Err(e.to_string()),
        update: Err(e.to_string()),
    };
    if tree.key_length as usize != crate::tree::KEY_LENGTH {
        return unsupported(ProofError::UnsupportedKeyLength {
            found: tree.key_length as usize,
        });
    }
    let keys = match proof::keys_from_slices(&updates.iter().map(|(k, _)| k.as_slice()).collect::<Vec<_>>()) {
        Ok(k) => k,
        Err(e) => return unsupported(e),
    };
    let value_length = tree.value_length.map(|l| l as usize);
    let update_allowed = tree.flags.update_allowed();
    if update_allowed {
        let ops: Vec<Operation> = keys
            .iter()
            .zip(updates)
            .map(|(k, (_, v))| Operation::Update(*k, v.clone()))
            .collect();
        if let Ok(r) = proof::replay(&tree.digest, proof_bytes, &ops, value_length) {
            // getMany returns the original value for every occurrence of a key
            let mut first: BTreeMap<Key, Option<Vec<u8>>> = BTreeMap::new();
            let old = keys
                .iter()
                .zip(r.old_values)
                .map(|(k, v)| first.entry(*k).or_insert(v).clone())
                .collect();
            return Replayed {
                get_many: Ok(old),
                update: Ok(r.digest),
            };
        }
    }
    let get_many = proof::verify_lookups(&tree.digest, proof_bytes, &keys, value_length).map_err(|e| e.to_string());
    let update = if !update_allowed {
        Err(format!("the tree's flags ({:#04x}) do not allow update", tree.flags.0))
    } else {
        let ops: Vec<Operation> = keys
            .iter()
            .zip(updates)
            .map(|(k, (_, v))| Operation::Update(*k, v.clone()))
            .collect();
        proof::replay(&tree.digest, proof_bytes, &ops, value_length)
            .map(|r| r.digest)
            .map_err(|e| e.to_string())
    };
    Replayed { get_many, update }
}

/// Evaluates the draft contract on `tx`, every clause separately, and lists the weaknesses the
/// transaction uses.
pub fn check_payout(tx: &PayoutTransaction) -> PayoutReport {
    let st = &tx.share_state;
    let replayed = replay_both(&st.tree, &tx.state_updates, &tx.proof);
    let initial_value = tx.reward.initial_value;
    let max_score = st.max_score;
    let n = tx.state_updates.len();

    // index of the first occurrence of each key (the contract's keys.indexOf(key, 0))
    let mut first_index: BTreeMap<&[u8], usize> = BTreeMap::new();
    let mut weaknesses = Vec::new();
    for (i, (k, _)) in tx.state_updates.iter().enumerate() {
        let first = *first_index.entry(k.as_slice()).or_insert(i);
        if first != i {
            weaknesses.push(Weakness::RepeatedKeyUnchecked {
                key: hex::encode(k),
                first,
                again: i,
                unchecked_output: i + 2,
            });
        }
    }

    let miners: Vec<MinerCheck> = tx
        .state_updates
        .iter()
        .enumerate()
        .map(|(i, (key, _))| {
            let idx = first_index[key.as_slice()];
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
            let expected = claimed_score.map(|s| payout::payout_amount(s, initial_value, max_score));

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
            let tree_score = old.as_ref().ok().and_then(|v| byte_array_to_long(v));
            MinerCheck {
                index: i,
                key: hex::encode(key),
                old_value: old.as_ref().ok().map(|v| hex::encode(v)),
                new_value: hex::encode(updated),
                tree_score,
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
        })
        .collect();

    for m in &miners {
        if let (Some(t), Some(c)) = (m.tree_score, m.claimed_score) {
            let first = first_index[tx.state_updates[m.index].0.as_slice()];
            if t != c && m.index == first {
                weaknesses.push(Weakness::ScoreNotFromTree {
                    key: m.key.clone(),
                    tree_score: t,
                    claimed_score: c,
                });
            }
        }
    }

    // totalPaid = OUTPUTS.slice(2, n + 2).fold(0L, _ + _.value)
    let total_paid = tx
        .outputs
        .iter()
        .skip(2)
        .take(n)
        .try_fold(0i64, |z, o| payout::add(z, o.value));
    let next_reward_valid = match (tx.outputs.get(1), &total_paid) {
        (None, _) => Clause::Error("OUTPUTS(1) does not exist".into()),
        (_, Err(e)) => Clause::Error(arith(e)),
        (Some(o), Ok(total)) => match payout::sub(tx.reward.value, *total) {
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

    // the draft's unchecked parts, when this transaction uses them
    if let (Some(script), Some(o)) = (&st.script, tx.outputs.first()) {
        if o.script != *script {
            weaknesses.push(Weakness::NextStateScriptChanged {
                script: hex::encode(&o.script),
            });
        }
    }
    if let (Some(script), Some(o)) = (&tx.reward.script, tx.outputs.get(1)) {
        if o.script != *script {
            weaknesses.push(Weakness::NextRewardScriptChanged {
                script: hex::encode(&o.script),
            });
        }
    }
    if let Some(o) = tx.outputs.get(1) {
        if o.r4 != Some(Constant::Long(initial_value)) {
            weaknesses.push(Weakness::RewardInitialValueNotKept {
                found: o.r4.as_ref().map(Constant::to_hex),
            });
        }
    }
    if let Some(o) = tx.outputs.first() {
        if o.r5 != Some(Constant::Int(max_score)) {
            weaknesses.push(Weakness::MaxScoreNotKept {
                found: o.r5.as_ref().map(Constant::to_hex),
            });
        }
        if let Some(Constant::AvlTree(t)) = &o.r4 {
            if (t.flags, t.key_length, t.value_length) != (st.tree.flags, st.tree.key_length, st.tree.value_length) {
                weaknesses.push(Weakness::TreeParametersChanged {
                    found: Constant::AvlTree(*t).to_hex(),
                });
            }
        }
        if let Some(token) = st.tokens.first() {
            if !o.tokens.iter().any(|t| t.id == token.id) {
                weaknesses.push(Weakness::PoolTokenNotCarried {
                    token: hex::encode(&token.id),
                });
            }
        }
    }

    let get_many = match &replayed.get_many {
        Ok(_) => Clause::Holds,
        Err(e) => Clause::Error(format!("getMany throws: {e}")),
    };
    let valid_state_transition = miners.iter().all(MinerCheck::holds);
    let contract = st
        .script
        .as_deref()
        .map_or("unknown", |s| crate::contracts::share_state_contract(s).name());
    let repeated = weaknesses
        .iter()
        .any(|w| matches!(w, Weakness::RepeatedKeyUnchecked { .. }));
    let hardened = if contract == "hardened" {
        hardened_clauses(tx, replayed.update.as_ref().ok(), &miners, repeated)
    } else {
        vec![]
    };
    let accepted = get_many.holds()
        && update.holds()
        && valid_state_transition
        && next_reward_valid.holds()
        && next_share_state_valid.holds()
        && hardened.iter().all(|c| c.clause.holds());
    PayoutReport {
        accepted,
        contract,
        hardened,
        get_many,
        next_digest: replayed.update.as_ref().ok().map(Digest::to_hex),
        update,
        miners,
        valid_state_transition,
        next_reward_valid,
        next_share_state_valid,
        total_paid: total_paid.ok(),
        weaknesses,
    }
}

fn arith(e: &ArithmeticError) -> String {
    format!("arithmetic error: {e}")
}

// ---- the prover's side -------------------------------------------------------------------

/// Why a payout batch could not be built or replayed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PostedError {
    #[error("key {key} is not in the share state")]
    UnknownKey { key: String },
    #[error("key {key}: {source}")]
    Value {
        key: String,
        #[source]
        source: ValueError,
    },
    #[error("key {key} was paid already")]
    AlreadyPaid { key: String },
    #[error("key {key}: {source}")]
    Arithmetic {
        key: String,
        #[source]
        source: ArithmeticError,
    },
    #[error(transparent)]
    Prover(#[from] ProverError),
    #[error(transparent)]
    Proof(#[from] ProofError),
    #[error("context variable 0 holds {count} entries; a collection holds at most 65535")]
    TooMany { count: usize },
    #[error("the proof has {length} bytes; a Coll[Byte] holds at most 65535")]
    ProofTooLong { length: usize },
    #[error("the script of key {key} is not known, so it cannot be paid")]
    UnknownScript { key: String },
    #[error("the {what} box: {detail}")]
    Box { what: &'static str, detail: String },
    #[error(transparent)]
    Register(#[from] crate::register::RegisterError),
    #[error("key {key}: the new value is not the old score marked paid ({detail})")]
    NotAPayment { key: String, detail: String },
}

/// One miner's payment in a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    pub key: Key,
    pub score: i64,
    pub amount: i64,
}

/// A payout batch: the context variables of a payout transaction and what it pays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayoutBatch {
    /// Context variable 0: `(key, score ‖ 01)` per miner.
    pub state_updates: Constant,
    /// Context variable 1: the proof.
    pub proof: Constant,
    pub digest_before: Digest,
    pub digest_after: Digest,
    pub payments: Vec<Payment>,
}

impl PayoutBatch {
    /// The proof's bytes.
    pub fn proof_bytes(&self) -> &[u8] {
        match &self.proof {
            Constant::Bytes(b) => b,
            _ => &[],
        }
    }
}

/// Builds the payout batch for `keys` (in the given order; sort them ascending for small
/// proofs): marks them paid and proves the updates. With `apply`, the state moves on.
pub fn prove_payout(
    state: &mut ShareState,
    keys: &[Key],
    initial_value: i64,
    max_score: i32,
    apply: bool,
) -> Result<PayoutBatch, PostedError> {
    if keys.len() > u16::MAX as usize {
        return Err(PostedError::TooMany { count: keys.len() });
    }
    let mut ops = Vec::with_capacity(keys.len());
    let mut pairs = Vec::with_capacity(keys.len());
    let mut payments = Vec::with_capacity(keys.len());
    for key in keys {
        let khex = || hex::encode(key);
        let bytes = state.get(key).ok_or_else(|| PostedError::UnknownKey { key: khex() })?;
        let v = ShareValue::from_bytes(bytes).map_err(|source| PostedError::Value { key: khex(), source })?;
        if v.paid {
            return Err(PostedError::AlreadyPaid { key: khex() });
        }
        let amount = payout::payout_amount(v.score, initial_value, max_score)
            .map_err(|source| PostedError::Arithmetic { key: khex(), source })?;
        let new = v.into_paid().to_bytes().to_vec();
        ops.push(Operation::Update(*key, new.clone()));
        pairs.push((key.to_vec(), new));
        payments.push(Payment {
            key: *key,
            score: v.score,
            amount,
        });
    }
    let p = if apply {
        state.prove(&ops)?
    } else {
        state.prove_without_applying(&ops)?
    };
    if p.proof.len() > u16::MAX as usize {
        return Err(PostedError::ProofTooLong { length: p.proof.len() });
    }
    Ok(PayoutBatch {
        state_updates: Constant::BytePairs(pairs),
        proof: Constant::Bytes(p.proof),
        digest_before: p.digest_before,
        digest_after: p.digest_after,
        payments,
    })
}

/// How an epoch's unpaid miners are paid: batches of keys in ascending order, and the keys whose
/// payment is below the box value floor (which no payout can make).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub batches: Vec<Vec<Key>>,
    pub unpayable: Vec<Key>,
}

impl Plan {
    /// How many keys the batches pay.
    pub fn payable(&self) -> usize {
        self.batches.iter().map(Vec::len).sum()
    }
}

/// Splits the unpaid keys of `state` (ascending) into batches of `batch_size`, leaving out those
/// whose payment would be below the box value floor at height `height` (for a script of the
/// key's known length, else a P2PK's; at the batch's largest output index). Every value must be a
/// Design 1 share value.
pub fn plan(
    state: &ShareState,
    initial_value: i64,
    max_score: i32,
    batch_size: usize,
    height: u32,
) -> Result<Plan, PostedError> {
    let batch_size = batch_size.max(1);
    let last_index = u16::try_from(batch_size + 1).unwrap_or(u16::MAX);
    let mut payable = Vec::new();
    let mut unpayable = Vec::new();
    for (k, bytes) in state.entries() {
        let khex = || hex::encode(&k);
        let v = ShareValue::from_bytes(bytes).map_err(|source| PostedError::Value { key: khex(), source })?;
        if v.paid {
            continue;
        }
        let amount = payout::payout_amount(v.score, initial_value, max_score)
            .map_err(|source| PostedError::Arithmetic { key: khex(), source })?;
        let script_len = state.script(&k).map_or(payout::P2PK_SCRIPT_LEN, <[u8]>::len);
        if amount < payout::min_plain_box_value(script_len, height, last_index) {
            unpayable.push(k);
        } else {
            payable.push(k);
        }
    }
    Ok(Plan {
        batches: payable.chunks(batch_size).map(<[Key]>::to_vec).collect(),
        unpayable,
    })
}

/// A payment proven by replaying a payout's context variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplayedPayment {
    pub key: Key,
    /// The score in the tree (the value before the payout).
    pub score: i64,
    /// score × initialValue / maxScore.
    pub amount: i64,
}

/// The outcome of [`replay_payout`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplayedPayout {
    pub next_digest: Digest,
    pub payments: Vec<ReplayedPayment>,
}

/// Replays a payout's context variables against the digest of the share state it spends and
/// insists that it is an honest payout: every key present, unpaid before, the same score marked
/// paid after. Weaknesses the draft lets through (a changed score, a repeated key) are errors
/// here. Outputs are not needed (see [`check_payout`] for a whole transaction).
pub fn replay_payout(
    tree: &AvlTreeData,
    max_score: i32,
    initial_value: i64,
    context0: &Constant,
    context1: &Constant,
) -> Result<ReplayedPayout, PostedError> {
    let updates = context0.as_byte_pairs().map_err(|e| PostedError::NotAPayment {
        key: "-".into(),
        detail: format!("context variable 0: {e}"),
    })?;
    let proof_bytes = context1.as_bytes().map_err(|e| PostedError::NotAPayment {
        key: "-".into(),
        detail: format!("context variable 1: {e}"),
    })?;
    if tree.key_length as usize != crate::tree::KEY_LENGTH {
        return Err(ProofError::UnsupportedKeyLength {
            found: tree.key_length as usize,
        }
        .into());
    }
    let keys = proof::keys_from_slices(&updates.iter().map(|(k, _)| k.as_slice()).collect::<Vec<_>>())?;
    let ops: Vec<Operation> = keys
        .iter()
        .zip(updates)
        .map(|(k, (_, v))| Operation::Update(*k, v.clone()))
        .collect();
    let r = proof::replay(&tree.digest, proof_bytes, &ops, tree.value_length.map(|l| l as usize))?;
    let mut seen = BTreeSet::new();
    let mut payments = Vec::with_capacity(keys.len());
    for ((key, (_, new)), old) in keys.iter().zip(updates).zip(r.old_values) {
        let khex = || hex::encode(key);
        if !seen.insert(*key) {
            return Err(PostedError::NotAPayment {
                key: khex(),
                detail: "the key appears twice".into(),
            });
        }
        let old = old.ok_or_else(|| PostedError::UnknownKey { key: khex() })?;
        let old = ShareValue::from_bytes(&old).map_err(|source| PostedError::Value { key: khex(), source })?;
        if old.paid {
            return Err(PostedError::AlreadyPaid { key: khex() });
        }
        let new = ShareValue::from_bytes(new).map_err(|source| PostedError::Value { key: khex(), source })?;
        if new != old.into_paid() {
            return Err(PostedError::NotAPayment {
                key: khex(),
                detail: format!(
                    "tree score {} unpaid, new value score {} paid={}",
                    old.score, new.score, new.paid
                ),
            });
        }
        let amount = payout::payout_amount(old.score, initial_value, max_score)
            .map_err(|source| PostedError::Arithmetic { key: khex(), source })?;
        payments.push(ReplayedPayment {
            key: *key,
            score: old.score,
            amount,
        });
    }
    Ok(ReplayedPayout {
        next_digest: r.digest,
        payments,
    })
}

/// 64-bit numbers as decimal strings in JSON: exact in JavaScript (a transaction's claimed
/// score is whatever its author wrote).
mod i64_string {
    use serde::Serializer;
    pub fn serialize<S: Serializer>(v: &i64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&v.to_string())
    }
}

mod opt_i64_string {
    use serde::Serializer;
    pub fn serialize<S: Serializer>(v: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(v) => s.serialize_str(&v.to_string()),
            None => s.serialize_none(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::register::AvlTreeData;

    const INITIAL: i64 = 67_500_000_000;

    fn script(i: u32) -> Vec<u8> {
        let mut s = vec![0x00, 0x08, 0xcd, 0x02];
        s.extend_from_slice(&crate::hash::blake2b256(&i.to_be_bytes()));
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
        let funding = |seed| crate::epoch::Funding {
            inputs: vec![crate::boxes::ErgoBox {
                value: 2 * INITIAL as u64,
                ergo_tree: pool.clone(),
                creation_height: 1,
                tokens: vec![],
                registers: vec![],
                transaction_id: crate::boxes::Id([seed; 32]),
                index: 0,
            }],
            change_tree: pool.clone(),
            fee: 1_000_000,
        };
        let contracts = crate::epoch::Contracts::draft();
        let miners = e.state.len();
        let open = crate::epoch::open(
            &contracts,
            &mut e.state,
            e.max_score,
            miners,
            INITIAL as u64,
            None,
            &funding(1),
            10,
        )
        .unwrap();
        let boxes = open.transaction().output_boxes();
        let keys: Vec<Key> = e.state.keys().into_iter().take(count).collect();
        let batch = prove_payout(&mut e.state, &keys, INITIAL, e.max_score, false).unwrap();
        let tx = crate::epoch::payout(
            &boxes[0],
            &boxes[1],
            &batch,
            |k| e.scripts.get(k).cloned(),
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
        assert_eq!(r.next_digest, Some(batch.digest_after.to_hex()));
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
            .map(|(_, v)| payout::payout_amount(byte_array_to_long(v).unwrap(), INITIAL, e.max_score).unwrap())
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
}
