//! Byte-level encodings every other module reads and writes with: lower-case hex, blake2b-256,
//! one bounds-checked reader, and the VLQ/ZigZag numbers of Ergo's serialization.

pub mod hash;
pub mod hex;
mod reader;
pub mod text;
pub mod vlq;

pub use reader::{ReadError, Reader};
