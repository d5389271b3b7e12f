//! **Where a payout's proof is replayed**: its context variables against the digest of the
//! share state it spends.
//!
//! The contract replays the same proof twice, for `getMany` and for `update`. One replay of
//! the updates gives both: an update proof's lookups walk the same paths and see the same old
//! values (the first occurrence of a repeated key sees the original value, which is what
//! `getMany` returns for every occurrence), and `getMany` fails exactly when the update replay
//! fails before reaching a leaf. Only when the update replay fails is a separate lookup replay
//! run, to tell the two apart (`replay_both`, for the clause check). [`replay_payout`] is the
//! strict form: only an honest payout passes.

use crate::avl::{self, AvlTreeData, Digest, Key, Operation, ProofError, KEY_LENGTH};
use crate::encoding::hex;
use crate::ergo::{BytePair, Constant};
use crate::pool::{amount, ShareValue};
use crate::posted::PostedError;
use std::collections::{BTreeMap, BTreeSet};

/// The old values `getMany` and `update` see, and the digest `update` yields.
pub(crate) struct Replayed {
    /// `getMany`'s result, or why it throws.
    pub get_many: Result<Vec<Option<Vec<u8>>>, String>,
    /// `update`'s new digest, or why it gives none.
    pub update: Result<Digest, String>,
}

/// Context variable 0 as the update operations `update` performs: the tree must take 32-byte
/// keys, and every key must be one.
fn update_operations(tree: &AvlTreeData, updates: &[BytePair]) -> Result<(Vec<Key>, Vec<Operation>), ProofError> {
    if tree.key_length as usize != KEY_LENGTH {
        return Err(ProofError::UnsupportedKeyLength {
            found: tree.key_length as usize,
        });
    }
    let keys = avl::keys_from_slices(&updates.iter().map(|(k, _)| k.as_slice()).collect::<Vec<_>>())?;
    let ops = keys
        .iter()
        .zip(updates)
        .map(|(k, (_, v))| Operation::Update(*k, v.clone()))
        .collect();
    Ok((keys, ops))
}

/// The contract's `getMany(keys, proof)` and `update(updates, proof)` on `tree`, each with its
/// result or the reason it throws.
pub(crate) fn replay_both(tree: &AvlTreeData, updates: &[BytePair], proof_bytes: &[u8]) -> Replayed {
    let (keys, ops) = match update_operations(tree, updates) {
        Ok(k) => k,
        Err(e) => {
            return Replayed {
                get_many: Err(e.to_string()),
                update: Err(e.to_string()),
            }
        }
    };
    let value_length = tree.value_length.map(|l| l as usize);
    let update_allowed = tree.flags.update_allowed();
    let update = if update_allowed {
        avl::replay(&tree.digest, proof_bytes, &ops, value_length)
    } else {
        Err(ProofError::UpdateNotAllowed { flags: tree.flags.0 })
    };
    match update {
        Ok(r) => {
            // getMany returns the original value for every occurrence of a key
            let mut first: BTreeMap<Key, Option<Vec<u8>>> = BTreeMap::new();
            let old = keys
                .iter()
                .zip(r.old_values)
                .map(|(k, v)| first.entry(*k).or_insert(v).clone())
                .collect();
            Replayed {
                get_many: Ok(old),
                update: Ok(r.digest),
            }
        }
        Err(e) => Replayed {
            get_many: avl::verify_lookups(&tree.digest, proof_bytes, &keys, value_length).map_err(|e| e.to_string()),
            update: Err(e.to_string()),
        },
    }
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
/// here. Outputs are not needed (see [`check_payout`](super::check_payout) for a whole transaction).
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
    let (keys, ops) = update_operations(tree, updates)?;
    let r = avl::replay(&tree.digest, proof_bytes, &ops, tree.value_length.map(|l| l as usize))?;
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
        let amount = amount::payout_amount(old.score, initial_value, max_score)
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
