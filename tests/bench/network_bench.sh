#!/usr/bin/env bash
# Network benchmark (issue 7): `berth run --rm busybox true` on the default bridge network
# against `podman run --rm busybox true` on podman's default network, interleaved round by
# round on the same busybox rootfs; berth with --network none is printed too, so the cost
# of the network set-up itself shows. Medians and ratios. A benchmark, never a timed test.
#
#   network_bench.sh [--berth PATH] [-n ROUNDS] [--keep]
#
# Berth's store gets its own bridge device, subnet and nft table (networks/config.json) so
# the run never touches another store's berth0. Podman: as containers_bench.sh (runc,
# cgroupfs, vfs, its own root in the temporary directory) but WITHOUT --network none.
set -uo pipefail

ROUNDS=${ROUNDS:-10}
BERTH=${BERTH:-}
KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --berth) BERTH=$2; shift 2 ;;
    -n|--rounds) ROUNDS=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "network_bench: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "network_bench: needs root" >&2; exit 1; }
[ -n "$BERTH" ] || BERTH=$(command -v berth)
[ -x "$BERTH" ] || { echo "network_bench: berth not found (--berth PATH)" >&2; exit 1; }

W=$(mktemp -d /tmp/berth-netbench-XXXXXX)
ERRLOG=$W/errors.log
: > "$ERRLOG"
BROOT=$W/berth/root
BRUN=$W/berth/run
HEX=$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
BRIDGE=bb$HEX
TABLE=berth_b$HEX
SUBNET="10.$((250 + RANDOM % 5)).$((RANDOM % 256)).0/24"
PODMAN=(podman --root "$W/podman/root" --runroot "$W/podman/runroot" --tmpdir "$W/podman/tmp"
        --storage-driver vfs --runtime runc --cgroup-manager cgroupfs --events-backend file)
PODMAN_RUN_OPTS=(--ulimit nofile=20000:20000 --ulimit nproc=32768:32768)
PODMAN_IMAGE=localhost/busybox:1

log() { printf '%s\n' "$*" >&2; }
berthCmd() { "$BERTH" --root "$BROOT" --runroot "$BRUN" "$@"; }

cleanup() {
  set +e
  local ids
  ids=$(berthCmd ps -aq 2>>"$ERRLOG")
  [ -n "$ids" ] && berthCmd rm -f $ids >/dev/null 2>>"$ERRLOG"
  "${PODMAN[@]}" rm -af -t 0 >/dev/null 2>>"$ERRLOG"
  # The bridge and table this run made (names unique to it).
  python3 - "$BRIDGE" "$TABLE" <<'PY' 2>>"$ERRLOG"
import ctypes, sys, subprocess
bridge, table = sys.argv[1], sys.argv[2]
try:
    nft = ctypes.CDLL("libnftables.so.1")
    nft.nft_ctx_new.restype = ctypes.c_void_p
    ctx = nft.nft_ctx_new(0)
    nft.nft_run_cmd_from_buffer(ctypes.c_void_p(ctx), f"delete table ip {table}".encode())
    nft.nft_ctx_free(ctypes.c_void_p(ctx))
except OSError:
    pass
PY
  [ -d /sys/class/net/$BRIDGE ] && ip link delete "$BRIDGE" 2>>"$ERRLOG"
  if [ "$KEEP" = 0 ]; then
    umount -R "$W/podman" 2>/dev/null
    rm -rf "$W"
  else
    log "kept $W"
  fi
}
trap cleanup EXIT

# ---- the image: Debian's busybox-static, as containers_bench.sh ------------------------
BUSYBOX=/bin/busybox
[ -x "$BUSYBOX" ] || { log "network_bench: $BUSYBOX missing (apt-get install busybox-static)"; exit 1; }
ROOTFS=$W/rootfs
mkdir -p "$ROOTFS/bin" "$ROOTFS/etc" "$ROOTFS/proc" "$ROOTFS/sys" "$ROOTFS/dev" "$ROOTFS/tmp"
cp "$BUSYBOX" "$ROOTFS/bin/busybox"
for applet in $("$BUSYBOX" --list); do
  [ "$applet" = busybox ] || ln -sf busybox "$ROOTFS/bin/$applet"
