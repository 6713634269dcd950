#!/usr/bin/env bash
# Builds the wasm engine for the browser: release build, wasm-bindgen
# (pinned CLI), npm binaryen's wasm-opt (Debian's v108 miscompiles current
# wasm-bindgen output), into www/dist/pkg-cart/ and www/dist/pkg/. Prints sizes
# (raw/gzip/brotli).
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir=${CARGO_TARGET_DIR:-target}
out=${WASM_OUT:-www/dist/pkg}
mkdir -p "$out"

# Byte-identical output on any machine: panic strings would embed $CARGO_HOME.
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}=/cargo --remap-path-prefix=$PWD=/src"
# Two modules from the one crate: the cart-page engine (www/dist/pkg-cart:
# what a product or cart page downloads) and the full one (www/dist/pkg: the
# explainer, popup decision and bonus actions too; also what the tests and
# Node use). crates/wasm/src/lib.rs says what the feature leaves out.
build() { # features, out dir, [drop-fmt]
  cargo build --profile wasm-release --target wasm32-unknown-unknown -p rewards-wasm --features "$1"
  mkdir -p "$2"
  wasm-bindgen --target web --no-typescript --out-dir "$2" "$target_dir/wasm32-unknown-unknown/wasm-release/rewards_wasm.wasm"
  # The cart-page module formats nothing, so its panic messages' formatting
  # code goes (scripts/wasm-drop-fmt.mjs says why that is safe, and `check`
  # proves it for this build); the full one still formats (`format!` in the
  # explainer's texts), so it keeps the table.
  [ "${3:-}" = drop-fmt ] && node scripts/wasm-drop-fmt.mjs drop "$2/rewards_wasm_bg.wasm" "$2/rewards_wasm_bg.wasm"
  bash scripts/wasm-opt.sh "$2/rewards_wasm_bg.wasm" "$2/rewards_wasm_bg.wasm"
  [ "${3:-}" = drop-fmt ] && node scripts/wasm-drop-fmt.mjs check "$2/rewards_wasm_bg.wasm"
  npx --no-install esbuild --minify --format=esm --log-level=warning "$2/rewards_wasm.js" --outfile="$2/rewards_wasm.min.js"
  mv "$2/rewards_wasm.min.js" "$2/rewards_wasm.js"
}
build no-std,cart-page "${WASM_CART_OUT:-www/dist/pkg-cart}" drop-fmt
build no-std "$out"
node scripts/sizes.mjs "${WASM_CART_OUT:-www/dist/pkg-cart}/rewards_wasm_bg.wasm" "$out/rewards_wasm_bg.wasm" "$out/rewards_wasm.js"
