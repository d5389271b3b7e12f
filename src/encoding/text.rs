//! How bytes and 64-bit numbers are written in the JSON sharestate produces (serde's
//! `serialize_with`): bytes as lower-case hex, and 64-bit numbers as decimal strings, exact in
//! JavaScript (a transaction's claimed score is whatever its author wrote).

use crate::encoding::hex;
use serde::Serializer;

/// Bytes as hex.
pub fn hex_bytes<S: Serializer, B: AsRef<[u8]>>(v: &B, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&hex::encode(v.as_ref()))
}

/// Bytes as hex, or null.
pub fn opt_hex_bytes<S: Serializer, B: AsRef<[u8]>>(v: &Option<B>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => hex_bytes(v, s),
        None => s.serialize_none(),
    }
}

/// `text` cut to 300 characters, for messages that quote what a source sent (which may be
/// anything, up to the size of an answer).
pub fn clip(text: &str) -> String {
    const MAX: usize = 300;
    match text.char_indices().nth(MAX) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// A 64-bit number as a decimal string.
pub fn i64_string<S: Serializer>(v: &i64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&v.to_string())
}

/// A 64-bit number as a decimal string, or null.
pub fn opt_i64_string<S: Serializer>(v: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => i64_string(v, s),
        None => s.serialize_none(),
    }
}
