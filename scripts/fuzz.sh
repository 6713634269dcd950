#!/usr/bin/env bash
# Fuzzes the core with cargo-fuzz (nightly toolchain; see fuzz/README.md).
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]  run each target SECONDS (default 60),
#                                          one after the other, at nice 19
#   FUZZ_CPU_SECONDS=1800 scripts/fuzz.sh 600  repeat 600 s runs of each target
#                                          until it has used 30 CPU-minutes
#   scripts/fuzz.sh cmin [TARGET...]       merge what fuzzing found (fuzz/work/)
#                                          into a minimal fuzz/corpus/<target>/
#   scripts/fuzz.sh smoke                  what the test command runs: every
#                                          target 15 s from the committed corpus
#
# Targets: config cart shopper signals engine generated wire inputs (default: all).
# New inputs go to fuzz/work/<target>/ (ignored by git); the committed
# corpus is only read. A crash is written to fuzz/artifacts/<target>/;
# minimise it (`cargo +nightly fuzz tmin -s none <target> <file>`) and keep
# it in fuzz/regressions/<target>/, which tests/fuzz_corpus.rs replays.
#
# Built without a sanitizer (`-s none`: the core has no `unsafe`, and
# AddressSanitizer halves the speed) but with debug assertions and overflow
# checks (cargo-fuzz's default without -O): an unchecked `+` that overflows
# is a finding, since the wasm release build would wrap silently.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
root=$PWD
all_targets=(config cart shopper signals engine generated wire inputs)

# Nightly when it is installed; without a sanitizer cargo-fuzz also works on
# stable, which is all a fresh machine may have.
toolchain=+nightly
rustup toolchain list 2>/dev/null | grep -q '^nightly' || toolchain=+stable
fuzz() { nice -n 19 cargo "$toolchain" fuzz "$@"; }

if [[ "${1:-}" == "smoke" ]]; then
  command -v cargo-fuzz >/dev/null || { echo "cargo-fuzz is missing: run scripts/setup.sh" >&2; exit 1; }
  set -- 15
  niceness=0
fi
niceness=${niceness:-19}

if [[ "${1:-}" == "cmin" ]]; then
  shift
  for t in "${@:-${all_targets[@]}}"; do
    merged=$(mktemp -d)
    mkdir -p "fuzz/work/$t"
    fuzz run -s none "$t" "$merged" "$root/fuzz/corpus/$t" "$root/fuzz/work/$t" -- -merge=1 -dict="$root/fuzz/rewards.dict" 2>&1 | tail -n 2
    rm -rf "fuzz/corpus/$t" && mv "$merged" "fuzz/corpus/$t" && chmod 755 "fuzz/corpus/$t"
    rm -rf "fuzz/work/$t"
    echo "$t: $(ls "fuzz/corpus/$t" | wc -l) files, $(du -sk "fuzz/corpus/$t" | cut -f1) KiB"
  done
  exit 0
fi

seconds=${1:-60}
shift || true
targets=("${@:-${all_targets[@]}}")
# Long campaigns on a shared machine: repeat SECONDS-long runs of a target
# until its fuzzer has used this much CPU time (0: one run).
cpu_budget=${FUZZ_CPU_SECONDS:-0}
mkdir -p fuzz/logs
fuzz build -s none
failed=()

# One run of target $1 for $seconds; sets run_wall, run_cpu, run_execs, run_status.
run_once() {
  local t=$1 log
  log="fuzz/logs/$t-$(date +%Y%m%d-%H%M%S).log"
  mkdir -p "fuzz/work/$t" "fuzz/artifacts/$t"
  run_status=ok
  # CPU time as well as wall time: at nice 19 on a busy machine they differ.
  /usr/bin/time -f '%U %S' -o "$log.cpu" nice -n "$niceness" cargo "$toolchain" fuzz run -s none "$t" "$root/fuzz/work/$t" "$root/fuzz/corpus/$t" -- \
    -max_total_time="$seconds" -print_final_stats=1 -dict="$root/fuzz/rewards.dict" \
    -timeout=10 -rss_limit_mb=2048 >"$log" 2>&1 || run_status="FAILED (see $log)"
  run_execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  run_wall=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | grep -o 'in [0-9]*' | grep -o '[0-9]*' || echo "$seconds")
  run_cpu=$(awk '/^[0-9.]+ [0-9.]+$/ { printf "%d", $1 + $2 }' "$log.cpu")
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$t" "$run_wall" "$run_cpu" "$run_execs" "$run_status" >>fuzz/logs/runs.tsv
}

printf '%-10s %8s %8s %14s %10s %s\n' target wall_s cpu_s executions exec/cpu_s result
for t in "${targets[@]}"; do
  wall=0 cpu=0 execs=0
  while :; do
    run_once "$t"
    wall=$((wall + run_wall)) cpu=$((cpu + run_cpu)) execs=$((execs + run_execs))
    [[ $run_status == ok && $cpu -lt $cpu_budget ]] || break
  done
  printf '%-10s %8s %8s %14s %10s %s\n' "$t" "$wall" "$cpu" "$execs" "$((execs / (cpu > 0 ? cpu : 1)))" "$run_status"
  [[ $run_status == ok ]] || failed+=("$t")
done
if ((${#failed[@]})); then
  echo "findings in: ${failed[*]} (reproducers in fuzz/artifacts/)" >&2
  exit 1
fi
