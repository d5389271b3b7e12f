#!/usr/bin/env bash
# Refreshes the README's pictures (docs/screenshots/): builds the app, the npm package and the
# devnet, and runs the end-to-end tests with their screenshots written there instead of to
# target/screenshots. The test command never writes them.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
cargo build --quiet -p sharestate-devnet
./scripts/build-package.sh
./scripts/build-app.sh
SCREENSHOTS=docs/screenshots DEVNET_BIN=target/debug/devnet node --test tests/e2e/
