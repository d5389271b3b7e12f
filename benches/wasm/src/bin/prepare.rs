//! Writes the wasm harness's inputs: `cargo run --release -p sharestate-wasm-bench --bin prepare -- <dir>`.
//! lookup-2239.bin, lookup-100000.bin, lookup-1000000.bin: one lookup each; payout-300.bin:
//! 300 of 2,239 miners paid, the same transaction the criterion benchmark checks;
//! command-update-150.bin, command-payout-150.bin: Design 2 commands of 150 of 10,000 miners.

use sharestate::encoding::hash::blake2b256;
use sharestate_wasm_bench::encoding;

#[path = "../../../fixtures.rs"]
mod fixtures;
use fixtures::{script, state};

fn main() {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).expect("usage: prepare <dir>"));
    std::fs::create_dir_all(&dir).unwrap();
    for n in [2239u64, 100_000, 1_000_000] {
        let (mut s, _) = state(n);
        let key = blake2b256(&script(n / 3));
        let p = s.prove_lookups(&[key]).unwrap();
        std::fs::write(
            dir.join(format!("lookup-{n}.bin")),
            encoding::encode_lookup(&p.digest_before, &key, &p.proof),
        )
        .unwrap();
    }
    let (tx, _) = fixtures::payout(2239, 300);
    std::fs::write(dir.join("payout-300.bin"), encoding::encode_payout(&tx)).unwrap();
    let (_, _, update, payout) = fixtures::balance_round(10_000);
    std::fs::write(dir.join("command-update-150.bin"), encoding::encode_command(&update)).unwrap();
    std::fs::write(dir.join("command-payout-150.bin"), encoding::encode_command(&payout)).unwrap();
    eprintln!("inputs written to {}", dir.display());
}
