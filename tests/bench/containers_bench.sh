#!/usr/bin/env bash
# Containers benchmark (issue 3): Berth against podman and crun, side by side, interleaved
# round by round on the same busybox rootfs, printing medians and berth/peer ratios.
# A benchmark, never a timed test: run it by hand or with `ninja bench` (root needed).
#
#   containers_bench.sh [--berth PATH] [-n ROUNDS] [--ps-count N] [--stats-count N] [--keep]
#
# Rows: run --rm true | run -d + stop -t 0 + rm | ps -a with N containers |
#       stats --no-stream with N running | monitor RSS per container (berth-monitor vs conmon)
#       | peak RSS of the CLI.
# A berth verb that fails marks its row "berth: not available" (the reason goes to the
# error log printed at the end); the peers still run, so the script is useful before every
# berth verb exists.
#
# Like for like: every berth container here runs with --network none (BERTH_RUN_OPTS), as
# podman's do (PODMAN_RUN_OPTS) and as crun's bundle does (no network set-up at all). The
# issue compares the engine's own bookkeeping with the namespaces, mounts and exec; the cost
# of berth's default bridge (veth pair, addresses, nftables rules) is measured on its own by
# tests/bench/network_bench.sh.
#
# Peers, as this machine needs them:
#   podman --runtime runc --cgroup-manager cgroupfs, its own --root/--runroot/--tmpdir in a
#     temporary directory, vfs storage, --network none, ulimits inside the hard limits
#     (root here lacks CAP_SYS_RESOURCE), image `podman import`ed from the same rootfs tar.
#   crun refuses hybrid cgroups ("cgroups in hybrid mode not supported, drop all controllers
#     from cgroupv2") whenever /sys/fs/cgroup/unified is a cgroup2 mount with any controller
#     (hugetlb here), even with --cgroup-manager=disabled. It runs in a private mount
#     namespace whose copy of /sys/fs/cgroup/unified is unmounted, so it sees plain v1 and
#     uses its cgroupfs manager; the host's mounts are untouched. The namespace is made once
#     (bound to a file) and entered with nsenter; the time is taken inside it, so nsenter and
#     bash start-up are not counted.
set -uo pipefail

ROUNDS=${ROUNDS:-5}
PS_COUNT=100
STATS_COUNT=10
BERTH=${BERTH:-}
KEEP=0

while [ $# -gt 0 ]; do
  case "$1" in
    --berth) BERTH=$2; shift 2 ;;
    -n|--rounds) ROUNDS=$2; shift 2 ;;
    --ps-count) PS_COUNT=$2; shift 2 ;;
    --stats-count) STATS_COUNT=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "containers_bench: unknown argument $1" >&2; exit 2 ;;
  esac
done

if [ "$(id -u)" != 0 ]; then
  echo "containers_bench: needs root (containers, cgroups, mount namespaces)" >&2
  exit 1
fi
if [ "${BASH_VERSINFO[0]}" -lt 5 ]; then
  echo "containers_bench: needs bash 5 (EPOCHREALTIME)" >&2
  exit 1
fi

W=$(mktemp -d /tmp/berth-bench-XXXXXX)
ERRLOG=$W/errors.log
: > "$ERRLOG"
BROOT=$W/berth/root
BRUN=$W/berth/run
PODMAN=(podman --root "$W/podman/root" --runroot "$W/podman/runroot" --tmpdir "$W/podman/tmp"
        --storage-driver vfs --runtime runc --cgroup-manager cgroupfs --events-backend file)
PODMAN_RUN_OPTS=(--network none --ulimit nofile=20000:20000 --ulimit nproc=32768:32768)
BERTH_RUN_OPTS=(--network none)
PODMAN_IMAGE=localhost/busybox:1
CRUN_STATE=$W/crun-state
NSFILE=$W/ns/mnt

log() { printf '%s\n' "$*" >&2; }
berthCmd() { "$BERTH" --root "$BROOT" --runroot "$BRUN" "$@"; }
podmanCmd() { "${PODMAN[@]}" "$@"; }

