#!/usr/bin/env bash
# Builds the miner's app into dist/: Trunk (offline, release), the second module (Design 2)
# by cargo and wasm-bindgen, then wasm-opt from npm's
# binaryen (Trunk's own wasm-opt step is off: it would download one) — flattened and
# re-relooped before -Oz, which saves 3 KB gzip over -Oz alone at the same speed
# (BENCHMARKS.md) — then the page's
# Content-Security-Policy (scripts/csp.mjs). Prints the sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
trunk build --release --offline >/dev/null
# the second module, Design 2 (app/src/bin/balance.rs): imported by the page only when a
# Design 2 pool is checked, so a Design 1 check does not carry it
cargo build --release --offline --quiet --target wasm32-unknown-unknown --manifest-path app/Cargo.toml --bin balance
wasm-bindgen --target web --no-typescript --out-dir dist app/target/wasm32-unknown-unknown/release/balance.wasm
for wasm in dist/*_bg.wasm; do
  node_modules/.bin/wasm-opt --flatten --rereloop -Oz -Oz --converge --strip-debug --strip-producers \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
    --enable-reference-types --enable-multivalue "$wasm" -o "$wasm.opt"
  mv "$wasm.opt" "$wasm"
done
node scripts/csp.mjs dist/index.html
total=0
second=0
for f in dist/*.wasm dist/*.js dist/*.css; do
  g=$(gzip -9c "$f" | wc -c)
  case "$(basename "$f")" in
    balance*) second=$((second + g)) ;;
    *) total=$((total + g)) ;;
  esac
  printf '[build-app] %-48s %8d bytes, %7d gzip\n' "$(basename "$f")" "$(wc -c < "$f")" "$g"
done
echo "[build-app] transfer (wasm + js + css, gzip): $total bytes"
echo "[build-app] Design 2 module, loaded when a balance pool is checked (gzip): $second bytes"
