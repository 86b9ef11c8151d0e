#!/usr/bin/env bash
# Build benchmark (issue 6): `berth build` against `buildah bud --layers`, interleaved round
# by round on the same context: FROM a busybox image, one RUN, and a COPY of ~2,000 files of
# ~1 KiB. Cold = --no-cache (every step runs); cached = a rebuild with nothing changed.
# Prints medians and berth/buildah ratios. A benchmark, never a timed test (root needed).
#
#   build_bench.sh [--berth PATH] [-n ROUNDS] [--files N] [--keep]
#
# buildah gets its own --root/--runroot (vfs storage) in the work directory; the busybox
# image both build FROM is imported from the same root file system tarball (podman import
# into buildah's storage, berth import into berth's store).
set -uo pipefail

ROUNDS=${ROUNDS:-3}
FILES=2000
BERTH=${BERTH:-}
KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --berth) BERTH=$2; shift 2 ;;
    -n|--rounds) ROUNDS=$2; shift 2 ;;
    --files) FILES=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "build_bench: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "build_bench: needs root" >&2; exit 1; }
if [ -z "$BERTH" ]; then
  for c in "$(dirname "$0")"/../../build*/app/berth; do [ -x "$c" ] && BERTH=$c && break; done
fi
[ -x "$BERTH" ] || { echo "build_bench: berth not found (use --berth PATH)" >&2; exit 1; }
export BERTH_MONITOR=${BERTH_MONITOR:-$(dirname "$BERTH")/berth-monitor}

W=$(mktemp -d /tmp/berth-build-bench-XXXXXX)
cleanup() { [ "$KEEP" = 1 ] && echo "kept $W" >&2 || rm -rf "$W"; }
trap cleanup EXIT

# busybox root file system, as the tests' fixture makes it.
R=$W/rootfs
mkdir -p "$R/bin" "$R/etc" "$R/tmp" "$R/proc" "$R/sys" "$R/dev" "$R/root"
cp /bin/busybox "$R/bin/busybox"
for a in $("$R/bin/busybox" --list); do [ "$a" = busybox ] || ln -sf busybox "$R/bin/$a"; done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' > "$R/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$R/etc/group"
tar -C "$R" -cf "$W/rootfs.tar" .

BROOT=$W/berth
"$BERTH" --root "$BROOT" import "$W/rootfs.tar" busybox:latest >/dev/null || exit 1
BUILDAH=(buildah --root "$W/buildah/root" --runroot "$W/buildah/run" --storage-driver vfs)
podman --root "$W/buildah/root" --runroot "$W/buildah/run" --storage-driver vfs \
  import "$W/rootfs.tar" docker.io/library/busybox:latest >/dev/null || exit 1

C=$W/context
mkdir -p "$C/files"
payload=$(head -c 1000 /dev/zero | tr '\0' 'x')
for i in $(seq 1 "$FILES"); do printf '%s %d\n' "$payload" "$i" > "$C/files/f$i.txt"; done
printf 'FROM busybox\nRUN echo hello > /hello\nCOPY files /files\n' > "$C/Dockerfile"

now() { echo "${EPOCHREALTIME/./}"; }
declare -A T
run_timed() {  # name command...
  local name=$1; shift
  local t0; t0=$(now)
  if ! "$@" >>"$W/out.log" 2>&1; then echo "failed: $*" >&2; tail -5 "$W/out.log" >&2; fi
  T[$name]+="$(( $(now) - t0 )) "
}
for r in $(seq 1 "$ROUNDS"); do
  run_timed berth_cold "$BERTH" --root "$BROOT" build --no-cache -q -t bench:1 "$C"
  run_timed buildah_cold "${BUILDAH[@]}" bud --runtime runc --layers --no-cache -q -t bench:1 "$C"
  run_timed berth_cached "$BERTH" --root "$BROOT" build -q -t bench:1 "$C"
  run_timed buildah_cached "${BUILDAH[@]}" bud --runtime runc --layers -q -t bench:1 "$C"
done
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf '%-10s %12s %12s %8s\n' step berth_s buildah_s ratio
for k in cold cached; do
  b=$(echo "${T[berth_$k]}" | median); p=$(echo "${T[buildah_$k]}" | median)
  awk -v k="$k" -v b="$b" -v p="$p" 'BEGIN { printf "%-10s %12.3f %12.3f %8.2f\n", k, b/1e6, p/1e6, (p>0 ? b/p : 0) }'
done
