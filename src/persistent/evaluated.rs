//! Design 2's command transactions checked twice before they are returned (feature
//! `interpreter`): by our clause check, which names a failing clause, and by sigma-rust's
//! interpreter — what the devnet and the conformance tests build with, so that a command the
//! contracts would refuse is an error, never a transaction to sign.

use crate::avl::Key;
use crate::ergo::interpreter::{checked, ChainContext, InterpreterError};
use crate::ergo::{ErgoBox, Funding, UnsignedTransaction};
use crate::persistent::{check_command, command, CommandReport, CommandTransaction, PersistentError, ProvedCommand};
use thiserror::Error;

/// Why a checked build failed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum BuildError {
    #[error(transparent)]
    Persistent(#[from] PersistentError),
    #[error(transparent)]
    Interpreter(#[from] InterpreterError),
}

/// [`command::command`], its clauses checked and the transaction evaluated in `context`.
pub fn command(
    proved: &ProvedCommand,
    state_box: &ErgoBox,
    command_box: &ErgoBox,
    next_script: Option<&[u8]>,
    script_of: &dyn Fn(&Key) -> Option<Vec<u8>>,
    funding: &Funding,
    context: &ChainContext,
) -> Result<(UnsignedTransaction, CommandReport), BuildError> {
    let tx = command::command(
        proved,
        state_box,
        command_box,
        next_script,
        script_of,
        funding,
        context.height(),
    )?;
    let report = check_command(&CommandTransaction::from_unsigned(&tx)?)?;
    report.require_sound(next_script.is_some())?;
    Ok((checked(tx, context)?, report))
}
