//! # sharestate
//!
//! Check a layer-2 mining pool's payouts on Ergo without trusting the pool: the pool keeps
//! every miner's share score in an authenticated AVL+ tree and puts only the tree's digest on
//! chain; payout transactions carry the changed entries and a proof, which this crate replays.
//!
//! The crate is pure Rust with no wasm, JS or HTTP types; it compiles and tests natively and
//! as wasm alike. Where to look:
//!
//! | module | what |
//! |---|---|
//! | [`boxes`] | boxes as the chain serializes them; ids recomputed |
//! | [`chain`] | walking a pool's chain of share-state boxes, replaying every payout |
//! | [`contracts`] | the draft and hardened contracts' ErgoTrees; which one a box runs |
//! | [`epoch`] | a Design 1 epoch's transactions: opening, payouts |
//! | [`eip12`] | unsigned transactions as EIP-12 JSON (wallets, Fleet SDK) |
//! | [`explorer`] | node and explorer JSON decoded, box ids checked |
//! | `interpreter` | (feature `interpreter`) contract evaluation by sigma-rust's interpreter |
//! | [`key`] | addresses and ErgoTrees → proposition bytes → miner keys |
//! | [`value`] | score ‖ paid (Design 1) and balance (Design 2) values |
//! | [`register`] | sigma constants in registers and context variables |
//! | [`proof`] | verifying proofs: lookups and operation batches against a digest |
//! | [`prover`] | a share state in memory and the proofs a pool publishes |
//! | [`service`] | the pool proof service: handler, and checks of its answers |
//! | [`snapshot`] | a whole share state as JSON or binary, digest rechecked on import |
//! | [`transaction`] | transactions as the chain serializes them; ids recomputed |
//! | [`payout`] | the chain's payout arithmetic and the box value floor |
//! | [`posted`] | Design 1: payout batches, and contract-equivalent checks of payout transactions |

pub mod boxes;
pub mod chain;
pub mod contracts;
pub mod eip12;
pub mod epoch;
pub mod explorer;
pub mod hash;
pub mod hex;
#[cfg(feature = "interpreter")]
pub mod interpreter;
pub mod key;
pub mod payout;
pub mod posted;
pub mod proof;
pub mod prover;
pub mod register;
pub mod service;
pub mod snapshot;
pub mod transaction;
mod tree;
pub mod value;

pub use key::{Address, AddressError, AddressKind, MinerKey, Network};
pub use proof::{Digest, Operation, ProofError, Verifier};
pub use prover::{BatchProof, ProverError, ShareState};
pub use register::{AvlFlags, AvlTreeData, Constant, RegisterError};
pub use tree::{Key, OpError, KEY_LENGTH};
pub use value::{Balance, ShareValue, ValueError};

// Unit tests run natively and, under wasm-bindgen-test, as wasm in a browser.
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(crate) use core::prelude::v1::test;
#[cfg(all(test, target_arch = "wasm32"))]
pub(crate) use wasm_bindgen_test::wasm_bindgen_test as test;

#[cfg(all(test, target_arch = "wasm32"))]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
