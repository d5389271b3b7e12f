#!/usr/bin/env bash
# Measures what BENCHMARKS.md records: criterion benchmarks of the core (native), the Node
# harness timing the wasm build, wasm sizes (raw and gzip), and build time / peak memory of
# large share states, the app's Design 2 check over a slow network. Run on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

echo "== criterion (native): cargo bench --bench core"
cargo bench --bench core 2>&1 | grep -E '^[a-z0-9 /().-]+time:|^(lookup|payout) ' || true

echo "== wasm (Node harness): verify-only module, release profile"
cargo rustc --lib --release -p sharestate-wasm-bench --target wasm32-unknown-unknown --quiet -- -C strip=symbols
cargo run --release --quiet -p sharestate-wasm-bench --bin prepare -- target/bench-inputs
node benches/wasm/harness.mjs target/wasm32-unknown-unknown/release/sharestate_wasm_bench.wasm target/bench-inputs

echo "== wasm size, opt-level z"
cargo rustc --lib --profile wasm-small -p sharestate-wasm-bench --target wasm32-unknown-unknown --quiet -- -C strip=symbols
f=target/wasm32-unknown-unknown/wasm-small/sharestate_wasm_bench.wasm
echo "raw $(wc -c < "$f") bytes, gzip -9 $(gzip -9c "$f" | wc -c) bytes"

echo "== build time and peak memory"
cargo build --release --quiet --example peak_memory
for n in 10000 100000 1000000; do ./target/release/examples/peak_memory "$n"; done

echo "== the app's Design 2 check with 50 ms per request (after scripts/build-app.sh)"
./scripts/build-app.sh | tail -2
cargo build --release --quiet -p sharestate-devnet
DEVNET_BIN=target/release/devnet node benches/app/balance-latency.mjs
