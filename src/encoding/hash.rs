//! blake2b-256, the hash of Ergo's keys, tree labels, box ids and address checksums.

use blake2::digest::consts::U32;
use blake2::{Blake2b, Digest as _};

type Blake2b256 = Blake2b<U32>;

/// blake2b-256 of one byte string.
pub fn blake2b256(bytes: &[u8]) -> [u8; 32] {
    Blake2b256::digest(bytes).into()
}

/// blake2b-256 of the concatenation of `parts`, without building it.
pub fn blake2b256_parts(parts: &[&[u8]]) -> [u8; 32] {
    let mut h = Blake2b256::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoding::hex;

    #[crate::test]
    fn empty_input_matches_the_blake2b_256_test_vector() {
        assert_eq!(
            hex::encode(&blake2b256(b"")),
            "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8"
        );
    }

    #[crate::test]
    fn parts_hash_like_their_concatenation() {
        assert_eq!(blake2b256_parts(&[b"ab", b"", b"c"]), blake2b256(b"abc"));
    }
}
