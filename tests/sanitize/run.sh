#!/usr/bin/env bash
# Builds berth, berth-monitor, the helpers, the engine and the chosen tests with
# AddressSanitizer + UndefinedBehaviorSanitizer (BERTH_SANITIZE: -O1, line tables, any
# finding fatal, libstdc++ assertions; no desktop app) in its own build directory, and runs
# those tests.                         (installer/dev.sh sanitize calls it)
# Environment:
#   SANITIZE_BUILD_DIR  default ./build-sanitize
#   SANITIZE_CXX/CC     default clang++-16/clang-16, which also builds the fuzz targets as
#                       libFuzzer programs (BERTH_FUZZ), so installer/dev.sh fuzz can use
#                       this build (FUZZ_BUILD_DIR=build-sanitize); g++/gcc work too
#   SANITIZE_LABELS     ctest labels to take, '|'-separated (default: unit|integration)
#   SANITIZE_EXTRA      a regex of further test names to take (default: none)
#                       Only what the chosen tests run is built, e.g.
#                       SANITIZE_LABELS=unit SANITIZE_EXTRA='^(runtime_isolation_test|containers_lifecycle)$'
#   CTEST_PARALLEL_LEVEL
#
# Cost, and why .ci/run does not run this yet (2026-12-07). The normal cold build took 52
# CPU-minutes (30 min on 2 cores: 498 steps, 407 objects); this build has
# 301 of those objects, and clang 16 -O1 with ASan + UBSan took 1.09-1.13x the CPU time of
# GCC -O2 -g per file (layer_apply.cpp 10.1 s against 9.3 s, dockerapi/connection.cpp 30.6 s
# against 27.2 s, no ccache): ~42 CPU-minutes, ~22-25 min on 2 cores before a test runs,
# then the tests (14 min of summed test time unsanitized). With a cold ccache, .ci/run
# already needs ~40-45 min, so the whole of this does not fit in its 60; SANITIZE_LABELS=unit
# (~34 CPU-minutes of build) does not either. Not yet run to its end: on 2026-12-07 the
# machine's load (16-20 from six concurrent builds) kept the build from finishing.
# Every sanitized process writes its reports to $SANITIZE_BUILD_DIR/sanitizer-logs/: the
# monitors are detached with stderr on /dev/null, so a report on stderr would be lost. The
# run fails when a test fails or when any report was written, and prints the reports.
# The container's own processes are not sanitized (they are the image's programs);
# everything of ours up to their execve is, including the monitor's clone()d children.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${SANITIZE_BUILD_DIR:-$here/build-sanitize}
cxx=${SANITIZE_CXX:-clang++-16}
cc=${SANITIZE_CC:-clang-16}
labels=${SANITIZE_LABELS:-unit|integration}
extra=${SANITIZE_EXTRA:-}
fuzz=OFF
case "$cxx" in *clang*) fuzz=ON ;; esac

cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBERTH_SANITIZE=ON \
  -DBERTH_FUZZ=$fuzz -DBERTH_BUILD_UI=OFF -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" >/dev/null

# The chosen tests (a label in $labels or a name matching $extra) and the programs they run.
selection=$(cd "$build" && ctest --show-only=json-v1 | python3 -c '
import json, os, re, sys
labels, extra, build = set(sys.argv[1].split("|")), sys.argv[2], sys.argv[3]
names, targets = [], {"berth", "berth-monitor", "berth-layer-helper", "berth-scope"}
for t in json.load(sys.stdin)["tests"]:
    props = {p["name"]: p["value"] for p in t.get("properties", [])}
    if not (labels & set(props.get("LABELS", [])) or (extra and re.search(extra, t["name"]))):
        continue
    names.append(t["name"])
    # The test program: the first word of its command that lies in the build tree; before
    # the first build ctest knows no command, and the program is named after the test.
    exe = next((w for w in t.get("command") or [] if w.startswith(build + "/")), t["name"])
    targets.add(os.path.basename(exe))
print("^(" + "|".join(sorted(names)) + ")$")
print(" ".join(sorted(targets)))' "$labels" "$extra" "$build")
tests=$(sed -n 1p <<<"$selection")
read -r -a targets <<<"$(sed -n 2p <<<"$selection")"
echo "sanitize: $(tr '|' '\n' <<<"$tests" | wc -l) tests, ${#targets[@]} programs"

t0=$SECONDS
cmake --build "$build" --target "${targets[@]}"
echo "sanitize: build took $((SECONDS - t0)) s"

logs=$build/sanitizer-logs
rm -rf "$logs"
mkdir -p "$logs"
supp=$here/tests/sanitize
export ASAN_OPTIONS="log_path=$logs/asan:detect_leaks=1:detect_stack_use_after_return=0:strict_string_checks=1:check_initialization_order=1"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="log_path=$logs/ubsan:print_stacktrace=1:halt_on_error=1:suppressions=$supp/ubsan.supp"
sym=/usr/lib/llvm-16/bin/llvm-symbolizer
[ -x "$sym" ] && export ASAN_SYMBOLIZER_PATH=$sym

rc=0
t0=$SECONDS
cd "$build"
ctest --output-on-failure -j "${CTEST_PARALLEL_LEVEL:-2}" -R "$tests" || rc=$?
echo "sanitize: tests took $((SECONDS - t0)) s"

reports=$(find "$logs" -type f | sort)
if [ -n "$reports" ]; then
  echo "sanitizer reports ($(echo "$reports" | wc -l)):"
  for f in $reports; do
    echo "=== $f"
    head -80 "$f"
  done
  rc=1
fi
exit $rc
