#!/usr/bin/env bash
# Differential test, native engine against the wasm build in headless
# Chromium (crates/wasm-conformance/tests/differential.rs).
#   scripts/differential.sh            # 100,000 cases (default here)
#   REWARDS_DIFFERENTIAL_CASES=N REWARDS_DIFFERENTIAL_SEED=S scripts/differential.sh
# Built with the shipped wasm profile (`wasm-release`: opt z, fat LTO) so
# the compiler settings of the real artifact are the ones compared; the
# build script's native evaluation is optimised too (build-override), or
# 100,000 cases would take minutes at opt-level 0. `scripts/test.sh` runs
# the same test with the default 2,000 cases in the debug profile.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export REWARDS_DIFFERENTIAL_CASES="${REWARDS_DIFFERENTIAL_CASES:-100000}"
export CARGO_PROFILE_WASM_RELEASE_BUILD_OVERRIDE_OPT_LEVEL=3
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-900}"
start=$(date +%s)
cargo test --profile wasm-release --target wasm32-unknown-unknown -p rewards-wasm-conformance --test differential -- --nocapture
echo "differential: $REWARDS_DIFFERENTIAL_CASES cases, $(( $(date +%s) - start )) s including the build"
