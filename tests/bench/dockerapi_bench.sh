#!/usr/bin/env bash
# Docker Engine API benchmark (issue 17): the same docker CLI against `berth system service`
# and against `podman system service`, interleaved round by round on the same busybox
# rootfs; medians, spreads (min-max) and ratios. A benchmark, never a timed test: run it by
# hand or with `ninja bench_dockerapi` (root needed).
#
#   dockerapi_bench.sh [--berth PATH] [--docker PATH] [-n ROUNDS] [--ps-count N]
#                      [--stream-seconds S] [--stream-clients N] [--no-peer-stream] [--keep]
#
# Rows: docker run --rm true | docker ps -a with N containers | the API's overhead over the
#       berth CLI (docker run --rm via Berth's socket / berth run --rm) | the service's idle
#       RSS | N clients streaming stats and events for S seconds (errors, service CPU).
# The docker CLI is /usr/local/bin/docker (docker 28) when present, else Debian's docker.
# Each service is started here with a store of its own in a temporary directory and
# stopped by its pid at the end; dockerd is never started.
#
# Like for like: every container on both sides runs with --network none (as in
# containers_bench.sh). Podman: runc, cgroupfs, vfs, --events-backend file, its own
# --root/--runroot/--tmpdir; if its create refuses the default rlimits (root here lacks
# CAP_SYS_RESOURCE, the hard limits are lower than podman's defaults) its containers get
# --ulimit nofile=20000:20000 --ulimit nproc=32768:32768 and the output says so.
set -uo pipefail

ROUNDS=${ROUNDS:-5}
PS_COUNT=100
STREAM_SECONDS=60
STREAM_CLIENTS=50
STREAM_CONTAINERS=3
PEER_STREAM=1
BERTH=${BERTH:-}
DOCKER=${DOCKER:-}
KEEP=0

while [ $# -gt 0 ]; do
  case "$1" in
    --berth) BERTH=$2; shift 2 ;;
    --docker) DOCKER=$2; shift 2 ;;
    -n|--rounds) ROUNDS=$2; shift 2 ;;
    --ps-count) PS_COUNT=$2; shift 2 ;;
    --stream-seconds) STREAM_SECONDS=$2; shift 2 ;;
    --stream-clients) STREAM_CLIENTS=$2; shift 2 ;;
    --no-peer-stream) PEER_STREAM=0; shift ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "dockerapi_bench: unknown argument $1" >&2; exit 2 ;;
  esac
done

