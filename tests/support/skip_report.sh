#!/usr/bin/env bash
# Prints why the last ctest run in BUILD_DIR skipped what it skipped: the `BERTH-SKIP:` lines
# of every suite's output (CTest lists skipped tests but does not show their output).
#   tests/support/skip_report.sh [BUILD_DIR]
set -euo pipefail
log=${1:-build}/Testing/Temporary/LastTest.log
[ -f "$log" ] || { echo "skip_report: no $log (run ctest first)" >&2; exit 1; }
awk '
  /^[0-9]+\/[0-9]+ Test: / { test = $3 }
  /^BERTH-SKIP: / { sub(/^BERTH-SKIP: /, ""); lines[++n] = sprintf("  %-28s %s", test, $0) }
  END {
    if (n == 0) { print "No skips."; exit }
    print "Skipped (" n "):"
    for (i = 1; i <= n; ++i) print lines[i]
  }' "$log"
