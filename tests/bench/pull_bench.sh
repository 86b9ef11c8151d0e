#!/usr/bin/env bash
# Pull benchmark (issue 4): a ~175 MB (compressed), 5-layer, ~30,000-file image made from
# local data is pushed with skopeo to a local docker-registry; then interleaved rounds of
#   berth pull        into an empty store (download + verify + extract)
#   podman pull       into an empty temp store (vfs driver)
#   skopeo copy       into an OCI directory (download only, no extraction)
# and the medians and ratios are printed. Never a ctest test.
#
# usage: tests/bench/pull_bench.sh [--berth PATH] [--rounds N] [--keep]
set -euo pipefail

berth=berth
rounds=3
keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --berth) berth=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
for p in docker-registry skopeo podman python3; do
  command -v "$p" >/dev/null || { echo "pull_bench: $p is needed" >&2; exit 1; }
done
berth=$(command -v "$berth" || echo "$berth")
[ -x "$berth" ] || { echo "pull_bench: berth not found ($berth)" >&2; exit 1; }

work=$(mktemp -d /var/tmp/berth-pull-bench.XXXXXX)
regpid=
cleanup() {
  [ -n "$regpid" ] && kill "$regpid" 2>/dev/null && wait "$regpid" 2>/dev/null || true
  if [ "$keep" = 0 ]; then rm -rf "$work"; else echo "kept $work"; fi
}
trap cleanup EXIT

echo "== building the test image in $work/oci (5 layers, ~30,000 files)"
python3 - "$work/oci" <<'PY'
import gzip, hashlib, io, json, os, random, sys, tarfile, time
out = sys.argv[1]
os.makedirs(out + "/blobs/sha256", exist_ok=True)
rnd = random.Random(4)
share = []
for base, dirs, files in os.walk("/usr/share/doc"):
    for f in files:
        p = os.path.join(base, f)
        if os.path.isfile(p) and not os.path.islink(p) and os.path.getsize(p) < 64 * 1024:
            share.append(p)
        if len(share) >= 6000:
            break
    if len(share) >= 6000:
        break

def blob(data):
    h = hashlib.sha256(data).hexdigest()
    with open(f"{out}/blobs/sha256/{h}", "wb") as f:
        f.write(data)
    return "sha256:" + h, len(data)

layers, diffs = [], []
for n in range(5):
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as t:
        for d in range(60):
            ti = tarfile.TarInfo(f"layer{n}/d{d:02}")
            ti.type = tarfile.DIRTYPE
            ti.mode = 0o755
            t.addfile(ti)
        for i in range(6000):
            if n == 4 and i < len(share):   # one layer of real (compressible) files
                data = open(share[i], "rb").read()
            else:
                data = rnd.randbytes(rnd.randint(1024, 11 * 1024))
            ti = tarfile.TarInfo(f"layer{n}/d{i % 60:02}/f{i:05}")
            ti.size = len(data)
            ti.mode = 0o644
            ti.mtime = 1700000000
            t.addfile(ti, io.BytesIO(data))
    tarbytes = raw.getvalue()
    diffs.append("sha256:" + hashlib.sha256(tarbytes).hexdigest())
    gz = gzip.compress(tarbytes, compresslevel=1, mtime=0)
    d, s = blob(gz)
    layers.append({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": d, "size": s})
config = {"architecture": "amd64", "os": "linux", "created": "2024-01-01T00:00:00Z",
          "config": {"Cmd": ["/bin/sh"]},
          "rootfs": {"type": "layers", "diff_ids": diffs},
          "history": [{"created": "2024-01-01T00:00:00Z", "created_by": f"layer {i}"} for i in range(5)]}
cd, cs = blob(json.dumps(config).encode())
manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cd, "size": cs},
            "layers": layers}
md, ms = blob(json.dumps(manifest).encode())
json.dump({"schemaVersion": 2, "manifests": [{"mediaType": manifest["mediaType"], "digest": md, "size": ms,
           "annotations": {"org.opencontainers.image.ref.name": "big"}}]}, open(out + "/index.json", "w"))
json.dump({"imageLayoutVersion": "1.0.0"}, open(out + "/oci-layout", "w"))
print(f"   compressed: {sum(l['size'] for l in layers) / 1e6:.1f} MB in {len(layers)} layers")
PY

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$work/registry"
cat > "$work/registry/config.yml" <<EOF
version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: $work/registry/data
http:
  addr: 127.0.0.1:$port
EOF
docker-registry serve "$work/registry/config.yml" >"$work/registry/log" 2>&1 &
regpid=$!
for _ in $(seq 50); do
  curl -fs "http://127.0.0.1:$port/v2/" >/dev/null 2>&1 && break
  sleep 0.1
done
ref="127.0.0.1:$port/bench/big:1"
echo "== pushing with skopeo to $ref"
skopeo copy --quiet --dest-tls-verify=false "oci:$work/oci:big" "docker://$ref"

now() { date +%s.%N; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
# Every run writes into its own fresh directory and nothing is deleted until all rounds
# are done: on ext4 without a journal (this project's VM) the inode allocator skips, one
# by one on every create, inodes freed in the last 30-60 s, so a run that follows a mass
# delete (the previous tool's output) pays several times the kernel time per file. All
# three tools are measured the same way.
echo "== load average before: $(loadavg)"
declare -a t_berth t_podman t_skopeo
for r in $(seq "$rounds"); do
  sync
  s=$(now); "$berth" --root "$work/b$r" pull -q "$ref" >/dev/null; e=$(now)
  t_berth+=("$(echo "$e - $s" | bc)")
  files=$(find "$work/b$r/layers" -type f | wc -l)

  sync
  s=$(now)
  podman --root "$work/p$r/root" --runroot "$work/p$r/run" --storage-driver vfs pull -q --tls-verify=false "docker://$ref" >/dev/null
  e=$(now)
  t_podman+=("$(echo "$e - $s" | bc)")

  sync
  s=$(now); skopeo copy --quiet --src-tls-verify=false "docker://$ref" "oci:$work/s$r:x"; e=$(now)
  t_skopeo+=("$(echo "$e - $s" | bc)")
  printf 'round %d: berth %.2fs  podman %.2fs  skopeo %.2fs  (berth extracted %d files; load %s)\n' \
    "$r" "${t_berth[-1]}" "${t_podman[-1]}" "${t_skopeo[-1]}" "$files" "$(loadavg)"
done
echo "== load average after: $(loadavg)"

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
mb=$(median "${t_berth[@]}"); mp=$(median "${t_podman[@]}"); ms=$(median "${t_skopeo[@]}")
echo
printf 'median  berth pull          %.2fs\n' "$mb"
printf 'median  podman pull (vfs)   %.2fs\n' "$mp"
printf 'median  skopeo copy (oci)   %.2fs  (download only)\n' "$ms"
printf 'ratio   berth/podman        %.2fx  (target <= 0.30x)\n' "$(echo "$mb / $mp" | bc -l)"
printf 'ratio   berth/skopeo        %.2fx  (target <= 3x)\n' "$(echo "$mb / $ms" | bc -l)"
