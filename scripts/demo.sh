#!/usr/bin/env bash
# The demo: builds the wasm engine and the widget, then starts the reference
# server once per demo store, each with its own program and SQLite file:
# the Vietnamese store (VND) on port 8787, the English one (USD) on 8788
# (`--port N`: N and N+1). Prints the URLs. Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
bash scripts/setup.sh
bash scripts/build-wasm.sh
node scripts/build-widget.mjs
exec cargo run --release -p rewards-demo -- demo "$@"
