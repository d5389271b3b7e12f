#!/usr/bin/env bash
# Runs every test of sharestate: formatting and lints, the native tests (unit, property,
# cross-checks against sigma-rust, ergo_avltree_rust and Scala's proofs, the CLI, the devnet over
# HTTP, fuzz seeds and findings), the core's unit tests as wasm in headless Chromium, the app, the
# npm package, the app end to end, the JS reference cross-checks, a smoke run of the wasm
# benchmark harness, and time-boxed fuzzing of every fuzz target.
#   FUZZ_SECONDS=30 (per target; 0 skips fuzzing)
#
# Each crate is compiled once per target and profile: clippy-driver compiles our own crates (as
# `cargo clippy` would), so the builds that test also lint, and the JS, package and end-to-end
# tests run the native test build's own binaries (target/debug: devnet, sharestate, conformance).
# Nothing it runs rewrites a tracked file (screenshots go to target/screenshots).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER=/usr/bin/chromedriver
export RUSTC_WORKSPACE_WRAPPER=clippy-driver CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"
export DEVNET_BIN=target/debug/devnet
FUZZ_SECONDS="${FUZZ_SECONDS:-30}"
started=$(date +%s)
step() { printf '\n==> %s (%ss)\n' "$*" "$(( $(date +%s) - started ))"; }

step "format; the contracts: the committed ErgoTrees match a fresh compile (Fleet compiler / sigmastate-js)"
cargo fmt --all --check
(cd app && cargo fmt --check)
node scripts/compile-contracts.mjs --check

step "native: every crate and target built once, linted as it compiles, then every test"
cargo test --workspace --all-targets --all-features --no-run --quiet
cargo test --workspace --all-features --quiet

step "core unit tests as wasm in headless Chromium"
cargo test --lib --target wasm32-unknown-unknown

step "the app: view models natively, components in headless Chromium"
(cd app && cargo test --quiet && cargo test --target wasm32-unknown-unknown --test web)

step "the npm package (full and lite modules, linted as they build): packed, installed into a fresh project, every API and error kind, interop"
./scripts/build-package.sh
node --test www/test/

step "the app end to end: Chromium (playwright-core) against devnets serving the built app"
./scripts/build-app.sh
node --test tests/e2e/

step "JS reference libraries against our output: Fleet SDK, ergo-lib-wasm, sigmastate-js (payout conformance)"
SHARESTATE_BIN=target/debug/sharestate CONFORMANCE_BIN=target/debug/examples/conformance node --test tests/js/

step "wasm benchmark harness (smoke run; figures go to BENCHMARKS.md via scripts/bench.sh)"
cargo build --quiet -p sharestate-wasm-bench --lib --target wasm32-unknown-unknown
cargo build --quiet -p sharestate-wasm-bench --bin prepare
target/debug/prepare target/bench-inputs
node benches/wasm/harness.mjs target/wasm32-unknown-unknown/debug/sharestate_wasm_bench.wasm target/bench-inputs >/dev/null

if [ "$FUZZ_SECONDS" -gt 0 ]; then
  if rustup run nightly rustc --version >/dev/null 2>&1; then
    for target in proof_bytes proof_ops register address snapshot walker; do
      step "fuzz $target for ${FUZZ_SECONDS}s"
      mkdir -p "fuzz/corpus/$target" target/fuzz
      log="target/fuzz/$target.log"
      # cargo fuzz builds with its own flags: not through clippy. Its status counts: a target
      # that no longer builds, or any finding (crash, leak, timeout, out of memory), fails here.
      if ! (cd fuzz && RUSTC_WORKSPACE_WRAPPER= cargo +nightly fuzz run -O "$target" "corpus/$target" "seeds/$target" -- \
          -max_total_time="$FUZZ_SECONDS" -print_final_stats=1) >"$log" 2>&1 \
        || ls "fuzz/artifacts/$target"/* >/dev/null 2>&1; then
        tail -40 "$log" >&2
        echo "fuzz target $target failed or found something: $log, fuzz/artifacts/$target (minimize a finding, fix the bug, and keep it in fuzz/regressions/$target/)" >&2
        exit 1
      fi
      grep -E 'Done [0-9]+ runs' "$log" || true
    done
  else
    echo "fuzzing skipped: no nightly toolchain on this machine (cargo fuzz needs one)"
  fi
fi

step "all tests passed"
