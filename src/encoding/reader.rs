//! The one reader of untrusted bytes: every read is bounds-checked and says, when it fails,
//! where the input ended or which number did not fit. Proofs, snapshots, registers and ErgoTree
//! headers are all read with it; each turns a [`ReadError`] into its own error with `From`.

use thiserror::Error;

/// Why a read failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum ReadError {
    /// The input ends at byte `offset` (its length) while `what` was being read. (The messages
    /// follow the name of what is read: "the proof ends at byte 3 while reading a label".)
    #[error("ends at byte {offset} while reading {what}")]
    Truncated { offset: usize, what: &'static str },
    /// The VLQ number starting at byte `offset` does not fit `bits` bits.
    #[error("has a VLQ number at byte {offset} that does not fit {bits} bits")]
    VlqOverflow { offset: usize, bits: u32 },
}

/// A cursor over bytes whose reads never go past the end.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes, pos: 0 }
    }

    /// The offset of the next byte to read.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// The bytes not read yet.
    pub fn rest(&self) -> &'a [u8] {
        &self.bytes[self.pos..]
    }

    /// How many bytes are not read yet.
    pub fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    /// Moves past `n` bytes that were read elsewhere (from [`Reader::rest`]).
    pub fn skip(&mut self, n: usize, what: &'static str) -> Result<(), ReadError> {
        self.take(n, what).map(|_| ())
    }

    /// The next `n` bytes.
    pub fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], ReadError> {
        let end = self.pos.checked_add(n).filter(|e| *e <= self.bytes.len());
        let end = end.ok_or(ReadError::Truncated {
            offset: self.bytes.len(),
            what,
        })?;
        let s = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    /// The next `N` bytes as an array.
    pub fn array<const N: usize>(&mut self, what: &'static str) -> Result<[u8; N], ReadError> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N, what)?);
        Ok(a)
    }

    pub fn byte(&mut self, what: &'static str) -> Result<u8, ReadError> {
        Ok(self.take(1, what)?[0])
    }

    /// A big-endian u32.
    pub fn u32_be(&mut self, what: &'static str) -> Result<u32, ReadError> {
        Ok(u32::from_be_bytes(self.array(what)?))
    }

    /// An unsigned VLQ read as the chain reads it: at most ten bytes, bits beyond 64 dropped.
    pub fn vlq(&mut self, what: &'static str) -> Result<u64, ReadError> {
        let offset = self.pos;
        let mut v: u64 = 0;
        let mut shift = 0u32;
        while shift < 64 {
            let b = self.byte(what)?;
            v |= ((b & 0x7f) as u64) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
            shift += 7;
        }
        Err(ReadError::VlqOverflow { offset, bits: 64 })
    }

    /// A VLQ that must fit 32 bits.
    pub fn vlq_u32(&mut self, what: &'static str) -> Result<u32, ReadError> {
        let offset = self.pos;
        u32::try_from(self.vlq(what)?).map_err(|_| ReadError::VlqOverflow { offset, bits: 32 })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[crate::test]
    fn reads_past_the_end_say_where_the_input_ends() {
        let mut r = Reader::new(&[1, 2, 3]);
        assert_eq!(r.byte("a"), Ok(1));
        assert_eq!(
            r.take(3, "three"),
            Err(ReadError::Truncated {
                offset: 3,
                what: "three"
            })
        );
        // a failed read consumes nothing
        assert_eq!(r.position(), 1);
        assert_eq!(r.array::<2>("two"), Ok([2, 3]));
        assert_eq!(r.remaining(), 0);
        assert!(r.take(usize::MAX, "all").is_err());
    }

    #[crate::test]
    fn vlq_numbers_read_as_the_chain_reads_them() {
        assert_eq!(Reader::new(&[0x96, 0x01]).vlq("n"), Ok(150));
        assert_eq!(
            Reader::new(&[0xff; 9].iter().chain(&[0x01]).copied().collect::<Vec<_>>()).vlq("n"),
            Ok(u64::MAX)
        );
        assert_eq!(
            Reader::new(&[0xff; 11]).vlq("n"),
            Err(ReadError::VlqOverflow { offset: 0, bits: 64 })
        );
        assert_eq!(
            Reader::new(&[0x80, 0x80, 0x80, 0x80, 0x10]).vlq_u32("n"),
            Err(ReadError::VlqOverflow { offset: 0, bits: 32 })
        );
        assert_eq!(
            Reader::new(&[0x80]).vlq("n"),
            Err(ReadError::Truncated { offset: 1, what: "n" })
        );
        assert_eq!(Reader::new(&[0, 0, 0, 7]).u32_be("n"), Ok(7));
    }
}
