//! Design 1, the posted share state: one tree of scores per payout epoch, paid out in batches.
//! Its contracts and transactions, the pool's side (planning and proving batches), and the
//! miner's side (replaying a payout's proof, checking a payout transaction clause by clause
//! exactly as the contract evaluates it, with the draft's weaknesses whenever a transaction
//! uses them).
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
//!
//! | module | what |
//! |---|---|
//! | [`contracts`] | the draft and hardened contracts' ErgoTrees; which one a box runs |
//! | [`epoch`] | an epoch's transactions: opening it, its payouts (EIP-12) |
//! | `evaluated` | (feature `interpreter`) those transactions evaluated by sigma-rust first |
//! | [`prove`] | the pool's side: batches planned, their updates proved |
//! | [`transaction`] | a payout transaction as the contract reads it |
//! | [`replay`] | **a payout's proof replayed** against the digest it spends |
//! | [`clauses`] | **the contract's clauses**, per miner and for the next boxes |
//! | [`hardened`] | the hardened contract's own clauses |
//! | [`weaknesses`] | the draft's weaknesses a transaction uses |
//! | [`report`] | the verdict: every clause, named, with why it fails |
//! | [`audit`](mod@audit) | **an epoch's audit**: maxScore, R6 and the reward box against the whole tree |

pub mod audit;
pub mod clauses;
pub mod contracts;
pub mod epoch;
#[cfg(feature = "interpreter")]
pub mod evaluated;
pub mod hardened;
pub mod prove;
pub mod replay;
pub mod report;
pub mod transaction;
pub mod weaknesses;

pub use crate::pool::{Clause, NamedClause, Output};
pub use audit::{audit, Audit, AuditError, Finding};
pub use clauses::check_payout;
pub use contracts::{share_state_contract, ContractError, ShareStateContract};
pub use epoch::{checked_payout, next_payout, parameters, Contracts, EpochError, Funding, NextPayout, Opening, Payout};
pub use prove::{plan, prove_payout, scores_state, Payment, PayoutBatch, Plan};
pub use replay::{replay_payout, ReplayedPayment, ReplayedPayout};
pub use report::{MinerCheck, PayoutReport, Weakness};
pub use transaction::{PayoutTransaction, RewardInput, ShareStateInput};

use crate::avl::{ProofError, ProverError};
use crate::ergo::RegisterError;
use crate::pool::amount::ArithmeticError;
use crate::pool::ValueError;
use thiserror::Error;

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
    #[error("score {score} of miner {index} is negative")]
    NegativeScore { index: usize, score: i64 },
    #[error(transparent)]
    Proof(#[from] ProofError),
    #[error("context variable 0 holds {count} entries; a collection holds at most 65535")]
    TooMany { count: usize },
    #[error("the proof has {length} bytes; a Coll[Byte] holds at most 65535")]
    ProofTooLong { length: usize },
    #[error("the {what} box: {detail}")]
    Box { what: &'static str, detail: String },
    #[error(transparent)]
    Register(#[from] RegisterError),
    #[error("key {key}: the new value is not the old score marked paid ({detail})")]
    NotAPayment { key: String, detail: String },
}

#[cfg(test)]
mod tests;
