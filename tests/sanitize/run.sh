#!/usr/bin/env bash
# Builds berth, berth-monitor, the helpers, the engine and the chosen tests with
# AddressSanitizer + UndefinedBehaviorSanitizer (BERTH_SANITIZE: -O1, line tables, any
# finding fatal, libstdc++ assertions; no desktop app) in its own build directory, and runs
# those tests.                     (installer/dev.sh sanitize [all|ci] calls it)
#   tests/sanitize/run.sh [all|ci]
#     all (default)  every test labelled unit or integration, but those listed as excluded
#                    below (each is printed with its reason)
#     ci             the tests named in tests/sanitize/ci-tests.txt (.ci/run uses this set;
#                    the file says why each is in it and what only `all` covers)
# Environment:
#   SANITIZE_BUILD_DIR  default ./build-sanitize
#   SANITIZE_CXX/CC     default clang++-16/clang-16, which also builds the fuzz targets as
#                       libFuzzer programs (BERTH_FUZZ), so installer/dev.sh fuzz can use
#                       this build (FUZZ_BUILD_DIR=build-sanitize); g++/gcc work too
#   SANITIZE_LABELS     with `all`: ctest labels to take, '|'-separated (default unit|integration)
#   SANITIZE_EXTRA      a regex of further test names to take (default: none)
#                       Only what the chosen tests run is built, e.g.
#                       SANITIZE_LABELS=unit SANITIZE_EXTRA='^(runtime_isolation_test|containers_lifecycle)$'
#   CTEST_PARALLEL_LEVEL
#
# Cost: README.md ("Hardening") has the measured build and test times of both sets.
# Every sanitized process writes its reports to $SANITIZE_BUILD_DIR/sanitizer-logs/: the
# monitors are detached with stderr on /dev/null, so a report on stderr would be lost. The
# run fails when a test fails or when any report was written, and prints the reports.
# The container's own processes are not sanitized (they are the image's programs);
# everything of ours up to their execve is, including the monitor's clone()d children.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
set_name=${1:-all}
case "$set_name" in
  all|ci) ;;
  *) echo "usage: $0 [all|ci]" >&2; exit 2 ;;
esac
build=${SANITIZE_BUILD_DIR:-$here/build-sanitize}
cxx=${SANITIZE_CXX:-clang++-16}
cc=${SANITIZE_CC:-clang-16}
labels=${SANITIZE_LABELS:-unit|integration}
extra=${SANITIZE_EXTRA:-}
fuzz=OFF
case "$cxx" in *clang*) fuzz=ON ;; esac

# Tests that `all` leaves out, with the reason (printed on every run).
excluded=(
  "installer_deps_installed:tests the installer script (dpkg state), no program of ours runs"
  "installer_dev_run_no_apt:runs installer/dev.sh run, which builds ./build with GCC, not this build"
  "installer_demo_image_sh:tests the demo-image script with the GCC build's berth"
  "installer_deb_package:packages the GCC build (dpkg-deb), not this build's programs"
)

cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBERTH_SANITIZE=ON \
  -DBERTH_FUZZ=$fuzz -DBERTH_BUILD_UI=OFF -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" >/dev/null

if [ "$set_name" = ci ]; then
  names=$(sed 's/#.*//' "$here/tests/sanitize/ci-tests.txt" | tr -s ' \t' '\n\n' | grep . | paste -sd'|')
  labels=
  extra="^($names)\$"
fi

# The chosen tests (a label in $labels or a name matching $extra, not excluded) and the
# programs they run; a script test (no program of the build tree in its command) adds none.
selection=$(cd "$build" && ctest --show-only=json-v1 | python3 -c '
import json, os, re, sys
labels, extra, build = set(filter(None, sys.argv[1].split("|"))), sys.argv[2], sys.argv[3]
excluded = dict(e.split(":", 1) for e in sys.argv[4:])
names, targets, skipped = [], {"berth", "berth-monitor", "berth-layer-helper", "berth-scope"}, []
for t in json.load(sys.stdin)["tests"]:
    props = {p["name"]: p["value"] for p in t.get("properties", [])}
    if not (labels & set(props.get("LABELS", [])) or (extra and re.search(extra, t["name"]))):
        continue
    if t["name"] in excluded:
        skipped.append(t["name"])
        continue
    names.append(t["name"])
    # Its program: the first word of its command in the build tree. Before the first build
    # ctest knows no command for a test whose program does not exist yet; that program is
    # named after the test (berth_add_test). A script test (bash, cmake) adds none.
    command = t.get("command")
    exe = next((w for w in command if w.startswith(build + "/")), None) if command else t["name"]
    if exe:
        targets.add(os.path.basename(exe))
if extra and extra.startswith("^(") and extra.endswith(")$"):
    missing = set(extra[2:-2].split("|")) - set(names) - set(skipped)
    if missing:
        sys.exit("sanitize: no such test: " + " ".join(sorted(missing)))
print("^(" + "|".join(sorted(names)) + ")$")
print(" ".join(sorted(targets)))
print(" ".join(skipped))' "$labels" "$extra" "$build" "${excluded[@]}")
tests=$(sed -n 1p <<<"$selection")
read -r -a targets <<<"$(sed -n 2p <<<"$selection")"
for name in $(sed -n 3p <<<"$selection"); do
  for e in "${excluded[@]}"; do
    [ "${e%%:*}" = "$name" ] && echo "sanitize: not run here: $name (${e#*:})"
  done
done
echo "sanitize ($set_name): $(tr '|' '\n' <<<"$tests" | wc -l) tests, ${#targets[@]} programs"

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
# Qt Test aborts a test function after 300 s of its own (QTEST_FUNCTION_TIMEOUT, ms):
# sanitized, cli_verbs' everyVerbAnswersAsTheWholeTree (hundreds of berth runs) took longer
# at a load of 15 and was aborted. 3x, like the CTest timeouts of this build.
export QTEST_FUNCTION_TIMEOUT=900000

rc=0
t0=$SECONDS
cd "$build"
ctest --output-on-failure -j "${CTEST_PARALLEL_LEVEL:-2}" -R "$tests" || rc=$?
echo "sanitize: tests took $((SECONDS - t0)) s"
"$here/tests/support/skip_report.sh" "$build" || true

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
