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

/// Bytes of a hex string (either case).
pub fn decode(s: &str) -> Result<Vec<u8>, HexError> {
    let bytes = s.as_bytes();
    if bytes.len() % 2 != 0 {
        return Err(HexError::OddLength { len: bytes.len() });
    }
    let digit = |i: usize| -> Result<u8, HexError> {
        let c = bytes[i];
        match c {
            b'0'..=b'9' => Ok(c - b'0'),
            b'a'..=b'f' => Ok(c - b'a' + 10),
            b'A'..=b'F' => Ok(c - b'A' + 10),
            _ => Err(HexError::InvalidDigit {
                position: i,
                found: s.get(i..).and_then(|r| r.chars().next()).unwrap_or('?'),
            }),
        }
    };
    (0..bytes.len() / 2)
        .map(|i| Ok((digit(2 * i)? << 4) | digit(2 * i + 1)?))
        .collect()
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
    fn fixed_size_checks_length() {
        assert_eq!(decode_array::<2>("0102").unwrap(), [1, 2]);
        assert_eq!(
            decode_array::<2>("01"),
            Err(FixedHexError::Length { expected: 2, found: 1 })
        );
    }
}
