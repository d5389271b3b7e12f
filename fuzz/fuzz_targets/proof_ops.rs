//! Real proofs of fuzzer-chosen operations on a real tree, then fuzzer-chosen corruptions of
//! the proof and the operations: the honest proof must verify to the prover's results, and a
//! corrupted one must give an error or a result, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../checks.rs"]
mod checks;

fuzz_target!(|data: &[u8]| checks::proof_ops(data));
