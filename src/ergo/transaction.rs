//! Transactions as the chain serializes them for their id: blake2b-256 of the bytes to sign
//! (every input's proof left empty), so that a transaction's id — and with it the context
//! variables its inputs carry — can be recomputed rather than trusted.
//!
//! ```text
//! VLQ(#inputs) ‖ (boxId(32) ‖ VLQ(0) ‖ u8(#vars) ‖ (u8(var) ‖ constant)*)*
//! ‖ VLQ(#dataInputs) ‖ boxId(32)*
//! ‖ VLQ(#distinct token ids) ‖ tokenId(32)*            (in order of first use by the outputs)
//! ‖ VLQ(#outputs) ‖ (VLQ(value) ‖ ErgoTree ‖ VLQ(height) ‖ u8(#tokens) ‖ (VLQ(token index) ‖ VLQ(amount))*
//!                    ‖ u8(#registers) ‖ constant*)*
//! ```

use crate::encoding::hash::blake2b256;
use crate::encoding::vlq;
use crate::ergo::{Candidate, Constant, ErgoBox, Id, RegisterError};

/// The chain's miner fee contract (the fee output's ErgoTree).
pub const MINER_FEE_TREE: &str = "1005040004000e36100204a00b08cd0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798ea02d192a39a8cc7a701730073011001020402d19683030193a38cc7b2a57300000193c2b2a57301007473027303830108cdeeac93b1a57304";

/// An input: the box it spends and the context variables it carries (in serialization order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub box_id: Id,
    /// Context variables: id and serialized constant.
    pub extension: Vec<(u8, Vec<u8>)>,
}

impl Input {
    /// Context variable `id`, parsed, if the input carries it.
    pub fn var(&self, id: u8) -> Option<Result<Constant, RegisterError>> {
        self.extension
            .iter()
            .find(|(k, _)| *k == id)
            .map(|(_, v)| Constant::parse(v))
    }
}

/// A transaction's content (proofs are not part of its id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transaction {
    pub inputs: Vec<Input>,
    pub data_inputs: Vec<Id>,
    pub outputs: Vec<Candidate>,
}

impl Transaction {
    /// The bytes a transaction's id hashes and its signatures sign.
    pub fn bytes_to_sign(&self) -> Vec<u8> {
        let mut w = Vec::new();
        vlq::put(&mut w, self.inputs.len() as u64);
        for i in &self.inputs {
            w.extend_from_slice(&i.box_id.0);
            w.push(0); // empty proof
            w.push(i.extension.len() as u8);
            for (k, v) in &i.extension {
                w.push(*k);
                w.extend_from_slice(v);
            }
        }
        vlq::put(&mut w, self.data_inputs.len() as u64);
        for d in &self.data_inputs {
            w.extend_from_slice(&d.0);
        }
        let mut token_ids: Vec<[u8; 32]> = Vec::new();
        for t in self.outputs.iter().flat_map(|o| &o.tokens) {
            if !token_ids.contains(&t.id) {
                token_ids.push(t.id);
            }
        }
        vlq::put(&mut w, token_ids.len() as u64);
        for id in &token_ids {
            w.extend_from_slice(id);
        }
        vlq::put(&mut w, self.outputs.len() as u64);
        for o in &self.outputs {
            vlq::put(&mut w, o.value);
            w.extend_from_slice(&o.ergo_tree);
            vlq::put(&mut w, o.creation_height as u64);
            w.push(o.tokens.len() as u8);
            for t in &o.tokens {
                let index = token_ids.iter().position(|id| *id == t.id).unwrap_or(0);
                vlq::put(&mut w, index as u64);
                vlq::put(&mut w, t.amount);
            }
            w.push(o.registers.len() as u8);
            for r in &o.registers {
                w.extend_from_slice(r);
            }
        }
        w
    }

    /// blake2b-256 of [`Transaction::bytes_to_sign`].
    pub fn id(&self) -> Id {
        Id(blake2b256(&self.bytes_to_sign()))
    }

    /// The boxes this transaction creates.
    pub fn output_boxes(&self) -> Vec<ErgoBox> {
        let id = self.id();
        self.outputs
            .iter()
            .enumerate()
            .map(|(i, o)| o.to_box(id, i as u16))
            .collect()
    }
}
