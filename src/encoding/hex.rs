//! Lower-case hex, the form every byte string takes in our JSON and CLI.

use thiserror::Error;

/// A string that is not hex.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum HexError {
    #[error("hex has an odd number of digits ({len})")]
    OddLength { len: usize },
    #[error("not a hex digit: '{}' at position {position}", .found.escape_default())]
    InvalidDigit { position: usize, found: char },
}

const DIGITS: &[u8; 16] = b"0123456789abcdef";

/// Lower-case hex of `bytes`.
pub fn encode(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 0xf) as usize] as char);
    }
    s
}

/// Each byte's value as a hex digit, or [`NOT_HEX`].
const VALUES: [u8; 256] = {
    let mut t = [NOT_HEX; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        t[b'a' as usize + i] = 10 + i as u8;
        t[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    t
};
const NOT_HEX: u8 = 0xff;

/// Bytes of a hex string (either case). (A table lookup per digit: snapshots and proofs are
/// long hex strings, decoded on every check.)
pub fn decode(s: &str) -> Result<Vec<u8>, HexError> {
    let bytes = s.as_bytes();
    if bytes.len() % 2 != 0 {
        return Err(HexError::OddLength { len: bytes.len() });
    }
    let mut out = Vec::with_capacity(bytes.len() / 2);
    for (i, pair) in bytes.chunks_exact(2).enumerate() {
        let (hi, lo) = (VALUES[usize::from(pair[0])], VALUES[usize::from(pair[1])]);
        if hi == NOT_HEX || lo == NOT_HEX {
            let position = if hi == NOT_HEX { 2 * i } else { 2 * i + 1 };
            return Err(HexError::InvalidDigit {
                position,
                found: s.get(position..).and_then(|r| r.chars().next()).unwrap_or('?'),
            });
        }
        out.push((hi << 4) | lo);
    }
    Ok(out)
}

/// Bytes of a hex string that must decode to exactly `N` bytes.
pub fn decode_array<const N: usize>(s: &str) -> Result<[u8; N], FixedHexError> {
    let v = decode(s)?;
    v.try_into().map_err(|v: Vec<u8>| FixedHexError::Length {
        expected: N,
        found: v.len(),
    })
}

/// A hex string that is not hex, or not of the length a fixed-size value needs.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FixedHexError {
    #[error(transparent)]
    Hex(#[from] HexError),
    #[error("expected {expected} bytes, found {found}")]
    Length { expected: usize, found: usize },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[crate::test]
    fn round_trips_and_accepts_upper_case() {
        assert_eq!(encode(&[0, 0xab, 0xff]), "00abff");
        assert_eq!(decode("00ABff").unwrap(), vec![0, 0xab, 0xff]);
    }

    #[crate::test]
    fn rejects_odd_length_and_bad_digits_with_their_position() {
        assert_eq!(decode("abc"), Err(HexError::OddLength { len: 3 }));
        assert_eq!(
            decode("0g"),
            Err(HexError::InvalidDigit {
                position: 1,
                found: 'g'
            })
        );
        // a multi-byte character is reported whole, never split
        assert!(matches!(
            decode("é00"),
            Err(HexError::InvalidDigit {
                position: 0,
                found: 'é'
            })
        ));
        // control characters are shown escaped, never raw in a message
        let e = decode("0\n").unwrap_err().to_string();
        assert_eq!(e, "not a hex digit: '\\n' at position 1");
    }

    #[crate::test]
    fn every_pair_of_characters_decodes_as_the_standard_parser_reads_it() {
        // (every ASCII pair: a byte from 0x80 on is part of a multi-byte character, tested above)
        for a in 0..128u8 {
            for b in 0..128u8 {
                let (a, b) = (char::from(a), char::from(b));
                let s: String = [a, b].iter().collect();
                let reference =
                    (a.is_ascii_hexdigit() && b.is_ascii_hexdigit()).then(|| u8::from_str_radix(&s, 16).unwrap());
                match (decode(&s), reference) {
                    (Ok(v), Some(r)) => assert_eq!(v, vec![r]),
                    (Err(HexError::InvalidDigit { position, found }), None) => {
                        let first_bad = usize::from(a.is_ascii_hexdigit());
                        assert_eq!((position, found), (first_bad, [a, b][first_bad]), "{s:?}");
                    }
                    (other, r) => panic!("{s:?}: {other:?} against {r:?}"),
                }
            }
        }
    }

    #[crate::test]
    fn fixed_size_checks_length() {
        assert_eq!(decode_array::<2>("0102").unwrap(), [1, 2]);
        assert_eq!(
            decode_array::<2>("01"),
            Err(FixedHexError::Length { expected: 2, found: 1 })
        );
    }
}
