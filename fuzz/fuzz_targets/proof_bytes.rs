//! Any bytes as a proof, digest and keys: an error or a result, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../checks.rs"]
mod checks;

fuzz_target!(|data: &[u8]| checks::proof_bytes(data));
