//! What both designs share: the values kept under miner keys, the chain's payout arithmetic,
//! the walk along a pool's chain of state boxes, and the pool's proof service.
//!
//! | module | what |
//! |---|---|
//! | [`value`] | score ‖ paid (Design 1) and balance (Design 2) values |
//! | [`clause`] | how a contract's clause evaluates, named; an output as a contract reads it |
//! | [`contracts`] | the contracts of both designs as compiled, their templates and parameters |
//! | [`amount`] | the chain's payout arithmetic; the scores' sum as the contract's maxScore |
//! | [`walk`] | walking a pool's chain of state boxes, every transition replayed (sans-IO) |
//! | [`service`] | the pool's proof service: its handler, and checks of its answers |

pub mod amount;
pub mod clause;
pub mod contracts;
pub mod service;
pub mod value;
pub mod walk;

pub use amount::{erg, parse_amount, parse_nanoerg, payout_amount, AmountError, ArithmeticError, ScoreError};
pub use clause::{Clause, NamedClause, Output};
pub use contracts::ContractError;
pub use service::{verify_proof_answer, verify_snapshot_answer, ProofService, ServiceError};
pub use value::{Balance, DualBalance, Owed, ShareValue, ValueError};
pub use walk::{epoch_starts, is_share_state, Need, Step, Touched, Walk, WalkError, Walker, Walking};
