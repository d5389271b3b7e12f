//! The pool's side of Design 2: a round's credits planned into command batches as the deployed
//! off-chain code makes them ([`plan_round`]), and each batch's context variables with its
//! proofs ([`prove_command`]).
//!
//! A round, as Getblok's `subpooling_core` plays it: the round's miners in Scala's
//! `BigInt(keyBytes)` order (signed two's-complement: a key whose first byte is 0x80 or more
//! comes first), cut into batches of 150; Inserts for miners new to the tree, Updates for
//! every miner credited, Payouts for those whose balance reaches their minimum; then, here,
//! Deletes for miners at zero who had no share in the round (the deployed code deletes them in
//! its own rounds). Each command spends the state box the previous one made.

use crate::avl::{Digest, Key, Operation, ShareState};
use crate::encoding::hex;
use crate::ergo::Constant;
use crate::persistent::{Command, CommandVars, PersistentError};
use crate::pool::Balance;
use std::cmp::Ordering;
use std::collections::BTreeSet;

/// The deployed off-chain code's batch size.
pub const BATCH: usize = 150;

/// A balance state from `(key, balance)` rows.
pub fn balance_state(rows: impl IntoIterator<Item = (Key, i64)>) -> Result<ShareState, PersistentError> {
    let mut entries = Vec::new();
    for (key, balance) in rows {
        if balance < 0 {
            return Err(PersistentError::Balance {
                key: hex::encode(&key),
                detail: format!("a balance of {balance} is negative"),
            });
        }
        entries.push((key, Balance(balance).to_bytes().to_vec()));
    }
    Ok(ShareState::from_entries(entries)?)
}

/// Scala's `BigInt(keyBytes)` order of two 32-byte keys: signed two's complement, so the first
/// byte compares as an `i8` and the rest as unsigned bytes.
pub fn scala_order(a: &Key, b: &Key) -> Ordering {
    (a[0] as i8).cmp(&(b[0] as i8)).then_with(|| a[1..].cmp(&b[1..]))
}

/// One command's keys (and an Update's credits), before proving.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Batch {
    Insert(Vec<Key>),
    Update(Vec<(Key, i64)>),
    Payout(Vec<Key>),
    Delete(Vec<Key>),
}

