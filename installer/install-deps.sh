#!/usr/bin/env bash
# Installs everything Berth needs to build, run and test on Debian 12 (bookworm).
# Idempotent: when every package is installed already it does not run apt at all.
#   install-deps.sh [--with-tests] [--with-fuzz]     install what is missing
#   install-deps.sh --print-packages [--with-tests] [--with-fuzz]   print the names, one a line
# Every name must be a real Debian package (not a name another package only provides):
# dpkg only ever reports real packages as installed (test: installer_deps_installed).
set -euo pipefail

with_tests=
with_fuzz=
print_only=
for arg in "$@"; do
  case "$arg" in
    --with-tests) with_tests=1 ;;
    --with-fuzz) with_fuzz=1 ;;
    --print-packages) print_only=1 ;;
    *) echo "usage: $0 [--print-packages] [--with-tests] [--with-fuzz]" >&2; exit 2 ;;
  esac
done

if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi

build_pkgs=(
  build-essential cmake ninja-build ccache pkg-config git file
  qt6-base-dev qt6-base-dev-tools qt6-charts-dev qt6-svg-dev libqt6opengl6-dev libxkbcommon-dev
  qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n libgl-dev
  libgit2-dev nlohmann-json3-dev libseccomp-dev libarchive-dev libcurl4-openssl-dev
  libssl-dev libcli11-dev libspdlog-dev libfmt-dev libyaml-cpp-dev libzstd-dev
  # the desktop's Terminal tab: libvterm, the terminal emulator library Neovim uses
  libvterm-dev
  zlib1g-dev libcap-dev libnl-3-dev libnl-route-3-dev libnftables-dev
  # rootless mode: systemd user scopes over D-Bus (sd-bus)
  libsystemd-dev
  # the Docker Engine API service: HTTP by Boost.Beast (header-only)
  libboost-dev
)
runtime_pkgs=(
  busybox-static iproute2 uidmap
  # rootless mode: user-space networking (pasta, slirp4netns), overlay fallback
  passt slirp4netns fuse-overlayfs
)
test_pkgs=(
  podman skopeo docker-registry apache2-utils runc crun buildah umoci
  xvfb xauth imagemagick dpkg-dev
  # the package test: desktop-file-validate on the .desktop file
  desktop-file-utils
  # rootless scope tests: a private session bus with a stand-in systemd on it
  dbus-daemon
  # Docker API tests: the real clients (docker.io for its CLI only: dockerd is never started)
  docker.io python3-docker docker-compose
)

# installer/dev.sh fuzz: libFuzzer and the sanitizer runtimes of clang 16, the Debian 12
# clang that can compile GCC 12's <expected> (cmake/Instrumentation.cmake says why).
# llvm-16 brings llvm-symbolizer, which turns the addresses of a crash report into lines.
fuzz_pkgs=(clang-16 libclang-rt-16-dev llvm-16)

want=("${build_pkgs[@]}" "${runtime_pkgs[@]}")
if [ -n "$with_tests" ]; then
  want+=("${test_pkgs[@]}")
fi
if [ -n "$with_fuzz" ]; then
  want+=("${fuzz_pkgs[@]}")
fi
if [ -n "$print_only" ]; then
  printf '%s\n' "${want[@]}"
  exit 0
fi

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "berth: installing ${#missing[@]} Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # docker.io would start dockerd and containerd: a policy-rc.d that refuses every start
  # (unless the machine has one already) keeps them stopped; they stay disabled after.
  added_policy=
  if [[ " ${missing[*]} " == *" docker.io "* ]] && [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod 755 /usr/sbin/policy-rc.d
    added_policy=1
    trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
  if [[ " ${missing[*]} " == *" docker.io "* ]] && command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
    $SUDO systemctl disable --now docker.socket docker.service containerd.service >/dev/null 2>&1 || true
  fi
  if [ -n "$added_policy" ]; then $SUDO rm -f /usr/sbin/policy-rc.d; trap - EXIT; fi
fi

# Rootless mode for the user who ran this through sudo: subordinate id ranges.
if [ -n "${SUDO_USER:-}" ] && [ "${SUDO_USER}" != root ] && [ "$(id -u)" -eq 0 ]; then
  "$(dirname "$0")/setup-rootless.sh" "$SUDO_USER" || true
fi
