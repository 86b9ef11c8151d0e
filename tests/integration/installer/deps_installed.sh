#!/usr/bin/env bash
# installer_deps_installed: every name installer/install-deps.sh asks for (with the test
# peers, as `dev.sh test` and .ci/run install them) is a real Debian package that dpkg reports
# installed. A name that is only provided by another package (libqt6charts6-dev was one) is
# never reported installed, so install-deps.sh would run apt on every start: this fails then.
set -uo pipefail
src=${BERTH_SOURCE_DIR:?run through ctest}
. "$src/tests/integration/installer/installer_test.sh"

mapfile -t names < <("$src/installer/install-deps.sh" --print-packages --with-tests)
[ ${#names[@]} -gt 20 ] || berth_fail "install-deps.sh --print-packages printed ${#names[@]} names"
declare -A listed
for p in "${names[@]}"; do listed[$p]=1; done
bad=()
for p in "${names[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
  if [ "$status" != "install ok installed" ]; then
    if [ -n "$(apt-cache show "$p" 2>/dev/null)" ]; then
      bad+=("$p (a real package, not installed: run installer/install-deps.sh --with-tests)")
    else
      bad+=("$p (no such package: only provided by another one, or misspelled)")
    fi
  fi
done
# The fuzzing packages (dev.sh fuzz only; not installed for the tests): real packages too,
# which apt can only say with its package lists (an image without them: not checked, said so).
fuzz_names=$("$src/installer/install-deps.sh" --print-packages --with-fuzz)
if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
  echo "note: the --with-fuzz names are not checked: apt has no package lists (apt-get update)"
  fuzz_names=
fi
while read -r p; do
  [ -n "$p" ] || continue
  [ -n "${listed[$p]:-}" ] && continue
  [[ "$(apt-cache show --no-all-versions "$p" 2>/dev/null)" == *"Package: $p"* ]] ||
    bad+=("$p (--with-fuzz: no such package: only provided by another one, or misspelled)")
done <<<"$fuzz_names"
# The plain list (what `dev.sh run` installs) is part of the full one.
while read -r p; do
  [ -n "${listed[$p]:-}" ] || bad+=("$p (in the plain list but not in --with-tests)")
done < <("$src/installer/install-deps.sh" --print-packages)
if [ ${#bad[@]} -gt 0 ]; then
  printf '  %s\n' "${bad[@]}"
  berth_fail "${#bad[@]} of ${#names[@]} names are not installed Debian packages"
fi
echo "PASS: all ${#names[@]} names install-deps.sh lists are installed Debian packages"
