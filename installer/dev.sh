#!/usr/bin/env bash
# The commands of the README:
#   installer/dev.sh run    install dependencies, build the programs, make the default store
#                           (with a demo busybox image) and start berth-desktop; on a machine
#                           that is set up it runs no apt at all (install-deps.sh)
#   installer/dev.sh test   install dependencies (with the test peers), build, run every test
#                           (then list what was skipped and why; CI=true makes skips fail)
#   installer/dev.sh build  install dependencies, build everything
#   installer/dev.sh fuzz [SECONDS [TARGET...]]   build the libFuzzer targets with clang 16
#                           in ./build-fuzz and run each for SECONDS (tests/fuzz/run.sh)
#   installer/dev.sh sanitize [all|ci]   build the engine, the CLI, the monitor and the tests
#                           with ASan + UBSan (clang 16) in ./build-sanitize and run the unit
#                           and integration tests there (all), or the subset .ci/run runs
#                           (ci: tests/sanitize/ci-tests.txt); tests/sanitize/run.sh has more
# Environment: BUILD_DIR (default ./build), BERTH_ROOT (store for `run`), CTEST_PARALLEL_LEVEL.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$here/build}
mode=${1:-run}

case "$mode" in
  run)  "$here/installer/install-deps.sh" ;;
  test) "$here/installer/install-deps.sh" --with-tests ;;
  build) "$here/installer/install-deps.sh" ;;
  fuzz) "$here/installer/install-deps.sh" --with-fuzz ;;
  sanitize) "$here/installer/install-deps.sh" --with-tests --with-fuzz ;;
  *) echo "usage: $0 run|test|build|fuzz|sanitize" >&2; exit 2 ;;
esac

# ccache: paths relative to the checkout, so another clone of the same tree hits the cache.
export CCACHE_BASEDIR="$here" CCACHE_NOHASHDIR=1
export CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
case "$mode" in
  fuzz) shift; exec "$here/tests/fuzz/run.sh" "$@" ;;
  sanitize) shift; exec "$here/tests/sanitize/run.sh" "$@" ;;
esac
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
if [ "$mode" = run ]; then
  # The programs only (berth builds its helpers); the tests are for `test` and `build`.
  cmake --build "$build" --target berth berth-monitor berth-desktop
else
  cmake --build "$build"
fi

case "$mode" in
  run)
    "$here/installer/demo-image.sh" "$build/app/berth"
    exec "$build/app/berth-desktop"
    ;;
  test)
    cd "$build"
    rc=0
    ctest --output-on-failure -j "${CTEST_PARALLEL_LEVEL:-2}" -LE bench || rc=$?
    # CTest lists skipped suites but not why: their BERTH-SKIP lines (tests/README.md).
    "$here/tests/support/skip_report.sh" "$build" || true
    exit $rc
    ;;
esac
