//! Design 2, the **persistent balance state**: one long-lived tree of balances owed per pool,
//! changed by operator-signed command transactions — Insert, Update (credit a round), Payout,
//! Delete — each checked by its command box's script (`../shared/PROTOCOL.md`, "Design 2", as
//! Getblok deployed it).
//!
//! | module | what |
//! |---|---|
//! | [`replay`] | **a command's proofs replayed** as its deployed contract replays them |
//!
//! (Issue 11 builds the rest here: command transactions read from chain data, their clauses
//! and the deployed set's weaknesses, the prover's batches, the contracts, the walk.)

pub mod replay;

pub use replay::{replay_command, Command, CommandReplay, CommandVars};
