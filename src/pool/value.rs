//! The values stored under miner keys.
//!
//! - Design 1 (posted share state): [`ShareValue`] = score (8 bytes, big-endian) ‖ paid (1 byte,
//!   0 or 1).
//! - Design 2 (persistent balance state): [`Balance`] = nanoErg owed (8 bytes, big-endian); in
//!   a token pool, [`DualBalance`] = nanoErg owed ‖ tokens owed (16 bytes). [`Owed`] reads either
//!   by the pool's kind.
//!
//! Every number is the chain's signed 64-bit `Long` (`byteArrayToLong`); a negative one is not
//! a score or a balance, and is refused.

use thiserror::Error;

/// Bytes that are not a share value or a balance.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ValueError {
    #[error("a {what} has {expected} bytes, this value has {found}")]
    Length {
        what: &'static str,
        expected: usize,
        found: usize,
    },
    #[error("the paid byte is {found:#04x}; it must be 0 (unpaid) or 1 (paid)")]
    PaidByte { found: u8 },
    #[error("the value is not hex: {0}")]
    Hex(crate::encoding::hex::HexError),
    #[error("the {what} {found} is negative")]
    Negative { what: &'static str, found: i64 },
}

/// A Design 1 share-state value: a miner's score and whether it has been paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ShareValue {
    pub score: i64,
    pub paid: bool,
}

impl ShareValue {
    /// Encoded length.
    pub const LENGTH: usize = 9;

    /// An unpaid score.
    pub fn unpaid(score: i64) -> ShareValue {
        ShareValue { score, paid: false }
    }

    /// The same score, paid.
    pub fn into_paid(self) -> ShareValue {
        ShareValue { paid: true, ..self }
    }

    /// `score(8, big-endian) ‖ paid(1)`.
    pub fn to_bytes(&self) -> [u8; 9] {
        let mut b = [0u8; 9];
        b[..8].copy_from_slice(&self.score.to_be_bytes());
        b[8] = self.paid as u8;
        b
    }

    /// Parses exactly 9 bytes with a paid byte of 0 or 1 and a non-negative score.
    pub fn from_bytes(bytes: &[u8]) -> Result<ShareValue, ValueError> {
        let b: &[u8; 9] = bytes.try_into().map_err(|_| ValueError::Length {
            what: "share value",
            expected: 9,
            found: bytes.len(),
        })?;
        let score = i64::from_be_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]);
        if score < 0 {
            return Err(ValueError::Negative {
                what: "score",
                found: score,
            });
        }
        let paid = match b[8] {
            0 => false,
            1 => true,
            found => return Err(ValueError::PaidByte { found }),
        };
        Ok(ShareValue { score, paid })
    }
}

/// A Design 2 balance: nanoErg the pool owes a miner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Balance(pub i64);

impl Balance {
    /// Encoded length.
    pub const LENGTH: usize = 8;

    /// 8 bytes, big-endian.
    pub fn to_bytes(&self) -> [u8; 8] {
        self.0.to_be_bytes()
    }

    /// Parses exactly 8 bytes holding a non-negative number.
    pub fn from_bytes(bytes: &[u8]) -> Result<Balance, ValueError> {
        long(bytes, "balance").map(Balance)
    }
}

fn long(bytes: &[u8], what: &'static str) -> Result<i64, ValueError> {
    let b: [u8; 8] = bytes.try_into().map_err(|_| ValueError::Length {
        what,
        expected: 8,
        found: bytes.len(),
    })?;
    match i64::from_be_bytes(b) {
        v if v < 0 => Err(ValueError::Negative { what, found: v }),
        v => Ok(v),
    }
}

/// A Design 2 balance of a token pool (the deployed `DualBalance`): nanoErg and tokens the
/// pool owes a miner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DualBalance {
    pub erg: i64,
    pub tokens: i64,
}

impl DualBalance {
    /// Encoded length.
    pub const LENGTH: usize = 16;

    /// `erg(8, big-endian) ‖ tokens(8, big-endian)`.
    pub fn to_bytes(&self) -> [u8; 16] {
        let mut b = [0u8; 16];
        b[..8].copy_from_slice(&self.erg.to_be_bytes());
        b[8..].copy_from_slice(&self.tokens.to_be_bytes());
        b
    }

    /// Parses exactly 16 bytes holding two non-negative numbers.
    pub fn from_bytes(bytes: &[u8]) -> Result<DualBalance, ValueError> {
        if bytes.len() != Self::LENGTH {
            return Err(ValueError::Length {
                what: "dual balance",
                expected: Self::LENGTH,
                found: bytes.len(),
            });
        }
        Ok(DualBalance {
            erg: long(&bytes[..8], "ERG balance")?,
            tokens: long(&bytes[8..], "token balance")?,
        })
    }
}

