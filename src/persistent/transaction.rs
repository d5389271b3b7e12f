//! A command transaction as Design 2's contracts read it: the state box it spends
//! (INPUTS(0)), the command box (INPUTS(1)) with its context variables, and the outputs — read
//! from an unsigned transaction or from chain data alike.

use crate::avl::AvlTreeData;
use crate::ergo::{Candidate, Constant, ErgoBox, Token, UnsignedTransaction};
use crate::persistent::{CommandVars, PersistentError};
use crate::pool::Output;

/// The state box being spent (INPUTS(0)).
#[derive(Debug, Clone)]
pub struct StateInput {
    /// R4: the tree of balances owed.
    pub tree: AvlTreeData,
    pub script: Vec<u8>,
    /// Its tokens: the pool NFT first.
    pub tokens: Vec<Token>,
    pub value: i64,
}

/// Everything Design 2's contracts read from a command transaction.
#[derive(Debug, Clone)]
pub struct CommandTransaction {
    pub state: StateInput,
    /// The command box's script, which says which command this is.
    pub command_script: Vec<u8>,
    pub command_value: i64,
    /// The command box's context variables.
    pub vars: CommandVars,
    pub outputs: Vec<Output>,
}

fn long(v: u64, what: &'static str) -> Result<i64, PersistentError> {
    i64::try_from(v).map_err(|_| beyond_long(v, what))
}

fn beyond_long(v: u64, what: &'static str) -> PersistentError {
    PersistentError::Box {
        what,
        detail: format!("value {v} beyond a Long"),
    }
}

/// A command box's context variables, by their types: `(key, value)` pairs and a proof
/// (Insert, Update, Payout), or keys and two proofs (Delete).
pub fn command_vars(extension: &[(u8, Vec<u8>)]) -> Result<CommandVars, PersistentError> {
    let var = |id: u8| -> Result<Constant, PersistentError> {
        let bytes = extension
            .iter()
            .find(|(k, _)| *k == id)
            .map(|(_, v)| v)
            .ok_or(PersistentError::Vars {
                detail: format!("no context variable {id}"),
            })?;
        Constant::parse(bytes).map_err(|e| PersistentError::Vars {
            detail: format!("context variable {id}: {e}"),
        })
    };
    let bytes = |id: u8| -> Result<Vec<u8>, PersistentError> {
        var(id)?
            .as_bytes()
            .map(<[u8]>::to_vec)
            .map_err(|e| PersistentError::Vars {
                detail: format!("context variable {id}: {e}"),
            })
    };
    match var(0)? {
        Constant::BytePairs(pairs) => Ok(CommandVars::Pairs {
            pairs,
            proof: bytes(1)?,
        }),
        Constant::BytesColl(keys) => Ok(CommandVars::Keys {
            keys,
            lookup_proof: bytes(1)?,
            removal_proof: bytes(2)?,
        }),
        other => Err(PersistentError::Vars {
            detail: format!(
                "context variable 0 is {}, neither (key, value) pairs nor a list of keys",
                other.type_name()
            ),
        }),
    }
}

impl CommandTransaction {
    /// Reads a command from an unsigned transaction: INPUTS(0) the state box, INPUTS(1) the
    /// command box with its context variables.
    pub fn from_unsigned(tx: &UnsignedTransaction) -> Result<CommandTransaction, PersistentError> {
        let [state, command, ..] = tx.inputs.as_slice() else {
            return Err(PersistentError::Box {
                what: "command transaction",
                detail: "a command spends the state box and a command box".into(),
            });
        };
        CommandTransaction::from_parts(&state.spent, &command.spent, &command.extension, &tx.outputs)
    }

    /// Reads a command from the boxes it spends, the command box's context variables and the
    /// outputs.
    pub fn from_parts(
        state_box: &ErgoBox,
        command_box: &ErgoBox,
        command_extension: &[(u8, Vec<u8>)],
        outputs: &[Candidate],
    ) -> Result<CommandTransaction, PersistentError> {
        let tree = match state_box.register(4) {
            Some(Ok(c)) => *c.as_avl_tree().map_err(|e| PersistentError::Box {
                what: "state",
                detail: format!("R4: {e}"),
            })?,
            Some(Err(e)) => {
                return Err(PersistentError::Box {
                    what: "state",
                    detail: format!("R4: {e}"),
                })
            }
            None => {
                return Err(PersistentError::Box {
                    what: "state",
                    detail: "no R4".into(),
                })
            }
        };
        let outputs = outputs
            .iter()
            .map(|o| Output::from_candidate(o).map_err(|v| beyond_long(v, "output")))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(CommandTransaction {
            state: StateInput {
                tree,
                script: state_box.ergo_tree.clone(),
                tokens: state_box.tokens.clone(),
                value: long(state_box.value, "state")?,
            },
            command_script: command_box.ergo_tree.clone(),
            command_value: long(command_box.value, "command")?,
            vars: command_vars(command_extension)?,
            outputs,
        })
    }
}
