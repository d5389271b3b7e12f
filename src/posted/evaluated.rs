//! Design 1's transactions evaluated by sigma-rust's interpreter (feature `interpreter`) before
//! they are returned: what the devnet and the conformance tests build with, so that a
//! transaction the contract would refuse is an error, never a transaction to sign.

use crate::avl::ShareState;
use crate::ergo::interpreter::{checked, ChainContext, InterpreterError};
use crate::ergo::UnsignedTransaction;
use crate::posted::epoch::{self, EpochError, Funding, Opening, Payout};
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
pub fn open(
    opening: &Opening,
    state: &mut ShareState,
    funding: &Funding,
    context: &ChainContext,
) -> Result<UnsignedTransaction, BuildError> {
    let tx = epoch::open(opening, state, funding, context.height())?;
    Ok(checked(tx, context)?)
}

/// [`epoch::payout`], evaluated in `context` before it is returned: a payout the
/// contract would refuse is an error, never a transaction to sign.
pub fn payout(p: &Payout, funding: &Funding, context: &ChainContext) -> Result<UnsignedTransaction, BuildError> {
    let tx = epoch::payout(p, funding, context.height())?;
    Ok(checked(tx, context)?)
}
