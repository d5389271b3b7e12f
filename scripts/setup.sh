#!/usr/bin/env bash
# Installs whatever a fresh machine lacks to build, demo and test sharestate.
# Idempotent: every step checks first and skips what is already there.
# Recipes: ../shared/TOOLCHAIN.md (verified on the project's machines).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

WASM_BINDGEN_VERSION="0.2.130"   # must equal the `wasm-bindgen` pin in Cargo.toml
CARGO_FUZZ_VERSION="0.13.2"
TRUNK_VERSION="0.21.14"          # 0.22 needs a newer rustc than these machines have

log() { printf '[setup] %s\n' "$*" >&2; }
have() { command -v "$1" >/dev/null 2>&1; }

export PATH="$HOME/.cargo/bin:$PATH"

# 1. wasm32 target for the stable toolchain
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding rustup target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# 2. wasm-bindgen-cli, pinned to the crate's exact version (also gives wasm-bindgen-test-runner)
if ! (have wasm-bindgen && wasm-bindgen --version | grep -q " ${WASM_BINDGEN_VERSION}\$") \
   || ! have wasm-bindgen-test-runner; then
  log "installing wasm-bindgen-cli ${WASM_BINDGEN_VERSION} (several minutes on 2 cores)"
  # Without --locked: the locked set names a crate version the registry mirror lacks.
  cargo install wasm-bindgen-cli --version "${WASM_BINDGEN_VERSION}" --force
fi

# 3. Chromium and its driver, for browser tests
if ! [ -x /usr/bin/chromium ] || ! [ -x /usr/bin/chromedriver ]; then
  log "installing Debian chromium and chromium-driver"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# 3b. Trunk, which builds the miner's app (with --locked: a newer cssparser breaks its build)
if ! (have trunk && trunk --version | grep -q " ${TRUNK_VERSION}\$"); then
  log "installing trunk ${TRUNK_VERSION} (about ten minutes on 2 cores)"
  cargo install trunk --version "${TRUNK_VERSION}" --locked --force
fi

# 4. cargo-fuzz (runs on the nightly toolchain beside stable)
if ! have cargo-fuzz; then
  log "installing cargo-fuzz ${CARGO_FUZZ_VERSION}"
  cargo install cargo-fuzz --version "${CARGO_FUZZ_VERSION}" --locked || cargo install cargo-fuzz --version "${CARGO_FUZZ_VERSION}"
fi

# 5. npm packages: reference implementations and the wasm benchmark harness
if [ -f package.json ]; then
  if ! [ -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    log "installing npm packages (package-lock.json)"
    npm ci --no-audit --no-fund --loglevel=error
  fi
fi

log "toolchain ready"
