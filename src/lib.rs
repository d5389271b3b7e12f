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
//! | [`encoding`] | hex, blake2b-256, the one bounds-checked reader, VLQ numbers |
//! | [`avl`] | the AVL+ tree: proofs verified (never panicking), the prover, snapshots |
//! | [`ergo`] | addresses and keys, registers, boxes and transactions (ids recomputed), headers and their proof of work, Merkle proofs, node/explorer JSON, EIP-12 |
//! | [`pool`] | what both designs share: values, payout arithmetic, the walk of a pool's boxes, the proof service |
//! | [`posted`] | Design 1, the posted share state: contracts, epochs' transactions, proofs replayed, clauses checked |
//! | [`persistent`] | Design 2, the persistent balance state: its contracts (deployed and hardened), rounds planned and proved, command transactions built, proofs replayed, clauses checked |
//! | [`source`] | where chain data comes from: the node, ergo-graphql or the explorer API, each request built and each answer checked (sans-IO) |
//! | [`trust`] | what a ✓ rests on: a transaction in a block, headers' proof of work, the difficulty floor, confirmations, boxes unspent in a block's state |
//! | [`error`] | every error of the crate, each with its kind |
//!
//! Every error type says what went wrong and where, and has a kind ([`error::HasKind`]): the
//! name the npm package throws and the CLI prints.
//!
//! Where is a payout's proof replayed? [`posted::replay`]; a Design 2 command's?
//! [`persistent::replay`]. Design 1's clauses? [`posted::clauses`]; Design 2's?
//! [`persistent::clauses`].
//! Where does the node's JSON become a box? [`ergo::json::decode`]; GraphQL's? [`source::graphql`].

#![forbid(unsafe_code)]
// the core never panics on input: no unwrap, expect or panic outside tests
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod avl;
pub mod encoding;
pub mod ergo;
pub mod error;
pub mod persistent;
pub mod pool;
pub mod posted;
pub mod source;
pub mod trust;

pub use avl::{
    AvlFlags, AvlTreeData, BatchProof, Digest, Key, Operation, ProofError, ProverError, ShareState, Verifier,
    KEY_LENGTH,
};
pub use encoding::hex;
pub use ergo::{Address, AddressError, AddressKind, Constant, MinerKey, Network, RegisterError};
pub use error::{ErrorKind, HasKind};
pub use pool::{Balance, DualBalance, Owed, ShareValue, ValueError};

// Unit tests run natively and, under wasm-bindgen-test, as wasm in a browser.
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(crate) use core::prelude::v1::test;
#[cfg(all(test, target_arch = "wasm32"))]
pub(crate) use wasm_bindgen_test::wasm_bindgen_test as test;

#[cfg(all(test, target_arch = "wasm32"))]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
