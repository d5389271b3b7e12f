//! Any bytes as a snapshot, binary or JSON: an error or a state whose digest is the declared one.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../checks.rs"]
mod checks;

fuzz_target!(|data: &[u8]| checks::snapshot(data));
