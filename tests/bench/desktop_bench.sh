#!/usr/bin/env bash
# Desktop benchmark (issue 5): what berth-desktop costs a user who leaves it open.
# A benchmark, never a timed test: run it by hand or with `ninja bench_desktop` (root needed).
#
#   desktop_bench.sh [--berth PATH] [--desktop PATH] [-n STARTS] [--idle SECONDS]
#                    [--display N] [--offscreen]
#
# Rows (targets from the issue):
#   start to first paint      berth-desktop started N times with BERTH_DESKTOP_REPORT_FIRST_PAINT=exit:
#                             the window's first paint event, timed inside (from the kernel's
#                             process start time, /proc/self/stat) and outside (from fork
#                             to the report line, by this script); median   target < 0.5 s
#   resident memory           VmRSS and VmHWM after 15 s, with 50 containers listed,
#                             20 of them running, on the Containers page   target < 100 MB
#   idle CPU                  utime+stime (/proc/<pid>/stat) over --idle seconds (60) with
#                             the 20 running sampled at 1 Hz, window shown  target < 2 % of one core
# The window is shown on a private Xvfb display (a free number from :99 up, killed by pid at
# the end) unless --offscreen. The store, the settings and the containers are temporary.
set -uo pipefail

BERTH=${BERTH:-berth}
DESKTOP=${DESKTOP:-berth-desktop}
STARTS=7
IDLE=60
DISPLAY_NO=
OFFSCREEN=0
while [ $# -gt 0 ]; do
  case "$1" in
    --berth) BERTH=$2; shift 2 ;;
    --desktop) DESKTOP=$2; shift 2 ;;
    -n|--starts) STARTS=$2; shift 2 ;;
    --idle) IDLE=$2; shift 2 ;;
    --display) DISPLAY_NO=$2; shift 2 ;;
    --offscreen) OFFSCREEN=1; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "desktop_bench: unknown argument $1" >&2; exit 2 ;;
  esac
done
if [ "$(id -u)" != 0 ]; then
  echo "desktop_bench: needs root (it runs containers)" >&2
  exit 1
fi
if [ "${BASH_VERSINFO[0]}" -lt 5 ]; then
  echo "desktop_bench: needs bash 5 (EPOCHREALTIME)" >&2
  exit 1
fi

W=$(mktemp -d /tmp/berth-desktop-bench-XXXXXX)
ROOT=$W/root
XVFB_PID=
APP_PID=
cleanup() {
  [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null
  if [ -d "$ROOT" ]; then
    ids=$("$BERTH" --root "$ROOT" ps -aq 2>/dev/null)
    [ -n "$ids" ] && "$BERTH" --root "$ROOT" rm -f $ids >/dev/null 2>&1
  fi
  [ -n "$XVFB_PID" ] && kill "$XVFB_PID" 2>/dev/null && wait "$XVFB_PID" 2>/dev/null
  rm -rf "$W"
}
trap cleanup EXIT
b() { "$BERTH" --root "$ROOT" "$@"; }

# The display: Xvfb on a free number, or Qt's offscreen platform.
if [ "$OFFSCREEN" = 1 ]; then
  export QT_QPA_PLATFORM=offscreen
  SHOWN="offscreen"
else
  command -v Xvfb >/dev/null || { echo "desktop_bench: Xvfb missing (apt-get install xvfb), or use --offscreen" >&2; exit 1; }
  n=${DISPLAY_NO:-99}
  while [ -z "$DISPLAY_NO" ] && { [ -e /tmp/.X$n-lock ] || [ -e /tmp/.X11-unix/X$n ]; }; do n=$((n + 1)); done
  Xvfb ":$n" -screen 0 1600x1000x24 -nolisten tcp >"$W/xvfb.log" 2>&1 &
  XVFB_PID=$!
  for _ in $(seq 50); do [ -e /tmp/.X11-unix/X$n ] && break; sleep 0.1; done
  [ -e /tmp/.X11-unix/X$n ] || { echo "desktop_bench: Xvfb :$n did not start" >&2; cat "$W/xvfb.log" >&2; exit 1; }
  export DISPLAY=":$n" QT_QPA_PLATFORM=xcb
  SHOWN="Xvfb :$n"
fi
export XDG_CONFIG_HOME=$W/config   # the window's QSettings: fresh, not the user's
mkdir -p "$XDG_CONFIG_HOME"

# The store: busybox, 30 created containers and 20 running ones.
BERTH_ROOT=$ROOT bash "$(dirname "$0")/../../installer/demo-image.sh" "$BERTH" >/dev/null || exit 1
for i in $(seq 1 30); do b create --name "idle-$i" busybox:latest sleep 100000 >/dev/null || { echo "desktop_bench: create failed" >&2; exit 1; }; done
for i in $(seq 1 20); do b run -d --name "busy-$i" busybox:latest sleep 100000 >/dev/null || { echo "desktop_bench: run -d failed" >&2; exit 1; }; done
running=$(b ps -q | wc -l)
listed=$(b ps -aq | wc -l)

median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "n/a"; else if (NR % 2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }

# 1. Start to first paint, N times.
inside=() outside=() aftermain=() cpus=()
for i in $(seq 1 "$STARTS"); do
  t0=$EPOCHREALTIME
  BERTH_DESKTOP_REPORT_FIRST_PAINT=exit "$DESKTOP" --root "$ROOT" --page containers >/dev/null 2>"$W/start.log"
  line=$(grep -m1 'first paint' "$W/start.log")
  t1=$EPOCHREALTIME
  # The app quits right after the report, so the outside figure is fork -> exit, slightly
  # above fork -> paint.
  [ -n "$line" ] || { echo "desktop_bench: no first-paint report from berth-desktop:" >&2; cat "$W/start.log" >&2; exit 1; }
  inside+=("$(sed -E 's/.*first paint ([0-9.]+) s after process start.*/\1/' <<<"$line")")
  aftermain+=("$(sed -E 's/.*, ([0-9.]+) s after main.*/\1/' <<<"$line")")
  cpus+=("$(sed -E 's/.*, ([0-9.]+) s CPU.*/\1/' <<<"$line")")
  outside+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b - a}')")
