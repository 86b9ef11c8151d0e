#!/usr/bin/env bash
# installer_dev_run_no_apt: on a machine that is set up (as after `dev.sh test`), a second
# `installer/dev.sh run` starts the window without running apt: apt-get and apt on PATH are
# stand-ins that record every call (and fail), and the window must paint
# (BERTH_DESKTOP_REPORT_FIRST_PAINT=exit: it reports its first paint on stderr and quits).
# It uses the test's build directory (dev.sh configures it with its own settings and
# builds, which is nothing to do after the build the tests ran from) and a temporary store.
set -uo pipefail
src=${BERTH_SOURCE_DIR:?run through ctest}
build=${BERTH_BUILD_DIR:?run through ctest}
. "$src/tests/integration/installer/installer_test.sh"

# dev.sh configures its build directory as RelWithDebInfo with Ninja: a build directory set up
# otherwise is the developer's, and is not reconfigured behind their back.
grep -q '^CMAKE_BUILD_TYPE:STRING=RelWithDebInfo$' "$build/CMakeCache.txt" &&
  grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja$' "$build/CMakeCache.txt" ||
  berth_skip HostSetup "the build directory $build is not configured as dev.sh does (Ninja, RelWithDebInfo)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/bin"
for tool in apt-get apt; do
  printf '#!/bin/sh\necho "%s $*" >> "%s/apt-calls"\nexit 1\n' "$tool" "$work" > "$work/bin/$tool"
  chmod 755 "$work/bin/$tool"
done
export PATH="$work/bin:$PATH"
[ "$(command -v apt-get)" = "$work/bin/apt-get" ] || berth_fail "the apt-get stand-in is not first on PATH"

BUILD_DIR=$build BERTH_ROOT=$work/store QT_QPA_PLATFORM=offscreen BERTH_DESKTOP_REPORT_FIRST_PAINT=exit \
  timeout 600 "$src/installer/dev.sh" run > "$work/out" 2>&1
rc=$?
if [ -s "$work/apt-calls" ]; then
  sed 's/^/  apt call: /' "$work/apt-calls"
  tail -20 "$work/out"
  berth_fail "dev.sh run ran apt on a machine that is set up"
fi
if [ $rc -ne 0 ] || ! grep -q '^berth-desktop: first paint ' "$work/out"; then
  tail -40 "$work/out"
  berth_fail "dev.sh run exited $rc without the window's first paint"
fi
[[ "$("$build/app/berth" --root "$work/store" images --format json)" == *'"busybox:latest"'* ]] ||
  berth_fail "dev.sh run did not put the demo image busybox:latest into the store"
grep '^berth-desktop: first paint ' "$work/out"
echo "PASS: dev.sh run painted the window, made the demo image and called apt 0 times"
