#!/usr/bin/env bash
# installer_demo_image_sh: the demo image installer/demo-image.sh makes has Cmd ["sh"], so
# `berth run --rm -i busybox` with no command runs sh on its stdin; a store holding the
# earlier demo image (imported, no command) gets the new one; a second run changes nothing.
set -uo pipefail
src=${BERTH_SOURCE_DIR:?run through ctest}
berth=${BERTH_CLI:?run through ctest}
. "$src/tests/integration/installer/installer_test.sh"
[ "$(id -u)" -eq 0 ] || berth_skip NeedsRoot "containers as root (run as root)"
[ -x /bin/busybox ] || berth_skip MissingProgram "/bin/busybox (apt-get install busybox-static)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export BERTH_ROOT=$work/store
# The first "Cmd" of `berth image inspect busybox:latest` (Config's), and its "Id".
inspect_compact() { "$berth" image inspect busybox:latest | tr -d ' \n'; }
cmd_of() { grep -o '"Cmd":\(null\|\[[^]]*\]\)' <<<"$(inspect_compact)" | sed -n 1p; }
id_of() { grep -o '"Id":"sha256:[0-9a-f]*"' <<<"$(inspect_compact)" | sed -n 1p; }

# A store with the earlier demo image: imported from a root filesystem, no command.
mkdir -p "$work/old/bin"
cp /bin/busybox "$work/old/bin/busybox"
ln -s busybox "$work/old/bin/sh"
tar -C "$work/old" -cf "$work/old.tar" .
"$berth" import "$work/old.tar" busybox:latest >/dev/null || berth_fail "import of the old demo image"
[ "$(cmd_of)" = '"Cmd":null' ] || berth_fail "the imported image has a command: $(cmd_of)"
old=$(id_of)
[ -n "$old" ] || berth_fail "no image id in berth image inspect"

bash "$src/installer/demo-image.sh" "$berth" || berth_fail "demo-image.sh failed"
[ "$(cmd_of)" = '"Cmd":["sh"]' ] || berth_fail "busybox:latest's command is $(cmd_of), not [\"sh\"]"
id1=$(id_of)
[ "$id1" != "$old" ] || berth_fail "busybox:latest is still the old image"
bash "$src/installer/demo-image.sh" "$berth" || berth_fail "demo-image.sh failed the second time"
[ "$(id_of)" = "$id1" ] || berth_fail "a second demo-image.sh made another image: $(id_of), not $id1"

out=$(printf 'echo "sh says $((6 * 7))"\nexit 3\n' | "$berth" run --rm -i --network none busybox)
rc=$?
[ "$out" = "sh says 42" ] || berth_fail "berth run --rm -i busybox printed '$out', not the shell's 'sh says 42'"
[ $rc -eq 3 ] || berth_fail "berth run --rm -i busybox exited $rc, not the shell's exit 3"
[ -z "$("$berth" ps -aq)" ] || berth_fail "--rm left a container"
echo "PASS: busybox:latest has Cmd [\"sh\"]; berth run --rm -i busybox ran sh on stdin (output and exit code)"
