#!/usr/bin/env bash
# The demo: one Design 1 payout epoch built and checked on this machine (the CLI walk-through;
# the devnet and the app replace it as they land).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
cargo run --release --quiet --bin sharestate -- demo "$@"
