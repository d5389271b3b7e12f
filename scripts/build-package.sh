#!/usr/bin/env bash
# Builds the npm package in www/ from its crate (www/Cargo.toml, www/src/): the full module (default features)
# and the verify-and-prove `sharestate/lite` module (no features), each for wasm at opt-level z
# with LTO, through the pinned wasm-bindgen CLI for browsers/bundlers (ESM) and Node, then
# wasm-opt -Oz; then `npm pack` into target/. Prints the sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
wasm=target/wasm32-unknown-unknown/wasm-small/sharestate_wasm.wasm
rm -rf www/pkg

# module <cargo feature flag or ""> <out-name> <web dir> <node dir>
module() {
  cargo build --profile wasm-small --quiet -p sharestate-wasm --target wasm32-unknown-unknown ${1:+"$1"}
  wasm-bindgen --target web --weak-refs --out-name "$2" --out-dir "www/pkg/$3" "$wasm"
  wasm-bindgen --target nodejs --weak-refs --out-name "$2" --out-dir "www/pkg/$4" "$wasm"
  # the Node glue is CommonJS inside an ESM package
  echo '{ "type": "commonjs" }' > "www/pkg/$4/package.json"
  for f in "www/pkg/$3/$2_bg.wasm" "www/pkg/$4/$2_bg.wasm"; do
    node_modules/.bin/wasm-opt -Oz --strip-debug --strip-producers \
      --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
      --enable-reference-types --enable-multivalue "$f" -o "$f.opt"
    mv "$f.opt" "$f"
  done
  f="www/pkg/$3/$2_bg.wasm"
  echo "[build-package] $2: wasm $(wc -c < "$f") bytes, $(gzip -9c "$f" | wc -c) gzip; glue $(gzip -9c "www/pkg/$3/$2.js" | wc -c) gzip"
}
module --no-default-features sharestate_lite lite-web lite-node
module "" sharestate_wasm web node

mkdir -p target
rm -f target/sharestate-*.tgz # one package: this version's
(cd www && npm pack --silent --pack-destination ../target >/dev/null)
echo "[build-package] $(ls target/sharestate-*.tgz)"