impl Batch {
    pub fn command(&self) -> Command {
        match self {
            Batch::Insert(_) => Command::Insert,
            Batch::Update(_) => Command::Update,
            Batch::Payout(_) => Command::Payout,
            Batch::Delete(_) => Command::Delete,
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Batch::Insert(k) | Batch::Payout(k) | Batch::Delete(k) => k.len(),
            Batch::Update(c) => c.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A round's command batches, in the order they are made.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RoundPlan {
    pub batches: Vec<Batch>,
}

fn balance_of(state: &ShareState, key: &Key) -> Result<Option<i64>, PersistentError> {
    state
        .get(key)
        .map(|v| {
            Balance::from_bytes(v)
                .map(|b| b.0)
                .map_err(|e| PersistentError::Balance {
                    key: hex::encode(&key[..]),
                    detail: e.to_string(),
                })
        })
        .transpose()
}

/// Plans a round: `credits` (each miner's share of the round's reward, nanoErg), each miner's
/// minimum payout from `minimum`, batches of `batch` keys (the deployed code's is [`BATCH`]).
pub fn plan_round(
    state: &ShareState,
    credits: &[(Key, i64)],
    minimum: &dyn Fn(&Key) -> i64,
    batch: usize,
) -> Result<RoundPlan, PersistentError> {
    let batch = batch.max(1);
    let mut seen = BTreeSet::new();
    let mut sorted: Vec<(Key, i64)> = Vec::with_capacity(credits.len());
    for (k, c) in credits {
        if !seen.insert(*k) {
            return Err(PersistentError::RepeatedKey {
                key: hex::encode(&k[..]),
            });
        }
        if *c < 0 {
            return Err(PersistentError::Balance {
                key: hex::encode(&k[..]),
                detail: format!("a credit of {c} is negative"),
            });
        }
        sorted.push((*k, *c));
    }
    sorted.sort_by(|a, b| scala_order(&a.0, &b.0));
    let mut inserts = Vec::new();
    let mut payouts = Vec::new();
    for (k, c) in &sorted {
        let before = balance_of(state, k)?;
        if before.is_none() {
            inserts.push(*k);
        }
        let after = before
            .unwrap_or(0)
            .checked_add(*c)
            .ok_or_else(|| PersistentError::Balance {
                key: hex::encode(&k[..]),
                detail: format!("{} + {c} overflows a Long", before.unwrap_or(0)),
            })?;
        if after > 0 && after >= minimum(k) {
            payouts.push(*k);
        }
    }
    let mut deletes = Vec::new();
    for (k, v) in state.entries() {
        if !seen.contains(&k) && Balance::from_bytes(v).map(|b| b.0) == Ok(0) {
            deletes.push(k);
        }
    }
    deletes.sort_by(scala_order);
    let updates: Vec<(Key, i64)> = sorted.into_iter().filter(|(_, c)| *c > 0).collect();
    let mut batches = Vec::new();
    batches.extend(inserts.chunks(batch).map(|c| Batch::Insert(c.to_vec())));
    batches.extend(updates.chunks(batch).map(|c| Batch::Update(c.to_vec())));
    batches.extend(payouts.chunks(batch).map(|c| Batch::Payout(c.to_vec())));
    batches.extend(deletes.chunks(batch).map(|c| Batch::Delete(c.to_vec())));
    Ok(RoundPlan { batches })
}

/// One key in a proved command: its balance before (none for an Insert) and after (none for a
/// Delete).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: Key,
    pub before: Option<i64>,
    pub after: Option<i64>,
}

/// A command batch proved: its context variables and what it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvedCommand {
    pub command: Command,
    pub vars: CommandVars,
    pub digest_before: Digest,
    pub digest_after: Digest,
    pub entries: Vec<Entry>,
}

impl ProvedCommand {
    /// The command box's context variables, serialized.
    pub fn extension(&self) -> Vec<(u8, Vec<u8>)> {
        match &self.vars {
            CommandVars::Pairs { pairs, proof } => vec![
                (0, Constant::BytePairs(pairs.clone()).to_bytes()),
                (1, Constant::Bytes(proof.clone()).to_bytes()),
            ],
            CommandVars::Keys {
                keys,
                lookup_proof,
                removal_proof,
            } => vec![
                (0, Constant::BytesColl(keys.clone()).to_bytes()),
                (1, Constant::Bytes(lookup_proof.clone()).to_bytes()),
                (2, Constant::Bytes(removal_proof.clone()).to_bytes()),
            ],
        }
    }

    /// How the state box's value changes: + the credits (Update), − the balances paid
    /// (Payout), 0 otherwise. Within a Long: each balance is one, and so is their sum, or
    /// proving would have failed.
    pub fn value_change(&self) -> i128 {
        self.entries
            .iter()
            .map(|e| i128::from(e.after.unwrap_or(0)) - i128::from(e.before.unwrap_or(0)))
            .sum::<i128>()
            * i128::from(matches!(self.command, Command::Update | Command::Payout))
    }

    /// A Payout's payments: each key and the balance it was owed.
    pub fn payments(&self) -> Vec<(Key, i64)> {
        match self.command {
            Command::Payout => self.entries.iter().map(|e| (e.key, e.before.unwrap_or(0))).collect(),
            _ => vec![],
        }
    }
}

