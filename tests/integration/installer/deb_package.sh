#!/usr/bin/env bash
# installer_deb_package: `cpack -G DEB` on the test's build directory makes berth_*.deb
# (stripped, under 20 MB, Recommends uidmap/passt/fuse-overlayfs, a .desktop file that
# desktop-file-validate passes without a word); it installs
# with `apt-get install ./berth_*.deb`, the installed /usr/bin/berth runs a container from a
# temporary store, and the installed berth-desktop paints its window on an Xvfb display and
# stays up; `apt-get remove` then leaves the machine as it was (the berth group too).
# Root; it installs a package on this machine, so it skips where berth is installed already.
set -uo pipefail
src=${BERTH_SOURCE_DIR:?run through ctest}
build=${BERTH_BUILD_DIR:?run through ctest}
. "$src/tests/integration/installer/installer_test.sh"
[ "$(id -u)" -eq 0 ] || berth_skip NeedsRoot "installs a package (run as root)"
for p in cpack apt-get dpkg-deb readelf Xvfb desktop-file-validate; do
  command -v "$p" >/dev/null || berth_skip MissingProgram "$p (installer/install-deps.sh --with-tests)"
done
berth_installed() { [[ "$(dpkg-query -W -f='${Status}' berth 2>/dev/null)" == "install ok installed" ]]; }
if berth_installed; then
  berth_skip HostSetup "a berth package is installed on this machine already; it is not replaced"
fi

work=$(mktemp -d)
had_group=$(getent group berth >/dev/null && echo yes)
xvfb=
desktop=
cleanup() {
  [ -n "$desktop" ] && kill "$desktop" 2>/dev/null
  [ -n "$xvfb" ] && kill "$xvfb" 2>/dev/null
  if berth_installed; then
    apt-get remove -y -qq -o DPkg::Lock::Timeout=300 berth >/dev/null || echo "cleanup: apt-get remove berth failed"
  fi
  # Nothing of it may stay behind: not even its dpkg record (it has no conffiles).
  if dpkg-query -W berth >/dev/null 2>&1; then
    dpkg --purge berth >/dev/null 2>&1 || echo "cleanup: dpkg --purge berth failed"
  fi
  [ -z "$had_group" ] && getent group berth >/dev/null && groupdel berth
  rm -rf "$work"
}
trap cleanup EXIT

# ---- build the packages
( cd "$build" && cpack -G DEB -B "$work/out" ) > "$work/cpack.log" 2>&1 ||
  { tail -30 "$work/cpack.log"; berth_fail "cpack -G DEB failed"; }
debs=("$work"/out/berth_*.deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || berth_fail "cpack made no single berth_*.deb: $(ls "$work/out")"
deb=${debs[0]}
size=$(stat -c %s "$deb")
installed_kb=$(dpkg-deb -f "$deb" Installed-Size)
echo "berth .deb: $size bytes, installed $installed_kb KiB"
[ "$size" -lt 20000000 ] || berth_fail "the .deb is $size bytes, not under 20 MB"

# ---- what is in it
recommends=$(dpkg-deb -f "$deb" Recommends)
for p in uidmap passt fuse-overlayfs; do
  [[ ", $recommends," == *", $p,"* ]] || berth_fail "Recommends ($recommends) lacks $p"
done
dpkg-deb -x "$deb" "$work/tree"
for f in usr/bin/berth usr/bin/berth-desktop usr/bin/berth-monitor usr/bin/berth-layer-helper usr/bin/berth-scope; do
  [ -x "$work/tree/$f" ] || berth_fail "/$f is not in the package"
  sections=$(readelf -S --wide "$work/tree/$f") || berth_fail "readelf -S /$f failed"
  [[ "$sections" != *" .debug_"* && "$sections" == *" .text "* ]] || berth_fail "/$f keeps debug information"
done
v=$(desktop-file-validate "$work/tree/usr/share/applications/berth.desktop" 2>&1)
[ -z "$v" ] || berth_fail "desktop-file-validate: $v"

# ---- install it as a user would
( cd "$(dirname "$deb")" && apt-get install -y -qq -o DPkg::Lock::Timeout=300 "./$(basename "$deb")" ) \
  > "$work/apt.log" 2>&1 || { tail -30 "$work/apt.log"; berth_fail "apt-get install ./$(basename "$deb") failed"; }
berth_installed || berth_fail "berth is not installed after apt-get"

# The installed programs alone: no variable of the test's build directory.
inst() { env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$work" BERTH_ROOT="$work/store" "$@"; }
inst bash "$src/installer/demo-image.sh" /usr/bin/berth || berth_fail "demo-image.sh with /usr/bin/berth failed"
out=$(inst /usr/bin/berth run --rm busybox true 2>&1) || berth_fail "/usr/bin/berth run --rm busybox true: $out"
out=$(inst /usr/bin/berth run --rm busybox echo from-the-package 2>&1)
[ "$out" = from-the-package ] || berth_fail "/usr/bin/berth run --rm busybox echo printed: $out"

# berth-desktop on an X server of its own: it must paint its window and still be running after.
exec 3> "$work/display"
Xvfb -displayfd 3 -nolisten tcp -screen 0 1280x800x24 > "$work/xvfb.log" 2>&1 &
xvfb=$!
exec 3>&-
for _ in $(seq 300); do [ -s "$work/display" ] && break; sleep 0.1; done
[ -s "$work/display" ] || { cat "$work/xvfb.log"; berth_fail "Xvfb did not start"; }
env -i PATH=/usr/bin:/bin HOME="$work" DISPLAY=":$(head -1 "$work/display")" BERTH_ROOT="$work/store" \
  BERTH_DESKTOP_REPORT_FIRST_PAINT=1 /usr/bin/berth-desktop > "$work/desktop.log" 2>&1 &
desktop=$!
for _ in $(seq 1200); do
  grep -q '^berth-desktop: first paint' "$work/desktop.log" && break
  kill -0 "$desktop" 2>/dev/null || break
  sleep 0.1
done
grep -q '^berth-desktop: first paint' "$work/desktop.log" ||
  { cat "$work/desktop.log"; berth_fail "the installed berth-desktop did not paint its window"; }
sleep 3
kill -0 "$desktop" 2>/dev/null || { cat "$work/desktop.log"; berth_fail "the installed berth-desktop exited after painting"; }
kill "$desktop"
wait "$desktop" 2>/dev/null
desktop=
grep '^berth-desktop: first paint' "$work/desktop.log"
echo "PASS: .deb $size bytes (installed $installed_kb KiB), installed with apt-get; berth ran a container, berth-desktop painted and stayed up"
