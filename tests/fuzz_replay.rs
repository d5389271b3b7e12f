//! Every fuzz target's seeds and past findings, replayed on stable in every test run (fuzzing
//! itself needs nightly): `fuzz/seeds/<target>/*` and `fuzz/regressions/<target>/*` — a crash
//! that `cargo fuzz` finds goes into the latter, minimized, with the fix that made it pass.
//! The checks are the fuzz targets' own (`fuzz/checks.rs`), not a copy.

#[path = "../fuzz/checks.rs"]
mod checks;

use std::path::Path;

/// A fuzz target's check.
type Check = fn(&[u8]);

const TARGETS: [(&str, Check); 6] = [
    ("address", checks::address),
    ("proof_bytes", checks::proof_bytes),
    ("proof_ops", checks::proof_ops),
    ("register", checks::register),
    ("snapshot", checks::snapshot),
    ("walker", checks::walker),
];

/// The files of `dir`, sorted (none if it does not exist).
fn inputs(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

#[test]
fn every_seed_and_past_finding_passes_its_fuzz_check() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    for (target, check) in TARGETS {
        let seeds = inputs(&root.join("seeds").join(target));
        assert!(!seeds.is_empty(), "fuzz target {target} has no seeds");
        for file in seeds.iter().chain(&inputs(&root.join("regressions").join(target))) {
            let data = std::fs::read(file).unwrap();
            if std::panic::catch_unwind(|| check(&data)).is_err() {
                panic!("{target}: {} fails its fuzz check", file.display());
            }
        }
    }
}
