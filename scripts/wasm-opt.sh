#!/usr/bin/env bash
# wasm-opt as every shipped or measured module gets it: npm binaryen's
# (Debian's v108 miscompiles current wasm-bindgen output), -Oz, with the
# features wasm-bindgen's output uses; no custom sections the browser does not read
# (names, producers, target features: tool metadata only).
#   scripts/wasm-opt.sh IN.wasm OUT.wasm
set -euo pipefail
npx --no-install wasm-opt -Oz --converge --strip-debug --strip-producers --strip-target-features \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$1" -o "$2"
