//! The pool walker fed a real epoch's answers, corrupted or replaced as the fuzzer chooses.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../checks.rs"]
mod checks;

fuzz_target!(|data: &[u8]| checks::walker(data));