done
echo 'root:x:0:0:root:/root:/bin/sh' > "$ROOTFS/etc/passwd"
echo 'root:x:0:' > "$ROOTFS/etc/group"
tar --numeric-owner --owner=0 --group=0 -C "$ROOTFS" -cf "$W/rootfs.tar" .

mkdir -p "$BROOT/networks"
printf '{"bridgeName": "%s", "bridgeSubnet": "%s", "nftTable": "%s"}\n' "$BRIDGE" "$SUBNET" "$TABLE" \
  > "$BROOT/networks/config.json"
berthCmd import "$W/rootfs.tar" busybox:latest >/dev/null 2>>"$ERRLOG" || { log "berth import failed"; cat "$ERRLOG"; exit 1; }
PODMAN_OK=0
if command -v podman >/dev/null && "${PODMAN[@]}" import "$W/rootfs.tar" "$PODMAN_IMAGE" >/dev/null 2>>"$ERRLOG"; then
  if "${PODMAN[@]}" run --rm "${PODMAN_RUN_OPTS[@]}" "$PODMAN_IMAGE" true >/dev/null 2>>"$ERRLOG"; then
    PODMAN_OK=1
  else
    log "podman run on its default network failed (see the error log)"
  fi
fi

# Warm-up: the first berth run creates the bridge and the nft table.
berthCmd run --rm busybox true >/dev/null 2>>"$ERRLOG" || { log "berth run failed"; cat "$ERRLOG"; exit 1; }
berthCmd run --rm --network none busybox true >/dev/null 2>>"$ERRLOG"

ms() {  # runs "$@", prints its wall time in ms (fractional)
  local t0=${EPOCHREALTIME/./}
  "$@" >/dev/null 2>>"$ERRLOG"
  local rc=$?
  local t1=${EPOCHREALTIME/./}
  [ $rc = 0 ] || { echo fail; return; }
  echo "scale=1; ($t1 - $t0) / 1000" | bc
}

B=() ; N=() ; P=()
for ((i = 1; i <= ROUNDS; i++)); do
  B+=("$(ms berthCmd run --rm busybox true)")
  [ "$PODMAN_OK" = 1 ] && P+=("$(ms "${PODMAN[@]}" run --rm "${PODMAN_RUN_OPTS[@]}" "$PODMAN_IMAGE" true)")
  N+=("$(ms berthCmd run --rm --network none busybox true)")
done

median() { printf '%s\n' "$@" | grep -v fail | sort -n | awk '{a[NR]=$1} END {if (NR==0) print "n/a"; else if (NR%2) print a[(NR+1)/2]; else printf "%.1f\n", (a[NR/2]+a[NR/2+1])/2}'; }
MB=$(median "${B[@]}")
MN=$(median "${N[@]}")
echo
echo "network benchmark: $ROUNDS rounds, interleaved (load: $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-48s %10s\n' "case" "median ms"
printf '%-48s %10s\n' "berth run --rm busybox true (bridge)" "$MB"
printf '%-48s %10s\n' "berth run --rm --network none busybox true" "$MN"
if [ "$PODMAN_OK" = 1 ]; then
  MP=$(median "${P[@]}")
  printf '%-48s %10s\n' "podman run --rm busybox true (default network)" "$MP"
  echo
  echo "ratio berth(bridge)/podman: $(echo "scale=3; $MB / $MP" | bc) (target <= 0.1)"
else
  echo "podman: not available (see errors below)"
fi
echo "network set-up cost in berth (bridge - none): $(echo "scale=1; $MB - $MN" | bc) ms"
if [ -s "$ERRLOG" ]; then echo; echo "errors:"; tail -20 "$ERRLOG"; fi
