#!/usr/bin/env bash
# The bench command (issue 5): builds the release artifacts, measures, and
# writes bench/out/report.md, bench/out/report.json and bench/out/comparison.svg,
# then prints report.md (with the command behind every figure).
#
#   scripts/bench.sh [SECTION...] [--no-build] [--runs N] [--loads N] [--updates N]
#                    [--duration S] [--concurrency N] [--fresh]
#
#   SECTION      sizes | lighthouse | mainthread | preview | server  (default: all five)
#   --no-build   measure what is already built (www/dist, the release server)
#   --runs N     Lighthouse runs per page variant (default 5)
#   --loads N    page loads per page for the main-thread section (default 20)
#   --updates N  cart updates for the preview-latency section (default 10000)
#   --duration S / --concurrency N   wrk run length and connections (default 10 s, 16)
#   --fresh      drop the figures of sections not run this time from report.json
#
# Builds: scripts/build-wasm.sh + node scripts/build-widget.mjs (sizes, lighthouse,
# mainthread, preview) and cargo build --release -p rewards-server (server), in
# $CARGO_TARGET_DIR (default target/). Heavy steps run at nice 5: the machine is shared.
# Nothing is asserted: a missed budget is reported, not an error. See docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

original="$*"
build=yes sections=() pass=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    sizes|lighthouse|mainthread|preview|server) sections+=("$1"); shift ;;
    --no-build) build=no; shift ;;
    --fresh) pass+=("$1"); shift ;;
    --runs|--loads|--updates|--duration|--concurrency)
      [[ $# -ge 2 ]] || { echo "$1 needs a value" >&2; exit 2; }
      pass+=("$1" "$2"); shift 2 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; sed -n '6,16p' "$0" >&2; exit 2 ;;
  esac
done
[[ ${#sections[@]} -gt 0 ]] || sections=(sizes lighthouse mainthread preview server)
has() { local s; for s in "${sections[@]}"; do [[ $s == "$1" ]] && return 0; done; return 1; }

# npm lighthouse, ouibounce and playwright-core are devDependencies.
for m in lighthouse ouibounce playwright-core esbuild; do
  [[ -d node_modules/$m ]] || { echo "node_modules/$m missing: running npm install" >&2; npm install --no-audit --no-fund >&2; break; }
done
[[ -x /usr/bin/chromium ]] || { echo "Debian chromium is missing: apt-get install -y --no-install-recommends chromium" >&2; exit 1; }

if [[ $build == yes ]]; then
  if has sizes || has lighthouse || has mainthread || has preview; then
    echo "== building the wasm engine and the widget (release)" >&2
    nice -n 5 bash scripts/build-wasm.sh >&2
    nice -n 5 node scripts/build-widget.mjs >&2
  fi
  if has server; then
    echo "== building the release server and its load client" >&2
    nice -n 5 cargo build --release -p rewards-server -p rewards-demo >&2
  fi
fi

export BENCH_COMMAND="scripts/bench.sh${original:+ $original}"
exec nice -n 5 node bench/report.mjs "${sections[@]}" "${pass[@]}"
