#!/usr/bin/env bash
# The boundary experiment (issue 10, part 3; docs/wasm-size.md "The
# boundary, chosen by measurement"). Builds every variant crate in
# bench/boundary/ (its own workspace) for wasm32 with the shipped engine's
# profile, runs wasm-bindgen (pinned CLI) and scripts/wasm-opt.sh (the shipped
# engine's wasm-opt), bundles each variant's JS (glue + adapter) with
# esbuild --minify, then measures sizes and Chromium timings
# (bench/boundary/run.mjs): markdown table on stdout, bench/out/boundary.json.
#
#   scripts/boundary-experiment.sh [--calls N] [--loads N] [--no-build]
# Needs what scripts/setup.sh installs (wasm32 target, wasm-bindgen, node_modules, /usr/bin/chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=bench/out/boundary
build=1
run_args=()
while [ $# -gt 0 ]; do
  case $1 in
    --no-build) build=0 ;;
    --calls | --loads) run_args+=("$1" "$2"); shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target/boundary}
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}=/cargo --remap-path-prefix=$root=/src"
variants=$(node -e 'for (const v of require("./bench/boundary/variants.json").variants) console.log(v.name + " " + (v.adapter || "-"))')

if [ $build = 1 ]; then
  mkdir -p "$out"
  # The compiled program, from the fixture validated by the real decoder.
  (cd bench/boundary && cargo run --release -q -p boundary-gen -- fixtures/program.json "$root/$out") >"$out/gen.json"
  while read -r name adapter; do
    crate=bench_${name//-/_}
    echo "building $name" >&2
    (cd bench/boundary && cargo build -q --profile wasm-release --target wasm32-unknown-unknown -p "$crate")
    rm -rf "$out/pkg/$name"
    wasm-bindgen --target web --no-typescript --out-dir "$out/pkg/$name" "$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm-release/$crate.wasm"
    bash scripts/wasm-opt.sh "$out/pkg/$name/${crate}_bg.wasm" "$out/pkg/$name/${crate}_bg.wasm"
    if [ "$adapter" != - ]; then
      # What the page would download: the glue and the adapter, one minified bundle.
      printf 'export { default, Engine } from "./%s.js";\nexport { adapter } from "%s/bench/boundary/js/%s.mjs";\n' \
        "$crate" "$root" "$adapter" >"$out/pkg/$name/entry.mjs"
      npx --no-install esbuild --bundle --minify --format=esm --log-level=warning \
        "$out/pkg/$name/entry.mjs" --outfile="$out/pkg/$name/glue.min.js"
    fi
  done <<<"$variants"
fi
node bench/boundary/run.mjs "${run_args[@]}"
