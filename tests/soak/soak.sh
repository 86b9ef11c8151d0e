#!/usr/bin/env bash
# Soak: many container lives while kill -9 lands on random berth CLIs and monitors, then a
# count of everything that could leak. Root only; not part of CI (it takes ~half an hour).
#   tests/soak/soak.sh [--runs 1000] [--detached 200] [--workers 4] [--berth build/app/berth]
#                      [--kill-ms 300] [--killers 1] [--keep]
# Uses a store of its own under /var/tmp and a bridge (berthsoak0, 10.213.0.0/16) and nft
# table (berthsoak) of its own, so the figures are this run's only, whatever else runs on
# the machine. Phase 1: --runs `run --rm` (every 5th publishes a port, every 7th has no
# network); phase 2: --detached `run -d` then `rm -f` each. Each of --killers killers picks,
# every 0..2x--kill-ms, one random berth or berth-monitor process of this store and SIGKILLs
# it (a kill counted can land on a process that was already exiting).
# Afterwards every container left behind is removed with `rm -f` (that is the recovery a
# user has), and leftovers are counted: containers, processes, mounts, cgroups, veths, nft
# elements, leases, open fds into the store, scratch dirs; then `berth system check`.
# Exit 0 when nothing leaked.
set -uo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
runs=1000 detached=200 workers=4 killms=300 killers=1 keep=0
berth=${BERTH_CLI:-$here/build/app/berth}
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --detached) detached=$2; shift 2 ;;
    --workers) workers=$2; shift 2 ;;
    --berth) berth=$2; shift 2 ;;
    --kill-ms) killms=$2; shift 2 ;;
    --killers) killers=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "usage: $0 [--runs N] [--detached N] [--workers N] [--berth PATH] [--kill-ms MS] [--killers N] [--keep]" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" -eq 0 ] || { echo "soak: needs root" >&2; exit 77; }
berth=$(readlink -f "$berth")
[ -x "$berth" ] || { echo "soak: no berth at $berth (build first)" >&2; exit 2; }
export BERTH_MONITOR=${BERTH_MONITOR:-$(dirname "$berth")/berth-monitor}

root=$(mktemp -d /var/tmp/berth-soak.XXXXXX)
export BERTH_ROOT=$root
bridge=berthsoak0 table=berthsoak
mkdir -p "$root/networks" "$root/soak"
cat >"$root/networks/config.json" <<JSON
{"bridgeName": "$bridge", "bridgeSubnet": "10.213.0.0/16", "pool": "10.214.0.0/16",
 "poolPrefix": 24, "nftTable": "$table"}
JSON
log=$root/soak/log
b() { "$berth" --root "$root" "$@"; }
say() { echo "[$(date +%T)] $*"; }
# nft through libnftables (what the engine uses; the nft program need not be installed),
# JSON out.
nft_run() {
  python3 - "$1" <<'PY'
import ctypes, sys
lib = ctypes.CDLL("libnftables.so.1")
lib.nft_ctx_new.restype = ctypes.c_void_p
for f in ("nft_ctx_buffer_output", "nft_ctx_buffer_error"):
    getattr(lib, f).argtypes = [ctypes.c_void_p]
lib.nft_ctx_output_set_flags.argtypes = [ctypes.c_void_p, ctypes.c_uint]
lib.nft_run_cmd_from_buffer.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
lib.nft_ctx_get_output_buffer.argtypes = [ctypes.c_void_p]
lib.nft_ctx_get_output_buffer.restype = ctypes.c_char_p
ctx = lib.nft_ctx_new(0)
lib.nft_ctx_buffer_output(ctx)
lib.nft_ctx_buffer_error(ctx)
lib.nft_ctx_output_set_flags(ctx, 1 << 4)  # NFT_CTX_OUTPUT_JSON
rc = lib.nft_run_cmd_from_buffer(ctx, sys.argv[1].encode())
sys.stdout.write((lib.nft_ctx_get_output_buffer(ctx) or b"").decode())
sys.exit(1 if rc else 0)
PY
}