die() { echo "dockerapi_bench: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (containers, cgroups)"
[ "${BASH_VERSINFO[0]}" -ge 5 ] || die "needs bash 5 (EPOCHREALTIME)"
[ "$ROUNDS" -ge 3 ] 2>/dev/null || die "-n takes at least 3 rounds (a median and a spread)"
[ "$STREAM_SECONDS" -ge 2 ] 2>/dev/null || die "--stream-seconds takes at least 2"
[ "$STREAM_CLIENTS" -ge 2 ] 2>/dev/null || die "--stream-clients takes at least 2"
[ -n "$BERTH" ] || BERTH=$(command -v berth)
[ -n "$BERTH" ] && [ -x "$BERTH" ] || die "berth not found (--berth PATH)"
if [ -z "$DOCKER" ]; then
  if [ -x /usr/local/bin/docker ]; then DOCKER=/usr/local/bin/docker; else DOCKER=$(command -v docker); fi
fi
[ -n "$DOCKER" ] && [ -x "$DOCKER" ] || die "no docker CLI (apt-get install docker.io, or --docker PATH)"
command -v curl >/dev/null || die "curl missing (apt-get install curl)"

# timed, add, live, median, minmax, loadavg: tests/bench/bench_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/bench_lib.sh"
LOAD_BEFORE=$(loadavg)
STARTED=$(date -u '+%Y-%m-%d %H:%M UTC')

W=$(mktemp -d /tmp/berth-apibench-XXXXXX)
ERRLOG=$W/errors.log
: > "$ERRLOG"
BROOT=$W/berth/root
BRUN=$W/berth/run
BSOCK=$W/berth.sock
PSOCK=$W/podman.sock
PODMAN=(podman --root "$W/podman/root" --runroot "$W/podman/runroot" --tmpdir "$W/podman/tmp"
        --storage-driver vfs --runtime runc --cgroup-manager cgroupfs --events-backend file)
PODMAN_ULIMITS=(--ulimit nofile=20000:20000 --ulimit nproc=32768:32768)
RUN_OPTS=(--network none)   # both sides
PODMAN_EXTRA=()             # the ulimits, if podman's create needs them
IMG=busybox:latest          # docker.io/library/busybox:latest on both sides
mkdir -p "$W/docker-config" "$W/streams"

log() { printf '%s\n' "$*" >&2; }
berthCmd() { "$BERTH" --root "$BROOT" --runroot "$BRUN" "$@"; }
podmanCmd() { "${PODMAN[@]}" "$@"; }
# The same docker CLI, its own empty config, pointed at one service's socket.
dockerB() { DOCKER_HOST=unix://$BSOCK DOCKER_CONFIG=$W/docker-config "$DOCKER" "$@"; }
dockerP() { DOCKER_HOST=unix://$PSOCK DOCKER_CONFIG=$W/docker-config "$DOCKER" "$@"; }

# ---- clean-up: the clients and services this run started (by pid), containers, mounts --------
BERTH_PID=""
PODMAN_PID=""
CLIENT_PIDS=()
stopPid() { # stopPid PID: TERM, up to 5 s, then KILL; only a pid this script started
  local pid=$1 try
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null
  for try in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
}
cleanup() {
  set +e
  local pid ids try d
  for pid in "${CLIENT_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for pid in "${CLIENT_PIDS[@]}"; do wait "$pid" 2>/dev/null; done
  stopPid "$BERTH_PID"
  stopPid "$PODMAN_PID"
  if [ -d "$BROOT" ]; then
    ids=$(berthCmd ps -aq 2>>"$ERRLOG")
    [ -n "$ids" ] && berthCmd rm -f $ids >/dev/null 2>>"$ERRLOG"
  fi
  [ -d "$W/podman" ] && podmanCmd rm -af -t 0 >/dev/null 2>>"$ERRLOG"
  # podman's cgroupfs parent, when this run made it and nothing uses it any more.
  if [ "$LIBPOD_PARENT_BEFORE" = 0 ]; then
    for _ in $(seq 50); do
      for d in /sys/fs/cgroup/*/libpod_parent; do
        [ -d "$d/conmon" ] && rmdir "$d/conmon" 2>/dev/null
        [ -d "$d" ] && rmdir "$d" 2>/dev/null
      done
      ls -d /sys/fs/cgroup/*/libpod_parent >/dev/null 2>&1 || break
      sleep 0.1
    done
  fi
  findmnt -rn -o TARGET | grep "^$W/" | sort -r | while read -r m; do umount -l "$m"; done
  if [ "$KEEP" = 1 ]; then log "kept $W"; else rm -rf --one-file-system "$W"; fi
}
LIBPOD_PARENT_BEFORE=0
for d in /sys/fs/cgroup/*/libpod_parent; do [ -d "$d" ] && LIBPOD_PARENT_BEFORE=1; done
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- the image: Debian's busybox-static, as containers_bench.sh ------------------------------
ROOTFS=$W/rootfs
busyboxRootfs "$ROOTFS" "$W/rootfs.tar" || die "no busybox rootfs"

# ---- the services ----------------------------------------------------------------------------
waitSocket() { # waitSocket SOCK PID: up to 20 s for /_ping to answer OK
  local _
  for _ in $(seq 200); do
    kill -0 "$2" 2>/dev/null || return 1
    [ "$(curl -s --max-time 2 --unix-socket "$1" http://d/_ping 2>/dev/null)" = OK ] && return 0
    sleep 0.1
  done
  return 1
}

BERTH_OK=0
BERTH_WHY=""
if ! berthCmd import "$W/rootfs.tar" "$IMG" >/dev/null 2>>"$ERRLOG"; then
  BERTH_WHY="berth import failed"
else
  "$BERTH" --root "$BROOT" --runroot "$BRUN" system service --socket "$BSOCK" --time 0 \
    >>"$W/berth-service.log" 2>&1 &
  BERTH_PID=$!
  if ! waitSocket "$BSOCK" "$BERTH_PID"; then
    BERTH_WHY="berth system service did not answer /_ping"
    cat "$W/berth-service.log" >>"$ERRLOG"
  elif ! dockerB run --rm "${RUN_OPTS[@]}" "$IMG" true >/dev/null 2>>"$ERRLOG"; then
    BERTH_WHY="docker run via Berth's socket failed"
  else
    BERTH_OK=1
  fi
fi
[ "$BERTH_OK" = 1 ] || log "berth: not available: $BERTH_WHY"

PODMAN_OK=0
PODMAN_WHY=""
if ! command -v podman >/dev/null || ! command -v runc >/dev/null; then
  PODMAN_WHY="podman or runc missing"
elif ! podmanCmd import -q "$W/rootfs.tar" "docker.io/library/$IMG" >/dev/null 2>>"$ERRLOG"; then
  PODMAN_WHY="podman import failed"
else
  "${PODMAN[@]}" system service --time 0 "unix://$PSOCK" >>"$W/podman-service.log" 2>&1 &
  PODMAN_PID=$!
  if ! waitSocket "$PSOCK" "$PODMAN_PID"; then
    PODMAN_WHY="podman system service did not answer /_ping"
    cat "$W/podman-service.log" >>"$ERRLOG"
  elif dockerP run --rm "${RUN_OPTS[@]}" "$IMG" true >/dev/null 2>"$W/podman-probe.log"; then
    PODMAN_OK=1
  elif dockerP run --rm "${RUN_OPTS[@]}" "${PODMAN_ULIMITS[@]}" "$IMG" true >/dev/null 2>>"$ERRLOG"; then
    PODMAN_OK=1
    echo "podman without --ulimit (hence the ulimits): $(head -c 300 "$W/podman-probe.log")" >>"$ERRLOG"
    PODMAN_EXTRA=("${PODMAN_ULIMITS[@]}")
  else
    cat "$W/podman-probe.log" >>"$ERRLOG"
    PODMAN_WHY="docker run via podman's socket failed"
  fi
fi
[ "$PODMAN_OK" = 1 ] || log "podman: not available: $PODMAN_WHY"
[ "$BERTH_OK" = 1 ] || [ "$PODMAN_OK" = 1 ] || { cat "$ERRLOG" >&2; exit 1; }

# ---- measuring -----------------------------------------------------------------------------

ROWS=()
declare -A UNIT GOAL PEER
# row NAME UNIT PEER-SIDE GOAL: UNIT ms | MB | cpu; GOAL "ratio <= X" | "value < X" | "stream"
row() { ROWS+=("$1"); UNIT["$1"]=$2; PEER["$1"]=$3; GOAL["$1"]=$4; }

# ---- 1. docker run --rm, and 3. the API's overhead over the berth CLI ------------------------
R1="docker run --rm $IMG true"
row "$R1" ms podman "ratio 0.15"
R3="API overhead: docker run --rm / berth run --rm"
row "$R3" ms cli "ratio 1.3"
log "== $R1, and berth run --rm ($ROUNDS rounds)"
for ((i = 0; i < ROUNDS; i++)); do
  if live "$R1" berth $BERTH_OK; then
    timed t dockerB run --rm "${RUN_OPTS[@]}" "$IMG" true; add "$R1" berth "$t"; add "$R3" berth "$t"
  fi
  if live "$R1" podman $PODMAN_OK; then
    timed t dockerP run --rm "${RUN_OPTS[@]}" "${PODMAN_EXTRA[@]}" "$IMG" true; add "$R1" podman "$t"
  fi
  if live "$R3" cli $BERTH_OK; then timed t berthCmd run --rm "${RUN_OPTS[@]}" "$IMG" true; add "$R3" cli "$t"; fi
  # The client's own floor, in every docker row on both sides: the CLI starting, no request.
  timed t "$DOCKER" --version; add client docker "$t"
done

# ---- 2. docker ps -a with PS_COUNT created containers in each -------------------------------------
R2="docker ps -a ($PS_COUNT containers)"
row "$R2" ms podman "ratio 0.2"
log "== $R2: creating $PS_COUNT containers through each socket"
B_PS=$BERTH_OK
P_PS=$PODMAN_OK
for ((i = 0; i < PS_COUNT; i++)); do
  if [ "$B_PS" = 1 ] && ! dockerB create --name "bench-ps-$i" "${RUN_OPTS[@]}" "$IMG" true >/dev/null 2>>"$ERRLOG"; then
    B_PS=0; BROKEN["$R2|berth"]=1; echo "docker create via Berth's socket failed" >>"$ERRLOG"
  fi
  if [ "$P_PS" = 1 ] && ! dockerP create --name "bench-ps-$i" "${RUN_OPTS[@]}" "${PODMAN_EXTRA[@]}" "$IMG" true >/dev/null 2>>"$ERRLOG"; then
    P_PS=0; BROKEN["$R2|podman"]=1; echo "docker create via podman's socket failed" >>"$ERRLOG"
  fi
done
for ((i = 0; i < ROUNDS; i++)); do
  if live "$R2" berth $B_PS; then timed t dockerB ps -a; add "$R2" berth "$t"; fi
  if live "$R2" podman $P_PS; then timed t dockerP ps -a; add "$R2" podman "$t"; fi
done
log "== removing the $PS_COUNT containers through each socket"
removeAll() { # removeAll dockerB|dockerP
  local ids
  ids=$("$1" ps -aq 2>>"$ERRLOG")
  [ -z "$ids" ] || "$1" rm -f $ids >/dev/null 2>>"$ERRLOG" || echo "$1 rm -f failed" >>"$ERRLOG"
}
[ "$BERTH_OK" = 1 ] && removeAll dockerB
[ "$PODMAN_OK" = 1 ] && removeAll dockerP

# ---- 4. the service's idle RSS ----------------------------------------------------------------
R4="service idle RSS (after the rows above, 5 s idle)"
row "$R4" MB podman "value 15"
vmrssKb() { # vmrssKb PID -> KiB, or "fail"
  local kb
  kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null)
  echo "${kb:-fail}"
}
log "== $R4"
sleep 5
for ((i = 0; i < ROUNDS; i++)); do
  [ "$BERTH_OK" = 1 ] && add "$R4" berth "$(vmrssKb "$BERTH_PID")"
  [ "$PODMAN_OK" = 1 ] && add "$R4" podman "$(vmrssKb "$PODMAN_PID")"
  [ $i -lt $((ROUNDS - 1)) ] && sleep 1
done

# ---- 5. STREAM_CLIENTS clients streaming stats and events for STREAM_SECONDS ----------------------
# Half the clients stream /containers/ID/stats (spread over a few running containers), the
# other half /events. The service's CPU is utime+stime from /proc/PID/stat over the window,
# also per slice (ROUNDS equal slices) for the spread. A client that ends before the window
# does, or whose answer is not 200, or a stats client that received no sample, is an error.
R5="$STREAM_CLIENTS clients streaming stats+events, ${STREAM_SECONDS} s: service CPU"
row "$R5" cpu podman "value 5"
TICKS=$(getconf CLK_TCK)
cpuTicks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null; }
declare -A STREAM_ERRORS  # side -> number of clients that failed
declare -A STREAM_TOTAL   # side -> CPU over the whole window, per-mille of a core
streamSide() { # streamSide SIDE SOCK PID DOCKERFN EXTRA...
  local side=$1 sock=$2 pid=$3 dk=$4; shift 4
  local ids=() id i n pids=() dir=$W/streams/$side errors=0
  mkdir -p "$dir"
  for ((i = 0; i < STREAM_CONTAINERS; i++)); do
    id=$("$dk" run -d --name "bench-stream-$i" "${RUN_OPTS[@]}" "$@" "$IMG" sleep 100000 2>>"$ERRLOG") ||
      { echo "$side: docker run -d failed" >>"$ERRLOG"; STREAM_ERRORS[$side]=$STREAM_CLIENTS; return; }
    ids+=("$id")
  done
  sleep 1
  local half=$((STREAM_CLIENTS / 2)) path
  for ((i = 0; i < STREAM_CLIENTS; i++)); do
    if [ $i -lt $half ]; then path=/containers/${ids[$((i % STREAM_CONTAINERS))]}/stats; else path=/events; fi
    curl -sS -N --unix-socket "$sock" -D "$dir/$i.head" -o "$dir/$i.body" "http://d$path" 2>"$dir/$i.err" &
    pids+=($!)
  done
  CLIENT_PIDS=("${pids[@]}")
  sleep 1   # the clients connect; the window starts once they all stream
  local slice=$((STREAM_SECONDS * 1000000 / ROUNDS)) c0 c1 cs t0 t1 ts
  c0=$(cpuTicks "$pid"); t0=${EPOCHREALTIME/./}
  cs=$c0; ts=$t0
  for ((i = 1; i <= ROUNDS; i++)); do
    local deadline=$((t0 + slice * i)) now=${EPOCHREALTIME/./}
    [ $deadline -gt $now ] && sleep "$(awk -v d=$((deadline - now)) 'BEGIN {printf "%.3f", d / 1e6}')"
    c1=$(cpuTicks "$pid"); t1=${EPOCHREALTIME/./}
    if [ -z "$c1" ]; then add "$R5" "$side" fail; echo "$side: the service is gone" >>"$ERRLOG"; break; fi
    add "$R5" "$side" "$(awk -v c=$((c1 - cs)) -v t=$((t1 - ts)) -v hz="$TICKS" 'BEGIN {printf "%.0f", c / hz / (t / 1e6) * 1000}')"
    cs=$c1; ts=$t1
  done
  [ -n "$c1" ] && STREAM_TOTAL[$side]=$(awk -v c=$((c1 - c0)) -v t=$((t1 - t0)) -v hz="$TICKS" \
    'BEGIN {printf "%.0f", c / hz / (t / 1e6) * 1000}')
  for ((i = 0; i < STREAM_CLIENTS; i++)); do
    if ! kill -0 "${pids[$i]}" 2>/dev/null; then
      wait "${pids[$i]}"; n=$?
      errors=$((errors + 1)); echo "$side client $i ended early (exit $n): $(head -c 200 "$dir/$i.err")" >>"$ERRLOG"
    elif ! head -n 1 "$dir/$i.head" | grep -q ' 200'; then
      errors=$((errors + 1)); echo "$side client $i: $(head -n 1 "$dir/$i.head")" >>"$ERRLOG"
    elif [ $i -lt $half ] && ! grep -q '"cpu_stats"' "$dir/$i.body"; then
      errors=$((errors + 1)); echo "$side client $i: no stats sample received" >>"$ERRLOG"
    fi
  done
  for i in "${pids[@]}"; do kill -TERM "$i" 2>/dev/null; done
  for i in "${pids[@]}"; do wait "$i" 2>/dev/null; done
  CLIENT_PIDS=()
  STREAM_ERRORS[$side]=$errors
  "$dk" rm -f "${ids[@]}" >/dev/null 2>>"$ERRLOG"
}
log "== $R5"
[ "$BERTH_OK" = 1 ] && streamSide berth "$BSOCK" "$BERTH_PID" dockerB
if [ "$PODMAN_OK" = 1 ] && [ "$PEER_STREAM" = 1 ]; then
  log "== the same on podman's service"
  streamSide podman "$PSOCK" "$PODMAN_PID" dockerP "${PODMAN_EXTRA[@]}"
fi
LOAD_AFTER=$(loadavg)

# ---- report ---------------------------------------------------------------------------------
fmtValue() { # fmtValue UNIT RAW
  case "$1" in
    ms) awk -v v="$2" 'BEGIN { printf "%.1f", v / 1000 }' ;;
    MB) awk -v v="$2" 'BEGIN { printf "%.1f", v * 1024 / 1e6 }' ;;
    cpu) awk -v v="$2" 'BEGIN { printf "%.1f", v / 10 }' ;;
  esac
}
unitName() { case "$1" in ms) echo ms ;; MB) echo MB ;; cpu) echo "% core" ;; esac; }
ok() { [ -z "${BROKEN["$1|$2"]:-}" ] && [ -n "${SAMPLES["$1|$2"]:-}" ]; }
headline() { # the row's figure for a side: the median, or for the stream the whole window
  if [ "${UNIT["$1"]}" = cpu ] && [ -n "${STREAM_TOTAL[$2]:-}" ]; then echo "${STREAM_TOTAL[$2]}"
  else median "${SAMPLES["$1|$2"]}"; fi
}
cell() { # cell ROW SIDE -> "12.3 ms (11.0-15.2)"
  if ! ok "$1" "$2"; then echo "n/a"; return; fi
  local u=${UNIT["$1"]} lo hi
  read -r lo hi < <(minmax "${SAMPLES["$1|$2"]}")
  echo "$(fmtValue "$u" "$(headline "$1" "$2")") $(unitName "$u") ($(fmtValue "$u" "$lo")-$(fmtValue "$u" "$hi"))"
}
ratio() { # berth/peer of the headline figures
  ok "$1" berth && ok "$1" "$2" || { echo "-"; return; }
  awk -v x="$(headline "$1" berth)" -v y="$(headline "$1" "$2")" 'BEGIN { if (y > 0) printf "%.2fx", x / y; else print "-" }'
}
goalText() {
  local g=${GOAL["$1"]}
  case "$g" in
    "ratio "*) echo "<= ${g#ratio }x ${PEER["$1"]/cli/berth CLI}" ;;
    "value "*) [ "${UNIT["$1"]}" = cpu ] && echo "< ${g#value } % core, 0 errors" || echo "< ${g#value } ${UNIT["$1"]}" ;;
  esac
}
met() {
  local g=${GOAL["$1"]} v
  ok "$1" berth || { echo "not measured"; return; }
  case "$g" in
    "ratio "*)
      ok "$1" "${PEER["$1"]}" || { echo "no peer"; return; }
      awk -v r="$(ratio "$1" "${PEER["$1"]}" | tr -d x)" -v g="${g#ratio }" 'BEGIN { print (r <= g) ? "yes" : "NO" }' ;;
    "value "*)
      v=$(fmtValue "${UNIT["$1"]}" "$(headline "$1" berth)")
      if [ "${UNIT["$1"]}" = cpu ] && [ "${STREAM_ERRORS[berth]:-1}" != 0 ]; then echo "NO (${STREAM_ERRORS[berth]:-?} errors)"; return; fi
      awk -v v="$v" -v g="${g#value }" 'BEGIN { print (v < g) ? "yes" : "NO" }' ;;
  esac
}
peerName() { case "${PEER["$1"]}" in cli) echo "berth CLI" ;; *) echo "${PEER["$1"]}" ;; esac; }

echo
echo "Berth Docker API benchmark, $STARTED, $(uname -r), $(nproc) CPUs"
echo "client: $("$DOCKER" --version 2>/dev/null) ($DOCKER); peer: podman $(podman --version 2>/dev/null | awk '{print $3}')" \
     "system service (runc $(runc --version 2>/dev/null | awk 'NR==1 {print $3}'), cgroupfs, vfs)"
EXTRA_NOTE=""
[ ${#PODMAN_EXTRA[@]} -gt 0 ] && EXTRA_NOTE=" (podman's also ${PODMAN_EXTRA[*]}: its create needs them here)"
echo "medians and spreads (min-max) of $ROUNDS interleaved rounds; every container --network none$EXTRA_NOTE"
echo "stream row: the service's CPU over the whole window, spread over $ROUNDS equal slices;" \
     "$STREAM_CLIENTS clients ($((STREAM_CLIENTS / 2)) stats over $STREAM_CONTAINERS running containers, the rest events)"
[ "$BERTH_OK" = 1 ] || echo "berth: not available: $BERTH_WHY"
[ "$PODMAN_OK" = 1 ] || echo "podman: not available: $PODMAN_WHY"
echo "load average before: $LOAD_BEFORE; after: $LOAD_AFTER"
printf '\n%-54s %-28s %-10s %-28s %-9s %-26s %s\n' benchmark berth peer "" berth/peer goal met?
for r in "${ROWS[@]}"; do
  p=${PEER["$r"]}
  printf '%-54s %-28s %-10s %-28s %-9s %-26s %s\n' "$r" "$(cell "$r" berth)" "$(peerName "$r")" \
    "$(cell "$r" "$p")" "$(ratio "$r" "$p")" "$(goalText "$r")" "$(met "$r")"
done
if ok client docker; then
  read -r lo hi < <(minmax "${SAMPLES["client|docker"]}")
  echo "the docker CLI alone (docker --version, no request; part of every docker row on both sides):" \
       "$(fmtValue ms "$(median "${SAMPLES["client|docker"]}")") ms ($(fmtValue ms "$lo")-$(fmtValue ms "$hi"))"
fi
for side in berth podman; do
  [ -n "${STREAM_ERRORS[$side]:-}" ] && echo "stream clients that failed ($side): ${STREAM_ERRORS[$side]} of $STREAM_CLIENTS"
done
if [ -s "$ERRLOG" ]; then
  echo
  echo "errors (first 20 lines; --keep keeps $ERRLOG):"
  head -n 20 "$ERRLOG" | sed 's/^/  /'
fi
