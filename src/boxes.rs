//! Ergo boxes as the chain serializes them, so that a box's id can be recomputed from its
//! content (blake2b-256 of its bytes) and a box whose claimed id does not match is refused.
//!
//! ```text
//! box = candidate ‖ transactionId(32) ‖ VLQ(index)
//! candidate = VLQ(value) ‖ ErgoTree ‖ VLQ(creationHeight) ‖ u8(token count) ‖ (tokenId(32) ‖ VLQ(amount))*
//!       ‖ u8(register count) ‖ R4 … (serialized constants, in order)
//! ```

use crate::hash::blake2b256;
use crate::hex;
use crate::register::{put_vlq, Constant, RegisterError};
use crate::transaction::Candidate;
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
        put_vlq(&mut w, self.index as u64);
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
}