say "store $root, berth $berth"
"$here/installer/demo-image.sh" "$berth" >/dev/null || { echo "soak: cannot make the busybox image" >&2; exit 1; }
b run --rm busybox true || { echo "soak: a plain run fails before any kill" >&2; exit 1; }

# Our processes: berth or berth-monitor whose command line names this store.
# (pgrep: one pass over /proc; a loop of readlinks in bash took seconds on a busy machine,
# and the CLIs were gone before the killer chose one.)
our_pids() {
  local p exe
  for p in $(pgrep -f -- "--root $root( |\$)"); do
    exe=$(readlink "/proc/$p/exe" 2>/dev/null) || continue
    case "$exe" in */berth|*/berth-monitor) echo "$p" ;; esac
  done
}

killer() {
  local n=0 pid exe
  while [ ! -e "$root/soak/stop" ]; do
    sleep "0.$(printf '%03d' $((RANDOM % (2 * killms) % 1000)))"
    ls "$root/containers" >>"$root/soak/seen" 2>/dev/null  # ids, also of creates cut short
    mapfile -t pids < <(our_pids)
    [ ${#pids[@]} -gt 0 ] || continue
    pid=${pids[$((RANDOM % ${#pids[@]}))]}
    exe=$(readlink "/proc/$pid/exe" 2>/dev/null) || continue
    kill -9 "$pid" 2>/dev/null && echo "${exe##*/}" >>"$root/soak/kills"
  done
}

count_exit() { echo "$1" >>"$root/soak/exits.$2"; }

run_worker() {
  local w=$1 i rc args
  for ((i = w; i < runs; i += workers)); do
    args=()
    ((i % 5 == 0)) && args+=(-p 127.0.0.1::8080)
    ((i % 7 == 0)) && args+=(--network none)
    b run --rm "${args[@]}" busybox true >>"$log" 2>&1
    rc=$?
    count_exit "$rc" run
  done
}

detached_worker() {
  local w=$1 i rc
  for ((i = w; i < detached; i += workers)); do
    b run -d --name "soak$i" busybox sleep 600 >>"$log" 2>&1
    count_exit $? detached
  done
}

remove_worker() {
  local w=$1 i
  for ((i = w; i < detached; i += workers)); do
    b rm -f "soak$i" >>"$log" 2>&1
    count_exit $? rm
  done
}

phase() {
  local what=$1 t0=$SECONDS
  shift
  workers_pids=()
  for ((w = 0; w < workers; ++w)); do
    "$@" "$w" &
    workers_pids+=($!)
  done
  wait "${workers_pids[@]}"
  say "$what done in $((SECONDS - t0)) s"
}

summary_exits() {
  [ -f "$root/soak/exits.$1" ] || { echo "none"; return; }
  sort "$root/soak/exits.$1" | uniq -c | awk '{printf "%s×exit %s  ", $1, $2}'
}

killer_pids=()
for ((k = 0; k < killers; ++k)); do
  killer &
  killer_pids+=($!)
done
start=$SECONDS
phase "phase 1: $runs run --rm" run_worker
phase "phase 2a: $detached run -d" detached_worker
# fds per monitor while the detached containers run
fdcounts=$(for p in $(our_pids); do
  [ "$(readlink "/proc/$p/exe")" = "$BERTH_MONITOR" ] && ls "/proc/$p/fd" 2>/dev/null | wc -l
done | sort -n | uniq -c | awk '{printf "%s monitors with %s fds; ", $1, $2}')
phase "phase 2b: $detached rm -f" remove_worker
touch "$root/soak/stop"
wait "${killer_pids[@]}"
say "kills: $(sort "$root/soak/kills" 2>/dev/null | uniq -c | awk '{printf "%s %s  ", $1, $2}')"
say "run --rm exits: $(summary_exits run)"
say "run -d exits: $(summary_exits detached)"
say "rm -f exits: $(summary_exits rm)"
say "while $detached ran: ${fdcounts:-no monitors}"

# Recovery: what a user would do. Monitors of --rm containers still finishing get a moment.
sleep 5
left=$(b ps -a -q | wc -l)
say "containers left behind by the kills: $left; removing them with rm -f"
b ps -a -q | xargs -r "$berth" --root "$root" rm -f >>"$log" 2>&1
sleep 2

ids=$( (python3 -c '
import json, sys
for line in open(sys.argv[1]):
    try:
        e = json.loads(line)
    except ValueError:
        continue
    if e.get("type") == "container":
        print(e.get("id", ""))' "$root/events.jsonl"; cat "$root/soak/seen" 2>/dev/null) | grep -E '^[0-9a-f]{64}$' | sort -u)
nids=$(echo "$ids" | grep -c . || true)
leaks=0
report() {  # name count detail
  printf '  %-34s %s%s\n' "$1" "$2" "${3:+  ($3)}"
  [ "$2" = 0 ] || leaks=$((leaks + 1))
}
say "after $((SECONDS - start)) s, $nids containers made:"
report "containers in the store" "$(b ps -a -q | wc -l)"
report "berth/berth-monitor processes" "$(our_pids | wc -l)"
cg=0 cgprocs=0
for id in $ids; do
  for d in /sys/fs/cgroup/*/berth/"$id" /sys/fs/cgroup/berth/"$id"; do
    [ -d "$d" ] || continue
    cg=$((cg + 1))
    [ -s "$d/cgroup.procs" ] && cgprocs=$((cgprocs + $(wc -l <"$d/cgroup.procs")))
  done
done
report "cgroups of these containers" "$cg"
report "processes in those cgroups" "$cgprocs"
report "mounts naming the store" "$(grep -cF -- "$root" /proc/self/mountinfo)"
report "veths on $bridge" "$(ip -o link show master "$bridge" 2>/dev/null | wc -l)"
elems=$(nft_run "list table ip $table" | python3 -c '
import json, sys
n = 0
for o in json.load(sys.stdin)["nftables"]:
    for kind in ("set", "map"):
        # nat_nets, bridges, internal_bridges: one entry per network, not per container.
        if kind in o and o[kind]["name"] not in ("nat_nets", "bridges", "internal_bridges"):
            n += len(o[kind].get("elem", []))
print(n)' 2>/dev/null || echo "?")
report "nft port map/set elements" "$elems"
report "leases in /run/berth-leases/$bridge" "$(find "/run/berth-leases/$bridge" -type f 2>/dev/null | grep -vc '/\.' || true)"
report "endpoint files" "$(find "$root/run/networks/endpoints" -type f 2>/dev/null | wc -l)"
openfds=$(for p in /proc/[0-9]*; do ls -l "$p/fd" 2>/dev/null; done | grep -cF -- "$root/" || true)
report "open fds into the store" "$openfds"
report "container dirs" "$(find "$root/containers" "$root/run/containers" -mindepth 1 -maxdepth 1 ! -name '.*' 2>/dev/null | wc -l)"
report "container names" "$(find "$root/containers/.names" -mindepth 1 2>/dev/null | wc -l)"
report "scratch entries in tmp/" "$(find "$root/tmp" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)"
report "layers but the image's" "$(( $(find "$root/layers" -mindepth 1 -maxdepth 1 -type d | wc -l) - 1 ))"
check=$(b system check 2>&1)
crc=$?
report "berth system check problems" "$crc" "$(echo "$check" | tail -1)"

if [ $keep -eq 0 ] && [ $leaks -eq 0 ]; then
  ip link del "$bridge" 2>/dev/null
  nft_run "delete table ip $table" >/dev/null
  rm -rf "/run/berth-leases/$bridge"
  rm -rf "$root"
else
  say "kept $root (log: $log)"
fi
[ $leaks -eq 0 ] && say "nothing leaked" || say "$leaks kinds of leftovers"
exit $((leaks > 0))
