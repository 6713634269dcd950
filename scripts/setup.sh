#!/usr/bin/env bash
# Installs what a fresh machine lacks: the wasm target, the pinned
# wasm-bindgen CLI, cargo-fuzz, Debian's chromium/chromedriver/postgresql/time,
# npm packages.
# Safe to run again: each step is skipped when already satisfied.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
say() { printf '\n==> %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# The CLI (its wasm-bindgen-test-runner runs the wasm tests in Chromium)
# must match the wasm-bindgen crate version exactly (pinned with = in the
# test crate, crates/wasm-conformance: the shipped modules do without it).
want=$(grep -m1 '^wasm-bindgen = ' crates/wasm-conformance/Cargo.toml | grep -o '"=[0-9.]*"' | tr -d '"=' || true)
[ -n "$want" ] || { echo "setup: no pinned wasm-bindgen version in crates/wasm-conformance/Cargo.toml" >&2; exit 1; }
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  say "installing wasm-bindgen-cli $want (about 7 minutes on 2 cores)"
  # No --locked: the CLI's own lockfile pins a crate version this registry lacks.
  cargo install wasm-bindgen-cli --version "$want"
fi

# The test command's fuzz smoke run (scripts/fuzz.sh smoke).
if [ "$(cargo fuzz --version 2>/dev/null)" != "cargo-fuzz 0.13.2" ]; then
  say "installing cargo-fuzz 0.13.2"
  cargo install cargo-fuzz --version 0.13.2 --locked
fi

need_apt=()
[ -x /usr/bin/time ] || need_apt+=(time)
command -v chromium >/dev/null || need_apt+=(chromium)
command -v chromedriver >/dev/null || need_apt+=(chromium-driver)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
# The WooCommerce plugin's tests: php -l and its token function (crates/server/tests/server/woocommerce_plugin.rs).
command -v php >/dev/null || need_apt+=(php-cli)
if [ ${#need_apt[@]} -gt 0 ]; then
  say "installing Debian packages: ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${need_apt[@]}"
fi

stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  say "installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi
