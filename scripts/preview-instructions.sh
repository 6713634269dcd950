#!/usr/bin/env bash
# Instructions per 20-line preview, natively (callgrind counts only the
# engine calls): the preview's cost as a figure the machine's load does not
# change. Needs valgrind (apt-get install valgrind).
#   scripts/preview-instructions.sh [N] [held]   (default 100 previews)
# With `held`: the cart-page module's path (rewards_core::input::held): the
# shopper and cart held by the engine, one line patched per call.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100}
mode=${2:-}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}/preview-instructions
cargo build -q --release --manifest-path bench/instructions/Cargo.toml
out=$(mktemp)
valgrind --tool=callgrind --toggle-collect='*counted*' --callgrind-out-file="$out" \
  "$CARGO_TARGET_DIR/release/preview-instructions" "$n" $mode 2>&1 | grep -o 'refs: *[0-9,]*' | tr -d ', ' | sed 's/refs://' |
  awk -v n="$n" '{ printf "%d instructions per preview (%d previews, callgrind)\n", $1 / n, n }'
rm -f "$out"