/// Proves `batch` against `state`, which moves on: an Insert's insert proof (zero balances),
/// an Update's update proof (old + credit; the same proof serves the contract's `getMany`), a
/// Payout's update proof (to zero), a Delete's lookup proof then its removal proof.
pub fn prove_command(state: &mut ShareState, batch: &Batch) -> Result<ProvedCommand, PersistentError> {
    // a key once per command: the deployed contracts would pay a repeated key once and take it
    // twice, or credit only its last delta
    let keys: Vec<&Key> = match batch {
        Batch::Insert(k) | Batch::Payout(k) | Batch::Delete(k) => k.iter().collect(),
        Batch::Update(c) => c.iter().map(|(k, _)| k).collect(),
    };
    let mut seen = BTreeSet::new();
    if let Some(k) = keys.into_iter().find(|k| !seen.insert(**k)) {
        return Err(PersistentError::RepeatedKey {
            key: hex::encode(&k[..]),
        });
    }
    let zero = Balance(0).to_bytes().to_vec();
    let unknown = |k: &Key| PersistentError::UnknownKey {
        key: hex::encode(&k[..]),
    };
    let mut entries = Vec::new();
    let (vars, before, after) = match batch {
        Batch::Insert(keys) => {
            let ops: Vec<Operation> = keys.iter().map(|k| Operation::Insert(*k, zero.clone())).collect();
            let p = state.prove(&ops)?;
            entries.extend(keys.iter().map(|k| Entry {
                key: *k,
                before: None,
                after: Some(0),
            }));
            let pairs = keys.iter().map(|k| (k.to_vec(), zero.clone())).collect();
            (
                CommandVars::Pairs { pairs, proof: p.proof },
                p.digest_before,
                p.digest_after,
            )
        }
        Batch::Update(credits) => {
            let mut ops = Vec::new();
            let mut pairs = Vec::new();
            for (k, c) in credits {
                let old = balance_of(state, k)?.ok_or_else(|| unknown(k))?;
                let new = old.checked_add(*c).ok_or_else(|| PersistentError::Balance {
                    key: hex::encode(&k[..]),
                    detail: format!("{old} + {c} overflows a Long"),
                })?;
                ops.push(Operation::Update(*k, Balance(new).to_bytes().to_vec()));
                pairs.push((k.to_vec(), c.to_be_bytes().to_vec()));
                entries.push(Entry {
                    key: *k,
                    before: Some(old),
                    after: Some(new),
                });
            }
            let p = state.prove(&ops)?;
            (
                CommandVars::Pairs { pairs, proof: p.proof },
                p.digest_before,
                p.digest_after,
            )
        }
        Batch::Payout(keys) => {
            let mut ops = Vec::new();
            for k in keys {
                let old = balance_of(state, k)?.ok_or_else(|| unknown(k))?;
                ops.push(Operation::Update(*k, zero.clone()));
                entries.push(Entry {
                    key: *k,
                    before: Some(old),
                    after: Some(0),
                });
            }
            let p = state.prove(&ops)?;
            let pairs = keys.iter().map(|k| (k.to_vec(), zero.clone())).collect();
            (
                CommandVars::Pairs { pairs, proof: p.proof },
                p.digest_before,
                p.digest_after,
            )
        }
        Batch::Delete(keys) => {
            for k in keys {
                let old = balance_of(state, k)?.ok_or_else(|| unknown(k))?;
                if old != 0 {
                    return Err(PersistentError::Balance {
                        key: hex::encode(&k[..]),
                        detail: format!("owed {old}: only a zero balance is deleted"),
                    });
                }
                entries.push(Entry {
                    key: *k,
                    before: Some(0),
                    after: None,
                });
            }
            let lookup = state.prove_lookups(keys)?;
            let removal = state.prove(&keys.iter().map(|k| Operation::Remove(*k)).collect::<Vec<_>>())?;
            (
                CommandVars::Keys {
                    keys: keys.iter().map(|k| k.to_vec()).collect(),
                    lookup_proof: lookup.proof,
                    removal_proof: removal.proof,
                },
                lookup.digest_before,
                removal.digest_after,
            )
        }
    };
    Ok(ProvedCommand {
        command: batch.command(),
        vars,
        digest_before: before,
        digest_after: after,
        entries,
    })
}
