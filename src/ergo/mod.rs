//! Ergo's data as the chain has it, byte for byte: addresses and the miner keys they give,
//! register and context-variable constants, boxes and transactions with their ids recomputed,
//! and the JSON forms in which nodes, explorers and wallets exchange them.
//!
//! | module | what |
//! |---|---|
//! | [`address`] | addresses and ErgoTrees → proposition bytes → miner keys |
//! | [`register`] | sigma constants in registers and context variables |
//! | [`ergo_box`] | boxes and box candidates, their bytes and ids; the box value floor |
//! | [`funding`] | a transaction's fee, change and box value floors, paid by the funding |
//! | [`transaction`] | transactions' bytes to sign and ids |
//! | [`json`] | node/explorer JSON → boxes and transactions (ids checked); EIP-12 |
//! | [`header`] | block headers: bytes, ids recomputed, proof of work checked; the sources' JSON forms |
//! | [`pow`] | Autolykos v2: a header's hit and the difficulty it must meet |
//! | [`merkle`] | the Merkle tree of a block's transactions (a header's `transactionsRoot`) and inclusion proofs |
//! | `interpreter` | (feature `interpreter`) contract evaluation by sigma-rust's interpreter |

pub mod address;
pub mod ergo_box;
pub mod funding;
pub mod header;
#[cfg(feature = "interpreter")]
pub mod interpreter;
pub mod json;
pub mod merkle;
pub mod pow;
pub mod register;
pub mod transaction;

pub use address::{parse_address_or_tree, Address, AddressError, AddressKind, MinerKey, Network};
pub use ergo_box::{min_plain_box_value, Candidate, ErgoBox, Id, Token, MIN_VALUE_PER_BYTE, P2PK_SCRIPT_LEN};
pub use funding::{Funding, FundingError};
pub use header::{Header, HeaderError};
pub use json::{ChainBox, ChainTransaction, UnsignedInput, UnsignedTransaction};
pub use register::{BytePair, Constant, RegisterError};
pub use transaction::{Input, Transaction};
