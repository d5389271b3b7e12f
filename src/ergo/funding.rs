//! Who pays a contract transaction's fee and takes its change: the fee output, the change
//! (ERG and every token the outputs do not place), and the box value floor of every output —
//! for both designs' transactions.

use crate::encoding::hex;
use crate::ergo::transaction::MINER_FEE_TREE;
use crate::ergo::{Candidate, ErgoBox, Id, Token, MIN_VALUE_PER_BYTE};
use thiserror::Error;

/// Why the funding does not cover a transaction.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FundingError {
    #[error("the inputs hold {available} nanoErg, the transaction needs {needed}")]
    InsufficientFunds { available: u64, needed: u64 },
    #[error("the inputs hold {available} of token {token}, {needed} needed")]
    InsufficientTokens { token: String, available: u64, needed: u64 },
    #[error("output {index} would hold {value} nanoErg, below the box value floor of {min}")]
    BelowFloor { index: usize, value: u64, min: u64 },
    #[error("the {what} add up beyond what a u64 holds")]
    Overflow { what: &'static str },
}

/// Who pays the fee and gets the change.
#[derive(Debug, Clone)]
pub struct Funding {
    /// Boxes spent for the fee (and, when opening an epoch, the reward).
    pub inputs: Vec<ErgoBox>,
    /// The ErgoTree that receives the change (and any tokens of the inputs not used).
    pub change_tree: Vec<u8>,
    /// The miner fee, nanoErg.
    pub fee: u64,
}

/// The minimum value of a box like `c` (its size × 360).
fn floor_of(c: &Candidate, index: u16) -> u64 {
    let with_placeholders = c.to_box(Id([0; 32]), index);
    // the value's own VLQ length depends on the value: iterate to a fixed point
    let mut b = with_placeholders;
    loop {
        let need = b.bytes().len() as u64 * MIN_VALUE_PER_BYTE as u64;
        if need <= b.value {
            return need;
        }
        b.value = need;
    }
}

/// The sum of `values`, or an error naming `what` if it overflows a u64.
fn total(values: impl Iterator<Item = u64>, what: &'static str) -> Result<u64, FundingError> {
    let mut sum = 0u64;
    for v in values {
        sum = sum.checked_add(v).ok_or(FundingError::Overflow { what })?;
    }
    Ok(sum)
}

/// Appends the fee output and the change (ERG and every token not yet placed), checking funds
/// and the box value floor of every output.
pub(crate) fn finish(
    inputs: &[ErgoBox],
    mut outputs: Vec<Candidate>,
    funding: &Funding,
    height: u32,
    minted: Option<&Token>,
) -> Result<Vec<Candidate>, FundingError> {
    let available = total(inputs.iter().map(|b| b.value), "inputs' values")?;
    outputs.push(Candidate {
        value: funding.fee,
        ergo_tree: hex::decode(MINER_FEE_TREE).unwrap_or_default(),
        creation_height: height,
        tokens: vec![],
        registers: vec![],
    });
    let spent = total(outputs.iter().map(|o| o.value), "outputs' values")?;
    let change = available.checked_sub(spent).ok_or(FundingError::InsufficientFunds {
        available,
        needed: spent,
    })?;
    // tokens: what the inputs hold minus what the outputs place
    let mut left: Vec<Token> = Vec::new();
    for t in inputs.iter().flat_map(|b| &b.tokens).chain(minted) {
        match left.iter_mut().find(|l| l.id == t.id) {
            Some(l) => {
                l.amount = l.amount.checked_add(t.amount).ok_or(FundingError::Overflow {
                    what: "inputs' token amounts",
                })?
            }
            None => left.push(t.clone()),
        }
    }
    for t in outputs.iter().flat_map(|o| &o.tokens) {
        let l = left.iter_mut().find(|l| l.id == t.id);
        let available = l.as_ref().map_or(0, |l| l.amount);
        match l {
            Some(l) if l.amount >= t.amount => l.amount -= t.amount,
            _ => {
                return Err(FundingError::InsufficientTokens {
                    token: hex::encode(&t.id),
                    available,
                    needed: t.amount,
                })
            }
        }
    }
    left.retain(|t| t.amount > 0);
    if change > 0 || !left.is_empty() {
        outputs.push(Candidate {
            value: change,
            ergo_tree: funding.change_tree.clone(),
            creation_height: height,
            tokens: left,
            registers: vec![],
        });
    }
    for (index, o) in outputs.iter().enumerate() {
        let min = floor_of(o, index as u16);
        if o.value < min {
            return Err(FundingError::BelowFloor {
                index,
                value: o.value,
                min,
            });
        }
    }
    Ok(outputs)
}
