#!/usr/bin/env bash
# Builds the wasm engine for the browser: release build, npm binaryen's
# wasm-opt (Debian's v108 miscompiles some wasm), into www/dist/pkg-cart/ and
# www/dist/pkg/. Both modules have hand-written exports
# (crates/wasm/src/raw.rs, no wasm-bindgen) and share one JS glue
# (crates/wasm/glue.js). Prints sizes (raw/gzip/brotli).
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir=${CARGO_TARGET_DIR:-target}
out=${WASM_OUT:-www/dist/pkg}
mkdir -p "$out"

# Byte-identical output on any machine: panic strings would embed $CARGO_HOME.
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}=/cargo --remap-path-prefix=$PWD=/src"
# Two modules from the one crate: the cart-page engine (www/dist/pkg-cart:
# what a product or cart page downloads) and the full one (www/dist/pkg: the
# explainer, popup decision and bonus actions too; also what most tests and
# Node use). crates/wasm/src/lib.rs says what the feature leaves out.
wasm="$target_dir/wasm32-unknown-unknown/wasm-release/rewards_wasm.wasm"
minify() { # the glue, in place
  npx --no-install esbuild --minify --format=esm --log-level=warning "$1" --outfile="$1.min.js"
  mv "$1.min.js" "$1"
}

# The cart-page module: its exports are written by hand (crates/wasm/src/raw.rs,
# no wasm-bindgen, so no CLI step) and its glue is crates/wasm/glue.js.
# It formats nothing, so the panic messages' formatting code goes too
# (scripts/wasm-drop-fmt.mjs says why that is safe; `check` proves it for
# this build).
cart_out=${WASM_CART_OUT:-www/dist/pkg-cart}
cargo build --profile wasm-release --target wasm32-unknown-unknown -p rewards-wasm --no-default-features --features no-std,cart-page
mkdir -p "$cart_out"
node scripts/wasm-drop-fmt.mjs drop "$wasm" "$cart_out/rewards_wasm_bg.wasm"
bash scripts/wasm-opt.sh "$cart_out/rewards_wasm_bg.wasm" "$cart_out/rewards_wasm_bg.wasm"
node scripts/wasm-drop-fmt.mjs check "$cart_out/rewards_wasm_bg.wasm"
cp crates/wasm/glue.js "$cart_out/rewards_wasm.js"
minify "$cart_out/rewards_wasm.js"

# The full module: the same exports and glue, every operation, the whole
# program. It formats nothing either, so its panic formatters go too.
cargo build --profile wasm-release --target wasm32-unknown-unknown -p rewards-wasm --features no-std
mkdir -p "$out"
node scripts/wasm-drop-fmt.mjs drop "$wasm" "$out/rewards_wasm_bg.wasm"
bash scripts/wasm-opt.sh "$out/rewards_wasm_bg.wasm" "$out/rewards_wasm_bg.wasm"
node scripts/wasm-drop-fmt.mjs check "$out/rewards_wasm_bg.wasm"
cp crates/wasm/glue.js "$out/rewards_wasm.js"
minify "$out/rewards_wasm.js"
node scripts/sizes.mjs "$cart_out/rewards_wasm_bg.wasm" "$cart_out/rewards_wasm.js" "$out/rewards_wasm_bg.wasm" "$out/rewards_wasm.js"
