//! The pool's side of a payout: which unpaid miners go in which batch ([`plan`]), and a batch's
//! context variables with the proof of its updates ([`prove_payout`]).

use crate::avl::{Digest, Key, Operation, ShareState};
use crate::encoding::hex;
use crate::ergo::MinerKey;
use crate::ergo::{min_plain_box_value, Constant, P2PK_SCRIPT_LEN};
use crate::pool::amount;
use crate::pool::ShareValue;
use crate::posted::PostedError;

/// An epoch's share state from its miners' scripts (proposition bytes) and scores: Design 1
/// values, unpaid, keyed by the scripts' hashes, each script recorded (a payout must pay it).
pub fn scores_state<'a>(rows: impl IntoIterator<Item = (&'a [u8], i64)>) -> Result<ShareState, PostedError> {
    let mut entries = Vec::new();
    let mut scripts = Vec::new();
    for (index, (script, score)) in rows.into_iter().enumerate() {
        if score < 0 {
            return Err(PostedError::NegativeScore { index, score });
        }
        let key = MinerKey::from_proposition(script).0;
        entries.push((key, ShareValue::unpaid(score).to_bytes().to_vec()));
        scripts.push((key, script.to_vec()));
    }
    let mut state = ShareState::from_entries(entries)?;
    for (key, script) in scripts {
        state.set_script(key, script)?;
    }
    Ok(state)
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
        let amount = amount::payout_amount(v.score, initial_value, max_score)
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

/// The output index of a payout's first payment.
pub const FIRST_PAYMENT: u16 = 2;
/// The most payments at output indexes whose VLQ takes one byte (2 ..= 127).
const LOW_INDEX_BATCH: usize = 126;

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
/// whose payment would be below the box value floor at height `height` even as a payout's first
/// payment (output 2; for a script of the key's known length, else a P2PK's). A payment that
/// meets the floor only at a low output index (below 128, where the index takes one byte) goes
/// into a batch of at most 126 such payments, so every miner who can be paid is. Every value
/// must be a Design 1 share value.
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
    let mut low_index = Vec::new();
    let mut unpayable = Vec::new();
    for (k, bytes) in state.entries() {
        let khex = || hex::encode(&k);
        let v = ShareValue::from_bytes(bytes).map_err(|source| PostedError::Value { key: khex(), source })?;
        if v.paid {
            continue;
        }
        let amount = amount::payout_amount(v.score, initial_value, max_score)
            .map_err(|source| PostedError::Arithmetic { key: khex(), source })?;
        let script_len = state.script(&k).map_or(P2PK_SCRIPT_LEN, <[u8]>::len);
        if amount >= min_plain_box_value(script_len, height, last_index) {
            payable.push(k);
        } else if amount >= min_plain_box_value(script_len, height, FIRST_PAYMENT) {
            low_index.push(k);
        } else {
            unpayable.push(k);
        }
    }
    let mut batches: Vec<Vec<Key>> = payable.chunks(batch_size).map(<[Key]>::to_vec).collect();
    batches.extend(low_index.chunks(batch_size.min(LOW_INDEX_BATCH)).map(<[Key]>::to_vec));
    Ok(Plan { batches, unpayable })
}
