#!/usr/bin/env bash
# Builds the wasm engine for the browser: release build, wasm-bindgen
# (pinned CLI), npm binaryen's wasm-opt (Debian's v108 miscompiles current
# wasm-bindgen output), into www/dist/pkg/. Prints sizes (raw/gzip/brotli).
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir=${CARGO_TARGET_DIR:-target}
out=${WASM_OUT:-www/dist/pkg}
mkdir -p "$out"

# Byte-identical output on any machine: panic strings would embed $CARGO_HOME.
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}=/cargo --remap-path-prefix=$PWD=/src"
cargo build --profile wasm-release --target wasm32-unknown-unknown -p rewards-wasm --features no-std
wasm-bindgen --target web --no-typescript --out-dir "$out" "$target_dir/wasm32-unknown-unknown/wasm-release/rewards_wasm.wasm"
npx --no-install wasm-opt -Oz --converge --strip-debug --strip-producers \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$out/rewards_wasm_bg.wasm" -o "$out/rewards_wasm_bg.wasm"
npx --no-install esbuild --minify --format=esm --log-level=warning "$out/rewards_wasm.js" --outfile="$out/rewards_wasm.min.js"
mv "$out/rewards_wasm.min.js" "$out/rewards_wasm.js"
node scripts/sizes.mjs "$out/rewards_wasm_bg.wasm" "$out/rewards_wasm.js"
