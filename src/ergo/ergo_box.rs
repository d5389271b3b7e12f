//! Ergo boxes as the chain serializes them, so that a box's id can be recomputed from its
//! content (blake2b-256 of its bytes) and a box whose claimed id does not match is refused.
//!
//! ```text
//! box = candidate ‖ transactionId(32) ‖ VLQ(index)
//! candidate = VLQ(value) ‖ ErgoTree ‖ VLQ(creationHeight) ‖ u8(token count) ‖ (tokenId(32) ‖ VLQ(amount))*
//!       ‖ u8(register count) ‖ R4 … (serialized constants, in order)
//! ```

use crate::encoding::hash::blake2b256;
use crate::encoding::{hex, vlq};
use crate::ergo::{Constant, RegisterError};
use std::fmt;

/// A token in a box.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Token {
    pub id: [u8; 32],
    pub amount: u64,
}

/// A 32-byte id: of a box, a transaction or a token.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Id(pub [u8; 32]);

impl Id {
    pub fn to_hex(&self) -> String {
        hex::encode(&self.0)
    }
}

impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Id({})", self.to_hex())
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

/// A box: what it holds and where it was created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErgoBox {
    /// nanoErg.
    pub value: u64,
    /// The serialized ErgoTree (proposition bytes).
    pub ergo_tree: Vec<u8>,
    pub creation_height: u32,
    pub tokens: Vec<Token>,
    /// R4, R5, … in order, each a serialized constant, kept as the chain has them.
    pub registers: Vec<Vec<u8>>,
    pub transaction_id: Id,
    /// Position among the creating transaction's outputs.
    pub index: u16,
}

impl ErgoBox {
    /// The box's bytes (the standalone form, token ids in full).
    pub fn bytes(&self) -> Vec<u8> {
        let mut w = Candidate::from(self).bytes();
        w.extend_from_slice(&self.transaction_id.0);
        vlq::put(&mut w, self.index as u64);
        w
    }

    /// blake2b-256 of [`ErgoBox::bytes`].
    pub fn id(&self) -> Id {
        Id(blake2b256(&self.bytes()))
    }

    /// Register `Rn` (4 ≤ n ≤ 9) parsed, if the box has it.
    pub fn register(&self, n: u8) -> Option<Result<Constant, RegisterError>> {
        let i = (n as usize).checked_sub(4)?;
        self.registers.get(i).map(|b| Constant::parse(b))
    }
}

/// An output before it is a box: everything but the transaction id and index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub value: u64,
    pub ergo_tree: Vec<u8>,
    pub creation_height: u32,
    pub tokens: Vec<Token>,
    /// R4, R5, … serialized constants.
    pub registers: Vec<Vec<u8>>,
}

impl Candidate {
    /// The candidate's bytes: a box's bytes without its transaction id and index.
    pub fn bytes(&self) -> Vec<u8> {
        let mut w = Vec::with_capacity(64 + self.ergo_tree.len() + 40 * self.tokens.len());
        vlq::put(&mut w, self.value);
        w.extend_from_slice(&self.ergo_tree);
        vlq::put(&mut w, self.creation_height as u64);
        w.push(self.tokens.len() as u8);
        for t in &self.tokens {
            w.extend_from_slice(&t.id);
            vlq::put(&mut w, t.amount);
        }
        w.push(self.registers.len() as u8);
        for r in &self.registers {
            w.extend_from_slice(r);
        }
        w
    }

    /// The box this output becomes in transaction `tx_id` at `index`.
    pub fn to_box(&self, tx_id: Id, index: u16) -> ErgoBox {
        ErgoBox {
            value: self.value,
            ergo_tree: self.ergo_tree.clone(),
            creation_height: self.creation_height,
            tokens: self.tokens.clone(),
            registers: self.registers.clone(),
            transaction_id: tx_id,
            index,
        }
    }
}

impl From<&ErgoBox> for Candidate {
    fn from(b: &ErgoBox) -> Candidate {
        Candidate {
            value: b.value,
            ergo_tree: b.ergo_tree.clone(),
            creation_height: b.creation_height,
            tokens: b.tokens.clone(),
            registers: b.registers.clone(),
        }
    }
}

// ---- the box value floor ------------------------------------------------------------------

/// nanoErg a box must hold per byte of its serialized form (`minValuePerByte`).
pub const MIN_VALUE_PER_BYTE: i64 = 360;

/// Serialized size of a box with `value`, a script of `script_len` bytes, no tokens and no
/// registers, created at `creation_height` as output `index` of a transaction: value,
/// ErgoTree, height, token count, register count, transaction id (32) and index — the bytes
/// the box value floor is computed from.
pub fn plain_box_size(value: u64, script_len: usize, creation_height: u32, index: u16) -> usize {
    vlq::len(value) + script_len + vlq::len(creation_height as u64) + 1 + 1 + 32 + vlq::len(index as u64)
}

/// The smallest value such a box may hold.
pub fn min_plain_box_value(script_len: usize, creation_height: u32, index: u16) -> i64 {
    let mut v: u64 = 0;
    loop {
        let need = plain_box_size(v, script_len, creation_height, index) as u64 * MIN_VALUE_PER_BYTE as u64;
        if need <= v {
            return v as i64;
        }
        v = need;
    }
}

/// Length of a P2PK ErgoTree (`00 08 cd` ‖ 33-byte key): the script length assumed for a
/// miner whose script is unknown.
pub const P2PK_SCRIPT_LEN: usize = 36;

#[cfg(test)]
mod tests {
    use super::*;

    #[crate::test]
    fn ids_cover_every_field() {
        let b = ErgoBox {
            value: 1_000_000,
            ergo_tree: vec![0x00, 0x08, 0xcd, 0x02],
            creation_height: 100,
            tokens: vec![Token { id: [1; 32], amount: 5 }],
            registers: vec![Constant::Int(3).to_bytes()],
            transaction_id: Id([9; 32]),
            index: 2,
        };
        let id = b.id();
        for change in [
            |b: &mut ErgoBox| b.value += 1,
            |b: &mut ErgoBox| b.ergo_tree.push(0),
            |b: &mut ErgoBox| b.creation_height += 1,
            |b: &mut ErgoBox| b.tokens[0].amount += 1,
            |b: &mut ErgoBox| b.registers.clear(),
            |b: &mut ErgoBox| b.transaction_id.0[0] = 0,
            |b: &mut ErgoBox| b.index = 3,
        ] {
            let mut c = b.clone();
            change(&mut c);
            assert_ne!(c.id(), id);
        }
        assert_eq!(b.register(4), Some(Ok(Constant::Int(3))));
        assert_eq!(b.register(5), None);
        assert_eq!(b.register(2), None);
    }

    #[crate::test]
    fn the_box_value_floor_counts_every_byte() {
        // 0.001 ERG to a P2PK script at height 1,000,000 as output 2:
        // value 3 + tree 36 + height 3 + 1 + 1 + tx id 32 + index 1 = 77 bytes
        assert_eq!(plain_box_size(1_000_000, 36, 1_000_000, 2), 77);
        let min = min_plain_box_value(36, 1_000_000, 2);
        assert_eq!(min, 77 * 360);
        assert_eq!(
            plain_box_size(min as u64, 36, 1_000_000, 2) as i64 * MIN_VALUE_PER_BYTE,
            min
        );
        // output index 200 needs a two-byte index
        assert_eq!(min_plain_box_value(36, 1_000_000, 200), 78 * 360);
    }
}
