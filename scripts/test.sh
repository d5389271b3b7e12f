#!/usr/bin/env bash
# Runs every test of sharestate: formatting and lints, the native tests (unit, property,
# cross-checks against sigma-rust, ergo_avltree_rust and Scala's proofs, the CLI), the core's
# unit tests as wasm in headless Chromium, the JS reference cross-checks, a smoke run of the
# wasm benchmark harness, and time-boxed fuzzing of every fuzz target.
#   FUZZ_SECONDS=30 (per target; 0 skips fuzzing)
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER=/usr/bin/chromedriver
FUZZ_SECONDS="${FUZZ_SECONDS:-30}"
started=$(date +%s)
step() { printf '\n==> %s (%ss)\n' "$*" "$(( $(date +%s) - started ))"; }

step "format and lints"
cargo fmt --all --check
cargo clippy --workspace --all-targets --all-features --quiet -- -D warnings
# the npm package's lite module (the bindings without their default feature)
cargo clippy -p sharestate-wasm --no-default-features --target wasm32-unknown-unknown --quiet -- -D warnings
(cd app && cargo fmt --check && cargo clippy --all-targets --quiet --target wasm32-unknown-unknown -- -D warnings)

step "contracts: the committed ErgoTrees match a fresh compile (Fleet compiler / sigmastate-js)"
node scripts/compile-contracts.mjs --check

step "native tests"
cargo test --workspace --all-features --quiet

step "core unit tests as wasm in headless Chromium"
cargo test --lib --target wasm32-unknown-unknown

step "the app: view models natively, components in headless Chromium"
(cd app && cargo test --quiet && cargo test --target wasm32-unknown-unknown --test web)

step "the npm package: packed, installed into a fresh project, every API and error kind, interop"
./scripts/build-package.sh
cargo build --profile fast --quiet -p sharestate-devnet
DEVNET_BIN=target/fast/devnet node --test www/test/

step "the app end to end: Chromium (playwright-core) against devnets serving the built app"
./scripts/build-app.sh
DEVNET_BIN=target/fast/devnet node --test tests/e2e/

step "JS reference libraries against our output: Fleet SDK, ergo-lib-wasm, sigmastate-js (payout conformance)"
cargo build --profile fast --quiet --bin sharestate
cargo build --profile fast --quiet --features interpreter --example conformance
SHARESTATE_BIN=target/fast/sharestate CONFORMANCE_BIN=target/fast/examples/conformance node --test tests/js/

step "wasm benchmark harness (smoke run; figures go to BENCHMARKS.md via scripts/bench.sh)"
cargo build --profile fast --quiet -p sharestate-wasm-bench --lib --target wasm32-unknown-unknown
cargo run --profile fast --quiet -p sharestate-wasm-bench --bin prepare -- target/bench-inputs
node benches/wasm/harness.mjs target/wasm32-unknown-unknown/fast/sharestate_wasm_bench.wasm target/bench-inputs >/dev/null

if [ "$FUZZ_SECONDS" -gt 0 ]; then
  if rustup run nightly rustc --version >/dev/null 2>&1; then
    for target in proof_bytes proof_ops register address snapshot; do
      step "fuzz $target for ${FUZZ_SECONDS}s"
      mkdir -p "fuzz/corpus/$target"
      (cd fuzz && cargo +nightly fuzz run -O "$target" "corpus/$target" "seeds/$target" -- \
        -max_total_time="$FUZZ_SECONDS" -print_final_stats=1 2>&1 | grep -E 'Done [0-9]+ runs|ERROR|panicked|SUMMARY' || true)
      # a crash leaves an artifact and a non-zero status from cargo fuzz; make it fail here
      if ls "fuzz/artifacts/$target"/crash-* >/dev/null 2>&1; then
        echo "fuzz target $target found a crash: fuzz/artifacts/$target" >&2
        exit 1
      fi
    done
  else
    echo "fuzzing skipped: no nightly toolchain on this machine (cargo fuzz needs one)"
  fi
fi

step "all tests passed"