/// What a Design 2 pool owes a miner, as its kind stores it: a plain pool's [`Balance`], a token
/// pool's [`DualBalance`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Owed {
    Single(Balance),
    Dual(DualBalance),
}

impl Owed {
    /// Reads `bytes` as a token pool's value (`dual`) or a plain pool's; a value of the other
    /// kind's length is a [`ValueError::Length`], never read as the other.
    pub fn from_bytes(bytes: &[u8], dual: bool) -> Result<Owed, ValueError> {
        match dual {
            true => DualBalance::from_bytes(bytes).map(Owed::Dual),
            false => Balance::from_bytes(bytes).map(Owed::Single),
        }
    }

    /// The value's bytes (8 or 16).
    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            Owed::Single(b) => b.to_bytes().to_vec(),
            Owed::Dual(d) => d.to_bytes().to_vec(),
        }
    }

    /// The nanoErg owed.
    pub fn erg(&self) -> i64 {
        match self {
            Owed::Single(b) => b.0,
            Owed::Dual(d) => d.erg,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[crate::test]
    fn share_values_round_trip() {
        let v = ShareValue {
            score: 0x0102030405060708,
            paid: true,
        };
        assert_eq!(v.to_bytes(), [1, 2, 3, 4, 5, 6, 7, 8, 1]);
        assert_eq!(ShareValue::from_bytes(&v.to_bytes()), Ok(v));
        assert_eq!(ShareValue::unpaid(5).into_paid(), ShareValue { score: 5, paid: true });
    }

    #[crate::test]
    fn share_values_refuse_other_lengths_paid_bytes_and_negative_scores() {
        assert_eq!(
            ShareValue::from_bytes(&[0; 8]),
            Err(ValueError::Length {
                what: "share value",
                expected: 9,
                found: 8
            })
        );
        assert!(ShareValue::from_bytes(&[0; 10]).is_err());
        assert_eq!(
            ShareValue::from_bytes(&[0, 0, 0, 0, 0, 0, 0, 1, 2]),
            Err(ValueError::PaidByte { found: 2 })
        );
        let mut neg = [0xffu8; 9];
        neg[8] = 0;
        assert_eq!(
            ShareValue::from_bytes(&neg),
            Err(ValueError::Negative {
                what: "score",
                found: -1
            })
        );
    }

    #[crate::test]
    fn balances_round_trip_and_refuse_other_lengths() {
        let b = Balance(1_000_000_000);
        assert_eq!(Balance::from_bytes(&b.to_bytes()), Ok(b));
        assert!(Balance::from_bytes(&[0; 9]).is_err());
        assert!(Balance::from_bytes(&[0x80, 0, 0, 0, 0, 0, 0, 0]).is_err());
    }

    #[crate::test]
    fn dual_balances_round_trip_and_each_half_is_checked() {
        let d = DualBalance {
            erg: 0x0102030405060708,
            tokens: 9,
        };
        assert_eq!(d.to_bytes(), [1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0, 0, 0, 9]);
        assert_eq!(DualBalance::from_bytes(&d.to_bytes()), Ok(d));
        assert_eq!(
            DualBalance::from_bytes(&[0; 8]),
            Err(ValueError::Length {
                what: "dual balance",
                expected: 16,
                found: 8
            })
        );
        let mut neg = [0u8; 16];
        neg[8] = 0xff;
        assert_eq!(
            DualBalance::from_bytes(&neg).unwrap_err().to_string(),
            "the token balance -72057594037927936 is negative"
        );
        neg[0] = 0x80;
        assert!(matches!(
            DualBalance::from_bytes(&neg),
            Err(ValueError::Negative {
                what: "ERG balance",
                ..
            })
        ));
    }

    #[crate::test]
    fn what_a_pool_owes_is_read_by_its_kind_never_as_the_other() {
        let single = Owed::from_bytes(&Balance(5).to_bytes(), false).unwrap();
        assert_eq!((single, single.erg()), (Owed::Single(Balance(5)), 5));
        let dual = Owed::from_bytes(&DualBalance { erg: 7, tokens: 3 }.to_bytes(), true).unwrap();
        assert_eq!(dual.erg(), 7);
        assert_eq!(dual.to_bytes().len(), 16);
        assert_eq!(single.to_bytes(), Balance(5).to_bytes().to_vec());
        // a plain pool's value in a token pool, and the reverse: typed errors
        assert!(matches!(
            Owed::from_bytes(&Balance(5).to_bytes(), true),
            Err(ValueError::Length {
                expected: 16,
                found: 8,
                ..
            })
        ));
        assert!(matches!(
            Owed::from_bytes(&[0; 16], false),
            Err(ValueError::Length {
                expected: 8,
                found: 16,
                ..
            })
        ));
        assert!(Owed::from_bytes(&[], false).is_err() && Owed::from_bytes(&[0; 17], true).is_err());
    }
}