# ---- clean-up: containers, the namespace file, leftover mounts, the directory ----------
cleanup() {
  set +e
  if [ "$BERTH_OK" = 1 ]; then
    local ids
    ids=$(berthCmd ps -aq 2>>"$ERRLOG")
    [ -n "$ids" ] && berthCmd rm -f $ids >/dev/null 2>>"$ERRLOG"
  fi
  if command -v podman >/dev/null && [ -d "$W/podman" ]; then
    podmanCmd rm -af -t 0 >/dev/null 2>>"$ERRLOG"
  fi
  # podman's cgroupfs parent, when this run made it and no one else uses it now (rmdir
  # refuses a cgroup with children or tasks).
  # Exiting conmons keep it busy for a moment: retry for up to 5 s.
  if [ "$LIBPOD_PARENT_BEFORE" = 0 ]; then
    local try
    for try in $(seq 50); do
      for d in /sys/fs/cgroup/*/libpod_parent; do
        [ -d "$d/conmon" ] && rmdir "$d/conmon" 2>/dev/null
        [ -d "$d" ] && rmdir "$d" 2>/dev/null
      done
      ls -d /sys/fs/cgroup/*/libpod_parent >/dev/null 2>&1 || break
      sleep 0.1
    done
  fi
  if [ -e "$NSFILE" ]; then umount "$NSFILE" 2>/dev/null; fi
  if mountpoint -q "$W/ns" 2>/dev/null; then umount "$W/ns"; fi
  # Anything still mounted under $W (a crashed container's shm, an overlay) goes first,
  # so rm never reaches through a mount.
  findmnt -rn -o TARGET | grep "^$W/" | sort -r | while read -r m; do umount -l "$m"; done
  if [ "$KEEP" = 1 ]; then
    log "kept $W"
  else
    rm -rf --one-file-system "$W"
  fi
}
BERTH_OK=0
LIBPOD_PARENT_BEFORE=0
for d in /sys/fs/cgroup/*/libpod_parent; do [ -d "$d" ] && LIBPOD_PARENT_BEFORE=1; done
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- the rootfs every engine runs (Debian's busybox-static, as installer/demo-image.sh) --
source "$(dirname "${BASH_SOURCE[0]}")/bench_lib.sh"
ROOTFS=$W/bundle/rootfs
busyboxRootfs "$ROOTFS" "$W/rootfs.tar" || { log "containers_bench: no busybox rootfs"; exit 1; }

# ---- availability of each engine ---------------------------------------------------------
BERTH_WHY=""
if [ -z "$BERTH" ]; then
  BERTH_WHY="no berth binary given (--berth PATH)"
elif [ ! -x "$BERTH" ]; then
  BERTH_WHY="$BERTH is not executable"
elif ! berthCmd import "$W/rootfs.tar" busybox:latest >/dev/null 2>>"$ERRLOG"; then
  BERTH_WHY="berth import failed (see error log)"
else
  BERTH_OK=1
fi
[ "$BERTH_OK" = 1 ] || log "berth: not available: $BERTH_WHY"

PODMAN_OK=0
if command -v podman >/dev/null && command -v runc >/dev/null; then
  mkdir -p "$W/podman"
  if podmanCmd import "$W/rootfs.tar" "$PODMAN_IMAGE" >/dev/null 2>"$W/podman-import.log"; then
    PODMAN_OK=1
  else
    cat "$W/podman-import.log" >>"$ERRLOG"
  fi
fi
[ "$PODMAN_OK" = 1 ] || log "podman: not available (see error log)"

CRUN_OK=0
if command -v crun >/dev/null && command -v nsenter >/dev/null && command -v unshare >/dev/null; then
  (cd "$W/bundle" && crun spec) 2>>"$ERRLOG"
  # No terminal, `true` as the process, the nofile rlimit within this machine's hard limit.
  python3 - "$W/bundle/config.json" <<'EOF' 2>>"$ERRLOG"
import json, resource, sys
path = sys.argv[1]
c = json.load(open(path))
c["process"]["terminal"] = False
c["process"]["args"] = ["true"]
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
for r in c["process"].get("rlimits", []):
    if r["type"] == "RLIMIT_NOFILE":
        r["hard"] = r["soft"] = min(r["hard"], hard)
json.dump(c, open(path, "w"), indent=1)
c["process"]["args"] = ["sleep", "1000"]
json.dump(c, open(path.replace("config.json", "config-sleep.json"), "w"), indent=1)
EOF
  mkdir -p "$W/bundle-sleep" "$W/ns" "$CRUN_STATE"
  mv "$W/bundle/config-sleep.json" "$W/bundle-sleep/config.json" 2>>"$ERRLOG"
  ln -s ../bundle/rootfs "$W/bundle-sleep/rootfs"
  # A private mount namespace, kept alive by a bind of its nsfs file, with the host's
  # hugetlb-only cgroup2 mount removed from its view.
  if mount --bind "$W/ns" "$W/ns" && mount --make-private "$W/ns" && touch "$NSFILE" &&
     unshare --mount="$NSFILE" --propagation private \
       sh -c 'if mountpoint -q /sys/fs/cgroup/unified; then umount /sys/fs/cgroup/unified; fi' 2>>"$ERRLOG"; then
    if nsenter --mount="$NSFILE" crun --root "$CRUN_STATE" run -b "$W/bundle" bench-probe >/dev/null 2>>"$ERRLOG"; then
      CRUN_OK=1
    fi
  fi
fi
[ "$CRUN_OK" = 1 ] || log "crun: not available (see error log)"

# ---- measuring -----------------------------------------------------------------------------
# timed, add, live, median, minmax, loadavg: tests/bench/bench_lib.sh (sourced above)
LOAD_BEFORE=$(loadavg)

# crunTimed VAR args...: crun inside the namespace, timed there.
crunTimed() {
  local __var=$1; shift
  local out
  out=$(nsenter --mount="$NSFILE" bash -c '
    t0=${EPOCHREALTIME/./}
    crun --root "$0" "$@" >/dev/null 2>&1 </dev/null
    rc=$?
    t1=${EPOCHREALTIME/./}
    [ $rc -eq 0 ] && echo $((10#$t1 - 10#$t0)) || echo "fail $rc"' "$CRUN_STATE" "$@" 2>>"$ERRLOG")
  case "$out" in
    fail*|"") printf -v "$__var" fail; echo "crun $*: $out" >>"$ERRLOG" ;;
    *) printf -v "$__var" '%s' "$out" ;;
  esac
}

ROWS=()
declare -A UNIT      # row -> "ms" | "MiB"
declare -A TARGET    # row -> text
row() { ROWS+=("$1"); UNIT["$1"]=$2; TARGET["$1"]=$3; }

# ---- 1. run --rm true ------------------------------------------------------------------------
R1="run --rm busybox true"
row "$R1" ms "<= 0.15x podman, <= 1.5x crun"
log "== $R1 ($ROUNDS rounds)"
for ((i = 0; i < ROUNDS; i++)); do
  if live "$R1" berth $BERTH_OK; then timed t berthCmd run --rm "${BERTH_RUN_OPTS[@]}" busybox true; add "$R1" berth "$t"; fi
  if live "$R1" podman $PODMAN_OK; then
    timed t podmanCmd run --rm "${PODMAN_RUN_OPTS[@]}" "$PODMAN_IMAGE" true; add "$R1" podman "$t"
  fi
  if live "$R1" crun $CRUN_OK; then crunTimed t run -b "$W/bundle" "bench-$i-$RANDOM"; add "$R1" crun "$t"; fi
done

# ---- 2. run -d, stop -t 0, rm ------------------------------------------------------------------
R2="run -d + stop -t 0 + rm"
row "$R2" ms "<= 0.15x podman"
berthCycle() {
  local id
  id=$(berthCmd run -d "${BERTH_RUN_OPTS[@]}" busybox sleep 1000 2>>"$ERRLOG") || return 1
  berthCmd stop -t 0 "$id" >/dev/null 2>>"$ERRLOG" || return 1
  berthCmd rm "$id" >/dev/null 2>>"$ERRLOG"
}
podmanCycle() {
  local id
  id=$(podmanCmd run -d "${PODMAN_RUN_OPTS[@]}" "$PODMAN_IMAGE" sleep 1000 2>>"$ERRLOG") || return 1
  podmanCmd stop -t 0 "$id" >/dev/null 2>>"$ERRLOG" || return 1
  podmanCmd rm "$id" >/dev/null 2>>"$ERRLOG"
}
log "== $R2 ($ROUNDS rounds)"
for ((i = 0; i < ROUNDS; i++)); do
  if live "$R2" berth $BERTH_OK; then timed t berthCycle; add "$R2" berth "$t"; fi
  if live "$R2" podman $PODMAN_OK; then timed t podmanCycle; add "$R2" podman "$t"; fi
  # crun's nearest equivalent: detached run, then delete --force (SIGKILL + clean-up).
  if live "$R2" crun $CRUN_OK; then
    crunTimed t run -d -b "$W/bundle-sleep" "bench-d-$i"
    if [ "$t" != fail ]; then
      crunTimed t2 delete -f "bench-d-$i"
      [ "$t2" = fail ] && t=fail || t=$((t + t2))
    fi
    add "$R2" crun "$t"
  fi
done

# ---- 3. ps -a with PS_COUNT containers ----------------------------------------------------------
R3="ps -a ($PS_COUNT containers)"
row "$R3" ms "<= 0.15x podman"
log "== $R3: creating $PS_COUNT containers in each engine"
B_PS=$BERTH_OK
P_PS=$PODMAN_OK
for ((i = 0; i < PS_COUNT; i++)); do
  if [ "$B_PS" = 1 ] && ! berthCmd create --name "bench-ps-$i" "${BERTH_RUN_OPTS[@]}" busybox true >/dev/null 2>>"$ERRLOG"; then
    B_PS=0; BROKEN["$R3|berth"]=1
  fi
  if [ "$P_PS" = 1 ] && ! podmanCmd create --name "bench-ps-$i" "${PODMAN_RUN_OPTS[@]}" "$PODMAN_IMAGE" true >/dev/null 2>>"$ERRLOG"; then
    P_PS=0; BROKEN["$R3|podman"]=1
  fi
done
for ((i = 0; i < ROUNDS; i++)); do
  if live "$R3" berth $B_PS; then timed t berthCmd ps -a; add "$R3" berth "$t"; fi
  if live "$R3" podman $P_PS; then timed t podmanCmd ps -a; add "$R3" podman "$t"; fi
done
log "== removing the $PS_COUNT containers"
if [ "$BERTH_OK" = 1 ]; then
  ids=$(berthCmd ps -aq 2>>"$ERRLOG")
  [ -n "$ids" ] && berthCmd rm -f $ids >/dev/null 2>>"$ERRLOG"
fi
[ "$PODMAN_OK" = 1 ] && podmanCmd rm -af -t 0 >/dev/null 2>>"$ERRLOG"

# ---- 4. stats --no-stream with STATS_COUNT running, and 5. monitor RSS -------------------------
R4="stats --no-stream ($STATS_COUNT running)"
row "$R4" ms "<= 0.15x podman"
R5="monitor RSS per container"
row "$R5" MiB "berth-monitor <= conmon; aim 1 MiB"
log "== $R4: starting $STATS_COUNT sleeping containers in each engine"
B_ST=$BERTH_OK
P_ST=$PODMAN_OK
PODMAN_IDS=()
for ((i = 0; i < STATS_COUNT; i++)); do
  if [ "$B_ST" = 1 ] && ! berthCmd run -d --name "bench-st-$i" "${BERTH_RUN_OPTS[@]}" busybox sleep 1000 >/dev/null 2>>"$ERRLOG"; then
    B_ST=0; BROKEN["$R4|berth"]=1
  fi
  if [ "$P_ST" = 1 ]; then
    if id=$(podmanCmd run -d --name "bench-st-$i" "${PODMAN_RUN_OPTS[@]}" "$PODMAN_IMAGE" sleep 1000 2>>"$ERRLOG"); then
      PODMAN_IDS+=("$id")
    else
      P_ST=0; BROKEN["$R4|podman"]=1
    fi
  fi
done
for ((i = 0; i < ROUNDS; i++)); do
  if live "$R4" berth $B_ST; then timed t berthCmd stats --no-stream; add "$R4" berth "$t"; fi
  if live "$R4" podman $P_ST; then timed t podmanCmd stats --no-stream; add "$R4" podman "$t"; fi
done

vmrssKb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null; }
if [ "$B_ST" = 1 ]; then
  # berth-monitor processes serving this store: their command line, environment or
  # working directory names the bench directory.
  for p in /proc/[0-9]*; do
    [ "$(cat "$p/comm" 2>/dev/null)" = berth-monitor ] || continue
    if tr '\0' ' ' <"$p/cmdline" 2>/dev/null | grep -q "$W" ||
       tr '\0' '\n' <"$p/environ" 2>/dev/null | grep -q "$W" ||
       readlink "$p/cwd" 2>/dev/null | grep -q "$W"; then
      kb=$(vmrssKb "${p#/proc/}")
      [ -n "$kb" ] && add "$R5" berth "$kb"
    fi
  done
  [ -z "${SAMPLES["$R5|berth"]:-}" ] && { BROKEN["$R5|berth"]=1; echo "no berth-monitor found for $W" >>"$ERRLOG"; }
else
  BROKEN["$R5|berth"]=1
fi
if [ "$P_ST" = 1 ]; then
  for id in "${PODMAN_IDS[@]}"; do
    cp=$(podmanCmd inspect --format '{{.State.ConmonPid}}' "$id" 2>>"$ERRLOG")
    kb=$(vmrssKb "$cp")
    [ -n "$kb" ] && add "$R5" podman "$kb"
  done
fi

# ---- 6. peak RSS of the CLI ------------------------------------------------------------------
R6="CLI peak RSS (ps -a)"
row "$R6" MiB "berth < 10 MB"
R7="CLI peak RSS (run --rm true)"
row "$R7" MiB "berth < 10 MB"
peakKb() { # peakKb VAR cmd...: maximum resident set size of the command, in KiB
  local __var=$1; shift
  local f=$W/time.out
  if /usr/bin/time -f '%M' -o "$f" "$@" >/dev/null 2>>"$ERRLOG"; then
    printf -v "$__var" '%s' "$(tail -n 1 "$f")"
  else
    printf -v "$__var" fail
  fi
}
if [ -x /usr/bin/time ]; then
  for ((i = 0; i < ROUNDS; i++)); do
    if live "$R6" berth $BERTH_OK; then peakKb k "$BERTH" --root "$BROOT" --runroot "$BRUN" ps -a; add "$R6" berth "$k"; fi
    if live "$R6" podman $PODMAN_OK; then peakKb k "${PODMAN[@]}" ps -a; add "$R6" podman "$k"; fi
    if live "$R7" berth $BERTH_OK; then peakKb k "$BERTH" --root "$BROOT" --runroot "$BRUN" run --rm "${BERTH_RUN_OPTS[@]}" busybox true; add "$R7" berth "$k"; fi
    if live "$R7" podman $PODMAN_OK; then
      peakKb k "${PODMAN[@]}" run --rm "${PODMAN_RUN_OPTS[@]}" "$PODMAN_IMAGE" true; add "$R7" podman "$k"
    fi
  done
else
  echo "/usr/bin/time missing (apt-get install time): no peak RSS" >>"$ERRLOG"
fi

# ---- report ---------------------------------------------------------------------------------
cell() { # cell ROW ENGINE -> the median in the row's unit, or why not
  local s=${SAMPLES["$1|$2"]:-}
  if [ -n "${BROKEN["$1|$2"]:-}" ] || [ -z "$s" ]; then
    case "$2" in berth) echo "not available" ;; *) echo "n/a" ;; esac
    return
  fi
  local m lo hi
  m=$(median "$s")
  read -r lo hi <<<"$(minmax "$s")"
  # The median, then the spread (min-max) of the rounds.
  case "${UNIT["$1"]}" in
    ms) awk -v v="$m" -v lo="$lo" -v hi="$hi" 'BEGIN { printf "%.1f (%.1f-%.1f) ms", v / 1000, lo / 1000, hi / 1000 }' ;;
    MiB) awk -v v="$m" -v lo="$lo" -v hi="$hi" 'BEGIN { printf "%.2f (%.2f-%.2f) MiB", v / 1024, lo / 1024, hi / 1024 }' ;;
  esac
}
ratio() { # ratio ROW PEER -> berth/peer
  local a=${SAMPLES["$1|berth"]:-} b=${SAMPLES["$1|$2"]:-}
  if [ -z "$a" ] || [ -z "$b" ] || [ -n "${BROKEN["$1|berth"]:-}" ] || [ -n "${BROKEN["$1|$2"]:-}" ]; then
    echo "-"; return
  fi
  awk -v x="$(median "$a")" -v y="$(median "$b")" 'BEGIN { if (y > 0) printf "%.2fx", x / y; else print "-" }'
}

echo
echo "Berth containers benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -r), $(nproc) CPUs"
echo "load average before: $LOAD_BEFORE, after: $(loadavg)"
echo "medians (and min-max) of $ROUNDS interleaved rounds; podman $(podman --version 2>/dev/null | awk '{print $3}')" \
     "(runc $(runc --version 2>/dev/null | awk 'NR==1 {print $3}'), cgroupfs, vfs)," \
     "crun $(crun --version 2>/dev/null | awk 'NR==1 {print $3}') (private mount ns, see header)"
echo "no network set-up in any engine: berth ${BERTH_RUN_OPTS[*]}, podman --network none, crun's bundle has none"
[ "$BERTH_OK" = 1 ] || echo "berth: not available: $BERTH_WHY"
printf '\n%-34s %26s %26s %26s %13s %11s   %s\n' benchmark berth podman crun berth/podman berth/crun target
for r in "${ROWS[@]}"; do
  printf '%-34s %26s %26s %26s %13s %11s   %s\n' "$r" "$(cell "$r" berth)" "$(cell "$r" podman)" \
    "$(cell "$r" crun)" "$(ratio "$r" podman)" "$(ratio "$r" crun)" "${TARGET["$r"]}"
done
if [ -s "$ERRLOG" ]; then
  echo
  echo "errors (first 20 lines; --keep keeps $ERRLOG):"
  head -n 20 "$ERRLOG" | sed 's/^/  /'
fi
