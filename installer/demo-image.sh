#!/usr/bin/env bash
# Puts the demo image busybox:latest into the default store (or $BERTH_ROOT) when it is not
# there yet: a one-layer image made from Debian's busybox-static, so a new user sees an
# image at once even with no registry in reach.
set -euo pipefail
berth=${1:-berth}
if "$berth" images --format json 2>/dev/null | grep -q '"busybox:latest"'; then
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
tar --numeric-owner --owner=0 --group=0 -C "$work/rootfs" -cf "$work/rootfs.tar" .
"$berth" import "$work/rootfs.tar" busybox:latest
