//! What the interpreter tests of both designs share (`tests/epoch_interpreter.rs`,
//! `tests/balance_interpreter.rs`): a fresh P2PK script, and the context of a real mainnet
//! block to evaluate in.

use ergo_lib::ergotree_ir::serialization::SigmaSerializable;
use ergo_lib::wallet::secret_key::SecretKey;
use sharestate::ergo::interpreter::ChainContext;

/// A new random key's P2PK ErgoTree.
pub fn p2pk() -> Vec<u8> {
    SecretKey::random_dlog()
        .get_address_from_public_image()
        .script()
        .unwrap()
        .sigma_serialize_bytes()
        .unwrap()
}

/// The context of the block after `fixtures/header.json`'s.
pub fn context() -> ChainContext {
    ChainContext::from_headers_json(include_str!("../fixtures/header.json")).unwrap()
}
