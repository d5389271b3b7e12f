//! Chain data as JSON text: **where the node's and the explorer's answers become boxes and
//! transactions** (every id recomputed), how the devnet writes them, and EIP-12, the form of
//! unsigned transactions that wallets sign.
//!
//! | module | what |
//! |---|---|
//! | [`decode`] | node (`/blockchain/…`) and explorer API v1 JSON → checked boxes and transactions |
//! | [`encode`] | boxes and transactions written as the node or the explorer serves them |
//! | [`eip12`] | unsigned transactions as EIP-12 JSON (wallets, Fleet SDK) |

pub mod decode;
pub mod eip12;
pub mod encode;

pub use decode::{
    decode_box, decode_boxes, decode_candidate, decode_transaction, ChainBox, ChainInput, ChainTransaction, JsonError,
};
pub use eip12::{Eip12Error, UnsignedInput, UnsignedTransaction};
pub use encode::{box_json, transaction_json, Flavor};
