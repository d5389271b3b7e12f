#!/usr/bin/env bash
# Builds the npm package in www/ from its crate (www/Cargo.toml, www/src/): the full module (default
# features) for speed (profile wasm-fast: opt-level 3, LTO; then wasm-opt -O3, or $FULL_OPT) and
# the verify-and-prove `sharestate/lite` module (no features) for size (profile wasm-small:
# opt-level z; wasm-opt -Oz: it must stay under 60 KB gzip), each through the pinned wasm-bindgen
# CLI for browsers/bundlers (ESM) and Node; then `npm pack` into target/. Prints the sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
rm -rf www/pkg

# module <profile> <wasm-opt level> <cargo feature flag or ""> <out-name> <web dir> <node dir>
module() {
  local profile=$1 level=$2
  shift 2
  local wasm=target/wasm32-unknown-unknown/$profile/sharestate_wasm.wasm
  cargo build --profile "$profile" --quiet -p sharestate-wasm --target wasm32-unknown-unknown ${1:+"$1"}
  wasm-bindgen --target web --weak-refs --out-name "$2" --out-dir "www/pkg/$3" "$wasm"
  wasm-bindgen --target nodejs --weak-refs --out-name "$2" --out-dir "www/pkg/$4" "$wasm"
  # the Node glue is CommonJS inside an ESM package
  echo '{ "type": "commonjs" }' > "www/pkg/$4/package.json"
  for f in "www/pkg/$3/$2_bg.wasm" "www/pkg/$4/$2_bg.wasm"; do
    node_modules/.bin/wasm-opt "$level" --strip-debug --strip-producers \
      --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
      --enable-reference-types --enable-multivalue "$f" -o "$f.opt"
    mv "$f.opt" "$f"
  done
  f="www/pkg/$3/$2_bg.wasm"
  echo "[build-package] $2: wasm $(wc -c < "$f") bytes, $(gzip -9c "$f" | wc -c) gzip; glue $(gzip -9c "www/pkg/$3/$2.js" | wc -c) gzip"
}
module wasm-small -Oz --no-default-features sharestate_lite lite-web lite-node
module wasm-fast "${FULL_OPT:--O3}" "" sharestate_wasm web node

mkdir -p target
rm -f target/sharestate-*.tgz # one package: this version's
(cd www && npm pack --silent --pack-destination ../target >/dev/null)
echo "[build-package] $(ls target/sharestate-*.tgz)"
