//! Design 2, the **persistent balance state**: one long-lived tree of balances owed per pool,
//! changed by operator-signed command transactions — Insert, Update (credit a round), Payout,
//! Delete — each checked by its command box's script (`../shared/PROTOCOL.md`, "Design 2", as
//! Getblok deployed it).
//!
//! The contracts, in short (`contracts/persistent/deployed/`; the command's context variables
//! sit on the command box, INPUTS(1); the state box is INPUTS(0), the next one OUTPUTS(0)):
//!
//! ```text
//! state box   OUTPUTS(0).R4 defined && blake2b256(INPUTS(1) script) ∈ the four commands && operator
//! Insert      every value's first 8 bytes 0; insert(pairs) digest; value kept; pool NFT
//! Update      getMany; update(key → old + |delta|) digest; value + Σdelta (signed); pool NFT
//! Payout      OUTPUTS(1 + first index) pays the old balance to the key's script; new value 0;
//!             update(pairs) digest; value − Σ old over every entry; pool NFT
//! Delete      getMany(keys, var 1) all 0; remove(keys, var 2) digest; value kept; pool NFT
//! ```
//!
//! | module | what |
//! |---|---|
//! | [`contracts`] | the deployed and hardened sets' ErgoTrees; which one a box runs |
//! | [`prove`] | the pool's side: a round planned into command batches, each batch proved |
//! | [`command`] | a command's transaction built (EIP-12), and the pool's other boxes |
//! | `evaluated` | (feature `interpreter`) those transactions evaluated by sigma-rust first |
//! | [`transaction`] | a command transaction as the contracts read it |
//! | [`replay`] | **a command's proofs replayed** as its deployed contract replays them |
//! | [`clauses`] | **the commands' clauses**, per miner and for the next state, and the deployed set's weaknesses |
//! | [`walk`] | **a pool's chain of state boxes walked**, every command checked; a miner's history and balance now |

pub mod clauses;
pub mod command;
pub mod contracts;
#[cfg(feature = "interpreter")]
pub mod evaluated;
pub mod prove;
pub mod replay;
pub mod transaction;
pub mod walk;

pub use clauses::{check_command, check_command_as, CommandReport, MinerLine, Weakness};
pub use contracts::{
    command_contract, holding_contract, state_contract, CommandContract, ContractSet, PoolContracts, StateContract,
};
pub use prove::{balance_state, plan_round, prove_command, scala_order, Batch, ProvedCommand, RoundPlan};
pub use replay::{replay_command, Command, CommandReplay, CommandVars};
pub use transaction::{command_vars, CommandTransaction, StateInput};
pub use walk::{BalanceEnd, BalanceStep, BalanceWalk, BalanceWalker, CreditSource, HistoryEntry};

use crate::avl::ProverError;
use crate::ergo::FundingError;
use crate::pool::ContractError;
use thiserror::Error;

/// Why a command transaction cannot be read, planned, proved or built.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PersistentError {
    #[error("the {what} box: {detail}")]
    Box { what: &'static str, detail: String },
    #[error("the command box's context variables: {detail}")]
    Vars { detail: String },
    #[error("the command box's script (blake2b256 {hash}) is none of Design 2's known commands")]
    UnknownCommand { hash: String },
    #[error("key {key} is not in the balance state")]
    UnknownKey { key: String },
    #[error("key {key} appears twice in one round or command")]
    RepeatedKey { key: String },
    #[error("key {key}: {detail}")]
    Balance { key: String, detail: String },
    #[error("the script of key {key} is not known, so it cannot be paid")]
    UnknownScript { key: String },
    #[error(transparent)]
    Prover(#[from] ProverError),
    #[error(transparent)]
    Funding(#[from] FundingError),
    #[error(transparent)]
    Contract(#[from] ContractError),
    #[error("the contracts would refuse this {command}: {}", failing.join(", "))]
    Refused {
        command: &'static str,
        failing: Vec<String>,
    },
    #[error("this {command} uses a weakness of the deployed contracts: {weakness}")]
    Weak { command: &'static str, weakness: String },
}

#[cfg(test)]
mod tests;
