//! Peak memory of building an n-entry share state: `cargo run --release --example peak_memory -- 1000000`.
//! Prints the build time and the process's peak resident set (VmHWM, Linux) before and after.

use sharestate::encoding::hash::blake2b256;
use sharestate::{ShareState, ShareValue};
use std::time::Instant;

fn vm_hwm_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    let n: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let entries: Vec<([u8; 32], Vec<u8>)> = (0..n)
        .map(|i| {
            (
                blake2b256(&i.to_be_bytes()),
                ShareValue::unpaid(i as i64).to_bytes().to_vec(),
            )
        })
        .collect();
    let before = vm_hwm_kib().unwrap_or(0);
    let t = Instant::now();
    let mut s = ShareState::from_entries(entries).unwrap();
    let d = s.digest();
    let took = t.elapsed();
    let after = vm_hwm_kib().unwrap_or(0);
    println!(
        "{n} entries: built and hashed in {:.1} ms; peak RSS {:.1} MiB (input entries alone {:.1} MiB); digest {d}",
        took.as_secs_f64() * 1e3,
        after as f64 / 1024.0,
        before as f64 / 1024.0
    );
}
