//! Design 2, the persistent balance state: a miner's check of a pool whose one long-lived tree
//! holds the balances owed. Built into the app's second module (`src/bin/balance.rs`), which
//! the page loads only when a Design 2 pool is checked, so that a Design 1 check does not carry
//! it.
//!
//! | module | what |
//! |---|---|
//! | [`check`] | the pool's state boxes walked, the miner's commands tied to blocks, the tip proven unspent |
//! | [`model`] | the rows, the balance owed and what it rests on, warnings, totals, CSV (no I/O, no DOM) |
//! | [`view`] | the view the second module mounts |

pub mod check;
pub mod model;
pub mod view;
