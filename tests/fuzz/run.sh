#!/usr/bin/env bash
# Builds the libFuzzer targets with clang 16 (BERTH_FUZZ) and runs each for SECONDS.
#   tests/fuzz/run.sh [SECONDS] [TARGET...]        (installer/dev.sh fuzz [SECONDS] calls it)
# Environment: FUZZ_BUILD_DIR (default ./build-fuzz; a build dir already configured with
# BERTH_FUZZ, such as installer/dev.sh sanitize's, is used as it is), FUZZ_JOBS (targets
# run at once, default 2), FUZZ_CXX/FUZZ_CC (default clang++-16/clang-16).
# Per target: first every input in regressions/<target>/ is replayed (a past crash that
# comes back fails at once), then libFuzzer runs on a working corpus in the build dir,
# seeded from corpus/<target>/, with the target's dictionary. A crash, leak, timeout (10 s
# for one input) or out-of-memory (2 GiB) is saved under $FUZZ_BUILD_DIR/crashes/<target>/
# and the run fails. A summary line per target gives executions, corpus size and outcome.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-60}
shift || true
build=${FUZZ_BUILD_DIR:-$here/build-fuzz}
jobs=${FUZZ_JOBS:-2}
src=$here/tests/fuzz

if ! grep -qs '^BERTH_FUZZ:BOOL=ON' "$build/CMakeCache.txt"; then
  cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBERTH_FUZZ=ON \
    -DBERTH_BUILD_TESTS=OFF -DBERTH_BUILD_UI=OFF \
    -DCMAKE_C_COMPILER="${FUZZ_CC:-clang-16}" -DCMAKE_CXX_COMPILER="${FUZZ_CXX:-clang++-16}" >/dev/null
fi
all=$(sed -n 's/^ *\([a-z_]*\):berth_[a-z]*)\{0,1\}$/\1/p' "$src/CMakeLists.txt")
targets=("$@")
[ ${#targets[@]} -gt 0 ] || read -r -a targets <<<"$(echo $all)"
cmake --build "$build" --target "${targets[@]/#/fuzz_}"

dict_for() {
  case "$1" in
    manifest|image_config|seccomp_profile) echo json ;;
    layer_tar|context_tar) echo tar ;;
    *) echo "$1" ;;
  esac
}

# Leaks are findings too (libFuzzer reports one as a crash).
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:symbolize=1}
sym=/usr/lib/llvm-16/bin/llvm-symbolizer
[ -x "$sym" ] || sym=$(command -v llvm-symbolizer || true)
[ -n "$sym" ] && export ASAN_SYMBOLIZER_PATH=$sym
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

run_one() {
  local t=$1 log=$build/logs/$1.log
  local corpus=$build/corpus/$t crashes=$build/crashes/$t
  mkdir -p "$corpus" "$crashes" "$build/logs"
  : >"$log"
  if [ -d "$src/regressions/$t" ] && [ -n "$(ls -A "$src/regressions/$t")" ]; then
    if ! "$build/tests/fuzz/fuzz_$t" "$src/regressions/$t"/* >>"$log" 2>&1; then
      echo "fuzz $t: a regression input crashes again (see $log)"
      return 1
    fi
  fi
  local dict=$src/dict/$(dict_for "$t").dict opts=()
  [ -f "$dict" ] && opts+=("-dict=$dict")
  local rc=0
  (cd "$crashes" && "$build/tests/fuzz/fuzz_$t" "${opts[@]}" -max_total_time="$seconds" -timeout=10 \
      -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 -artifact_prefix="$crashes/" \
      "$corpus" "$src/corpus/$t") >>"$log" 2>&1 || rc=$?
  local execs units
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  units=$(ls "$corpus" | wc -l)
  if [ $rc -ne 0 ]; then
    echo "fuzz $t: FAILED after ${execs:-?} runs (exit $rc); input in $crashes, log $log"
    grep -m3 -E 'ERROR: |runtime error|fuzz property broken' "$log" | sed 's/^/    /' || true
    return 1
  fi
  echo "fuzz $t: ok, ${execs:-?} runs in ${seconds}s, corpus $units inputs"
}

failed=0
pids=()
for t in "${targets[@]}"; do
  run_one "$t" &
  pids+=($!)
  if [ ${#pids[@]} -ge "$jobs" ]; then
    wait "${pids[0]}" || failed=1
    pids=("${pids[@]:1}")
  fi
done
for p in "${pids[@]}"; do wait "$p" || failed=1; done
exit $failed
