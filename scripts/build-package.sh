#!/usr/bin/env bash
# Builds the npm package in www/: the bindings crate for wasm (opt-level z, LTO), wasm-bindgen
# (the pinned CLI) for browsers/bundlers (ESM) and Node, wasm-opt -Oz, then `npm pack` into
# target/. Prints the sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
cargo build --profile wasm-small --quiet -p sharestate-wasm --target wasm32-unknown-unknown
wasm=target/wasm32-unknown-unknown/wasm-small/sharestate_wasm.wasm
rm -rf www/pkg
wasm-bindgen --target web --weak-refs --out-dir www/pkg/web "$wasm"
wasm-bindgen --target nodejs --weak-refs --out-dir www/pkg/node "$wasm"
# the Node glue is CommonJS inside an ESM package
echo '{ "type": "commonjs" }' > www/pkg/node/package.json
for f in www/pkg/web/sharestate_wasm_bg.wasm www/pkg/node/sharestate_wasm_bg.wasm; do
  node_modules/.bin/wasm-opt -Oz --strip-debug --strip-producers \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
    --enable-reference-types --enable-multivalue "$f" -o "$f.opt"
  mv "$f.opt" "$f"
done
f=www/pkg/web/sharestate_wasm_bg.wasm
echo "[build-package] wasm $(wc -c < "$f") bytes, $(gzip -9c "$f" | wc -c) gzip; glue $(gzip -9c www/pkg/web/sharestate_wasm.js | wc -c) gzip"
mkdir -p target
(cd www && npm pack --silent --pack-destination ../target >/dev/null)
echo "[build-package] $(ls target/sharestate-*.tgz)"
