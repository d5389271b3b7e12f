//! Writes the wasm harness's inputs: `cargo run --release -p sharestate-wasm-bench --bin prepare -- <dir>`.
//! lookup-2239.bin, lookup-100000.bin, lookup-1000000.bin: one lookup each; payout-300.bin:
//! 300 of 2,239 miners paid, the same transaction the criterion benchmark checks.

use sharestate::hash::blake2b256;
use sharestate::posted::{self, RewardInput, ShareStateInput};
use sharestate::Key;
use sharestate_wasm_bench::encoding;

#[path = "../../../fixtures.rs"]
mod fixtures;
use fixtures::{script, state, REWARD};

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
    let (mut s, max_score) = state(2239);
    let keys: Vec<Key> = s.keys().into_iter().take(300).collect();
    let share_state = ShareStateInput {
        tree: s.register(),
        max_score,
        script: None,
        tokens: vec![],
    };
    let reward = RewardInput {
        value: REWARD,
        initial_value: REWARD,
        script: None,
    };
    let batch = posted::prove_payout(&mut s, &keys, REWARD, max_score, false).unwrap();
    let by_key: std::collections::HashMap<Key, Vec<u8>> =
        (0..2239).map(|i| (blake2b256(&script(i)), script(i))).collect();
    let tx = posted::payout_transaction(&share_state, 1_000_000, &reward, &batch, |k| by_key.get(k).cloned()).unwrap();
    assert!(posted::check_payout(&tx).accepted);
    std::fs::write(dir.join("payout-300.bin"), encoding::encode_payout(&tx)).unwrap();
    eprintln!("inputs written to {}", dir.display());
}
