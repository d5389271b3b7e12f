//! Any text as an address or ErgoTree: an error, or an address that encodes back to itself.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../checks.rs"]
mod checks;

fuzz_target!(|data: &[u8]| checks::address(data));