done
m_in=$(printf '%s\n' "${inside[@]}" | median)
m_main=$(printf '%s\n' "${aftermain[@]}" | median)
m_out=$(printf '%s\n' "${outside[@]}" | median)
m_cpu=$(printf '%s\n' "${cpus[@]}" | median)

# 2 and 3. One window left open on the Containers page, sampling stats at 1 Hz.
"$DESKTOP" --root "$ROOT" --page containers --stats-interval 1000 >"$W/app.log" 2>&1 &
APP_PID=$!
sleep 15
if ! kill -0 "$APP_PID" 2>/dev/null; then echo "desktop_bench: berth-desktop exited" >&2; cat "$W/app.log" >&2; exit 1; fi
rss_kb=$(awk '/^VmRSS/ {print $2}' /proc/$APP_PID/status)
cpu_ticks() { awk '{sub(/.*\) /, ""); print $12 + $13}' /proc/$APP_PID/stat; }  # utime+stime
c0=$(cpu_ticks); t0=$EPOCHREALTIME
sleep "$IDLE"
c1=$(cpu_ticks); t1=$EPOCHREALTIME
hwm_kb=$(awk '/^VmHWM/ {print $2}' /proc/$APP_PID/status)
rss2_kb=$(awk '/^VmRSS/ {print $2}' /proc/$APP_PID/status)
threads=$(awk '/^Threads/ {print $2}' /proc/$APP_PID/status)
hz=$(getconf CLK_TCK)
cpu=$(awk -v c="$((c1 - c0))" -v hz="$hz" -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", 100 * c / hz / (b - a)}')
kill "$APP_PID"; wait "$APP_PID" 2>/dev/null; APP_PID=

verdict() { awk -v v="$1" -v t="$2" 'BEGIN {print (v < t) ? "ok" : "MISSED"}'; }
echo
echo "berth-desktop on $SHOWN, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg); store: $listed containers, $running running"
printf '%-44s %12s %10s %s\n' "measure" "berth" "target" ""
printf '%-44s %10s s %8s s  %s\n' "first paint after process start (median of $STARTS)" "$m_in" "0.5" "$(verdict "$m_in" 0.5)"
printf '%-44s %10s s %10s\n' "  of which after main()" "$m_main" ""
printf '%-44s %10s s %10s\n' "  fork to exit after first paint (outside)" "$m_out" ""
printf '%-44s %10s s %10s\n' "  CPU time used until the first paint" "$m_cpu" ""
printf '%-44s %9s MB %7s MB  %s\n' "VmRSS after 15 s" "$((rss_kb / 1024))" "100" "$(verdict "$((rss_kb / 1024))" 100)"
printf '%-44s %9s MB %7s MB  %s\n' "VmRSS after the idle minute" "$((rss2_kb / 1024))" "100" "$(verdict "$((rss2_kb / 1024))" 100)"
printf '%-44s %9s MB %10s\n' "VmHWM (peak)" "$((hwm_kb / 1024))" ""
printf '%-44s %10s %% %8s %%  %s\n' "CPU over ${IDLE} s idle, 1 Hz stats" "$cpu" "2" "$(verdict "$cpu" 2)"
printf '%-44s %10s\n' "threads" "$threads"
echo "starts (inside): ${inside[*]}"
echo "starts (outside): ${outside[*]}"
