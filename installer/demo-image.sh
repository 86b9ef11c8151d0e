#!/usr/bin/env bash
# Puts the demo image busybox:latest into the default store (or $BERTH_ROOT) when it is not
# there yet: a one-layer image made from Debian's busybox-static, so a new user sees an
# image at once even with no registry in reach. Like the busybox image users know, its
# command is `sh` (Cmd ["sh"]): `berth run -it busybox` starts a shell.
# The image goes in as a `docker save` archive (`berth load`), the form that carries a
# config; `berth import` makes images without a command.
set -euo pipefail
berth=${1:-berth}
# busybox:latest with a command (this script's, or a busybox the user pulled) is left alone.
# One with no command is an earlier demo image (made by `berth import`): it is replaced, its
# tag moving to the new image.
if inspect=$("$berth" image inspect busybox:latest 2>/dev/null) &&
   [[ "$(tr -d ' \n' <<<"$inspect")" == *'"Cmd":['* ]]; then
  exit 0
fi
bb=/bin/busybox
[ -x "$bb" ] || { echo "demo-image: $bb missing (apt-get install busybox-static)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/rootfs/bin" "$work/rootfs/etc" "$work/rootfs/tmp" "$work/rootfs/root" \
         "$work/rootfs/var/www" "$work/rootfs/proc" "$work/rootfs/sys" "$work/rootfs/dev"
cp "$bb" "$work/rootfs/bin/busybox"
for applet in $("$bb" --list); do
  [ "$applet" = busybox ] || ln -sf busybox "$work/rootfs/bin/$applet"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$work/rootfs/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$work/rootfs/etc/group"
printf '<h1>Hello from Berth</h1>\n' > "$work/rootfs/var/www/index.html"
chmod 1777 "$work/rootfs/tmp"

# The docker-archive: manifest.json, the config named by its digest, the layer as a plain tar.
mkdir "$work/archive"
tar --numeric-owner --owner=0 --group=0 -C "$work/rootfs" -cf "$work/archive/layer.tar" .
diff_id=$(sha256sum "$work/archive/layer.tar" | cut -d' ' -f1)
case "$(uname -m)" in
  x86_64) arch=amd64 ;;
  aarch64) arch=arm64 ;;
  armv*) arch=arm ;;
  i?86) arch=386 ;;
  *) arch=$(uname -m) ;;
esac
created=$(date -u +%Y-%m-%dT%H:%M:%SZ)
printf '{"architecture":"%s","os":"linux","created":"%s","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]},"history":[{"created":"%s","created_by":"installer/demo-image.sh: busybox-static"}]}' \
  "$arch" "$created" "$diff_id" "$created" > "$work/config.json"
config_id=$(sha256sum "$work/config.json" | cut -d' ' -f1)
mv "$work/config.json" "$work/archive/$config_id.json"
printf '[{"Config":"%s.json","RepoTags":["busybox:latest"],"Layers":["layer.tar"]}]' "$config_id" \
  > "$work/archive/manifest.json"
tar -C "$work/archive" -cf "$work/busybox.tar" manifest.json "$config_id.json" layer.tar
"$berth" load -q -i "$work/busybox.tar" >/dev/null
