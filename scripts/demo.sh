#!/usr/bin/env bash
# The demo: builds the wasm engine and the widget, then starts the reference
# server on an embedded SQLite file, serving the demo store (Vietnamese/VND
# and English/USD). Prints the URL. Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
bash scripts/setup.sh
bash scripts/build-wasm.sh
node scripts/build-widget.mjs
exec cargo run --release -p rewards-server -- demo "$@"
