//! Design 1's transactions evaluated by sigma-rust's interpreter (feature `interpreter`) before
//! they are returned: what the devnet and the conformance tests build with, so that a
//! transaction the contract would refuse is an error, never a transaction to sign.

use crate::avl::{Key, ShareState};
use crate::ergo::interpreter::{checked, ChainContext, InterpreterError};
use crate::ergo::{ErgoBox, UnsignedTransaction};
use crate::posted::epoch::{self, Contracts, EpochError, Funding};
use crate::posted::PayoutBatch;
use thiserror::Error;

/// Why a checked build failed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum BuildError {
    #[error(transparent)]
    Epoch(#[from] EpochError),
    #[error(transparent)]
    Interpreter(#[from] InterpreterError),
}

/// [`epoch::open`], evaluated in `context` before it is returned.
#[allow(clippy::too_many_arguments)]
pub fn open(
    contracts: &Contracts,
    state: &mut ShareState,
    max_score: i32,
    to_pay: usize,
    reward: u64,
    pool_token: Option<[u8; 32]>,
    funding: &Funding,
    context: &ChainContext,
) -> Result<UnsignedTransaction, BuildError> {
    let tx = epoch::open(
        contracts,
        state,
        max_score,
        to_pay,
        reward,
        pool_token,
        funding,
        context.height(),
    )?;
    Ok(checked(tx, context)?)
}

/// [`epoch::payout`], evaluated in `context` before it is returned: a payout the
/// contract would refuse is an error, never a transaction to sign.
pub fn payout(
    state_box: &ErgoBox,
    reward_box: &ErgoBox,
    batch: &PayoutBatch,
    script_of: impl Fn(&Key) -> Option<Vec<u8>>,
    funding: &Funding,
    context: &ChainContext,
) -> Result<UnsignedTransaction, BuildError> {
    let tx = epoch::payout(state_box, reward_box, batch, script_of, funding, context.height())?;
    Ok(checked(tx, context)?)
}
