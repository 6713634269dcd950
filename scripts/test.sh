#!/usr/bin/env bash
# Every test, from a fresh machine: set-up, formatting, lints, native tests,
# a fuzz smoke run, server tests (SQLite and PostgreSQL), the core fixtures
# on the wasm build in headless Chromium, the size budgets, the widget's
# browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
step() { printf '\n==> %s\n' "$*"; }

bash scripts/setup.sh

step "rustfmt"
cargo fmt --all --check

step "clippy (-D warnings)"
cargo clippy --workspace --all-targets --features rewards-core/schema -- -D warnings
cargo clippy --target wasm32-unknown-unknown -p rewards-wasm -p rewards-wasm-conformance --all-targets -- -D warnings
cargo clippy --target wasm32-unknown-unknown -p rewards-wasm --features no-std -- -D warnings
cargo clippy --target wasm32-unknown-unknown -p rewards-wasm --no-default-features --features no-std,cart-page -- -D warnings

step "native tests"
cargo test --workspace --exclude rewards-server --exclude rewards-demo --features rewards-core/schema

step "fuzz smoke run: every cargo-fuzz target 15 s from the committed corpus (long runs: scripts/fuzz.sh)"
bash scripts/fuzz.sh smoke

step "server tests on SQLite and on a throwaway PostgreSQL cluster"
bash scripts/pg-test-cluster.sh run -- cargo test -p rewards-server -p rewards-demo

step "core fixtures on the wasm build, in headless Chromium"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=120 \
  cargo test -p rewards-wasm -p rewards-wasm-conformance --target wasm32-unknown-unknown
step "core fixtures on the cart-page wasm module, in headless Chromium"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=120 \
  cargo test -p rewards-wasm-conformance --target wasm32-unknown-unknown --features cart-page --test conformance --test exports

step "wasm release build and size report"
bash scripts/build-wasm.sh

step "widget build: sizes against the issue 5 budgets (fails when over) and browser tests in Chromium"
node scripts/build-widget.mjs --check
node --test www/tests/ bench/tests/
