#!/usr/bin/env bash
# The demo: the miner's app (and the npm package's pool-website example) served by the devnet — a local Ergo node and explorer API over the
# deterministic Demo Pool, with its proof service — on http://127.0.0.1:${PORT:-9053}/?network=devnet (the devnet's proof-of-work rules).
# Ctrl-C stops it.
#   PORT=9053 SEED=2239 ./scripts/demo.sh
# (`cargo run --release --bin sharestate -- demo` is the earlier command-line walk-through.)
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
./scripts/build-app.sh
./scripts/build-package.sh
cargo build --release --quiet -p sharestate-devnet
exec target/release/devnet --port "${PORT:-9053}" --seed "${SEED:-2239}" --static dist --www www "$@"
