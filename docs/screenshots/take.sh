#!/usr/bin/env bash
# Takes the README's screenshots of berth-desktop under a private Xvfb display (a free
# number from :99 up, killed by pid): the Containers page with a chatty container's live log,
# the Images page and the Dashboard ("api", a chatty one, sorts first so its log is the one shown), on a temporary store with the demo busybox image.
# Root needed (it runs containers).
#
#   docs/screenshots/take.sh BUILD_DIR [OUT_DIR]
set -uo pipefail
BUILD=${1:?usage: take.sh BUILD_DIR [OUT_DIR]}
OUT=${2:-$(dirname "$0")}
BERTH=$BUILD/app/berth
DESKTOP=$BUILD/app/berth-desktop
W=$(mktemp -d /tmp/berth-shots-XXXXXX)
ROOT=$W/root
XVFB_PID= APP_PID=
cleanup() {
  [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null
  ids=$("$BERTH" --root "$ROOT" ps -aq 2>/dev/null); [ -n "$ids" ] && "$BERTH" --root "$ROOT" rm -f $ids >/dev/null 2>&1
  [ -n "$XVFB_PID" ] && kill "$XVFB_PID" 2>/dev/null && wait "$XVFB_PID" 2>/dev/null
  rm -rf "$W"
}
trap cleanup EXIT
n=99
while [ -e /tmp/.X$n-lock ] || [ -e /tmp/.X11-unix/X$n ]; do n=$((n + 1)); done
Xvfb ":$n" -screen 0 1400x900x24 -nolisten tcp >/dev/null 2>&1 &
XVFB_PID=$!
for _ in $(seq 50); do [ -e /tmp/.X11-unix/X$n ] && break; sleep 0.1; done
export DISPLAY=":$n" QT_QPA_PLATFORM=xcb XDG_CONFIG_HOME=$W/config
BERTH_ROOT=$ROOT bash "$(dirname "$0")/../../installer/demo-image.sh" "$BERTH" >/dev/null
b() { "$BERTH" --root "$ROOT" "$@"; }
b tag busybox:latest registry.example.com/team/web:1.4 >/dev/null
b run -d --name web --memory 64m busybox:latest httpd -f -v -p 8080 >/dev/null
b run -d --name worker --cpus 0.2 busybox:latest sh -c 'while true; do :; done' >/dev/null
b create --name backup busybox:latest tar -czf /tmp/backup.tgz /etc >/dev/null
b run --name migrate busybox:latest sh -c 'exit 2' >/dev/null 2>&1
b run -d --name api busybox:latest sh -c 'i=0; while true; do i=$((i+1)); echo "tick $i: all systems nominal"; [ $((i % 5)) = 0 ] && echo "tick $i: warning: queue depth $((i % 17))" >&2; sleep 0.3; done' >/dev/null
shot() {  # page name, file, seconds to settle
  "$DESKTOP" --root "$ROOT" --page "$1" >/dev/null 2>&1 &
  APP_PID=$!
  sleep "$3"
  import -display ":$n" -window root "$W/$2" && convert "$W/$2" -trim +repage "$OUT/$2"  # the window, without the empty screen around it
  kill "$APP_PID"; wait "$APP_PID" 2>/dev/null; APP_PID=
}
shot containers containers.png 8
shot images images.png 5
shot dashboard dashboard.png 25
echo "screenshots in $OUT"
