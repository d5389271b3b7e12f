//! Any bytes as a register value: an error or a constant that serializes back to a form that
//! parses to the same constant.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../checks.rs"]
mod checks;

fuzz_target!(|data: &[u8]| checks::register(data));
