# Shared by the benchmark scripts that sample rows side by side (containers_bench.sh,
# dockerapi_bench.sh): sourced, not run. The caller sets ERRLOG (a file failed commands are
# logged to) before calling timed.
#
#   timed VAR cmd...          runs cmd (output discarded, errors to $ERRLOG) and sets VAR to
#                             the elapsed microseconds, or to "fail"
#   add ROW SIDE VALUE        a sample for a row and side ("fail" marks the pair broken)
#   live ROW SIDE OKFLAG      whether the pair is still worth running
#   median "v v v"            the median of the samples (exit 1 without any)
#   minmax "v v v"            "min max" of the samples: the spread
#   loadavg                   the 1/5/15-minute load averages
#   busyboxRootfs DIR TAR     a rootfs of Debian's busybox-static (every applet, root and
#                             nobody) in DIR, and it as TAR (owners 0); exit 1 without busybox

declare -A SAMPLES   # "<row>|<side>" -> " v v v"
declare -A BROKEN    # "<row>|<side>" -> 1 once a run failed

timed() {
  local __var=$1; shift
  local t0=${EPOCHREALTIME/./}
  "$@" >/dev/null 2>>"$ERRLOG"
  local rc=$?
  local t1=${EPOCHREALTIME/./}
  if [ $rc -ne 0 ]; then
    printf -v "$__var" fail
    printf '[%s] exit %d: %s\n' "$(date +%T)" "$rc" "$*" >>"$ERRLOG"
  else
    printf -v "$__var" '%d' $((10#$t1 - 10#$t0))
  fi
}
add() { if [ "$3" = fail ]; then BROKEN["$1|$2"]=1; else SAMPLES["$1|$2"]+=" $3"; fi; }
live() { [ "$3" = 1 ] && [ -z "${BROKEN["$1|$2"]:-}" ]; }
median() {
  printf '%s\n' $1 | sort -n | awk '{a[NR]=$1} END {
    if (NR == 0) exit 1
    if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
minmax() { printf '%s\n' $1 | sort -n | awk 'NR == 1 {lo = $1} {hi = $1} END {print lo, hi}'; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
busyboxRootfs() {
  local rootfs=$1 tar=$2 busybox=/bin/busybox applet
  [ -x "$busybox" ] || { echo "$busybox missing (apt-get install busybox-static)" >&2; return 1; }
  mkdir -p "$rootfs"/{bin,etc,tmp,root,proc,sys,dev}
  cp "$busybox" "$rootfs/bin/busybox"
  for applet in $("$busybox" --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$rootfs/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$rootfs/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$rootfs/etc/group"
  chmod 1777 "$rootfs/tmp"
  tar --numeric-owner --owner=0 --group=0 -C "$rootfs" -cf "$tar" .
}
