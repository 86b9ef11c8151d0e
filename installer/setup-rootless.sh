#!/usr/bin/env bash
# Prepares a user for rootless Berth: subordinate uid/gid ranges in /etc/subuid and
# /etc/subgid (what newuidmap/newgidmap map into containers), added with usermod when the
# user has none. Run with sudo: the user is $SUDO_USER, or the first argument.
#   sudo installer/setup-rootless.sh            # for the user who ran sudo
#   sudo installer/setup-rootless.sh alice      # for alice
# Without root it only explains what is missing and the command that fixes it.
set -euo pipefail

user="${1:-${SUDO_USER:-}}"
if [ -z "$user" ] || [ "$user" = root ]; then
  echo "setup-rootless: name the user (sudo $0 USER); root itself needs no ranges" >&2
  exit 2
fi
if ! id "$user" >/dev/null 2>&1; then
  echo "setup-rootless: no such user: $user" >&2
  exit 2
fi
uid="$(id -u "$user")"

has_range() {  # file
  [ -r "$1" ] && grep -qE "^(${user}|${uid}):[0-9]+:[0-9]+" "$1"
}

# The first 65536-id block above every range already given out, so ranges never overlap.
next_start() {
  local top=100000
  for f in /etc/subuid /etc/subgid; do
    [ -r "$f" ] || continue
    while IFS=: read -r _ start count; do
      [[ "$start" =~ ^[0-9]+$ && "$count" =~ ^[0-9]+$ ]] || continue
      [ $((start + count)) -gt "$top" ] && top=$((start + count))
    done < "$f"
  done
  echo "$top"
}

missing=()
has_range /etc/subuid || missing+=(uid)
has_range /etc/subgid || missing+=(gid)
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup-rootless: $user already has subordinate uid and gid ranges"
else
  start="$(next_start)"
  end=$((start + 65535))
  args=()
  for kind in "${missing[@]}"; do args+=("--add-sub${kind}s" "${start}-${end}"); done
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup-rootless: $user has no subordinate ${missing[*]} range; without one, Berth runs"
    echo "containers in a single-id user namespace (only uid 0 inside). To add one, run:"
    echo "  sudo usermod ${args[*]} $user"
    exit 1
  fi
  usermod "${args[@]}" "$user"
  echo "setup-rootless: gave $user subordinate ${missing[*]} ids ${start}-${end}"
fi

# Things an administrator may want to know; Berth works without them, with less.
command -v newuidmap >/dev/null || echo "setup-rootless: newuidmap is missing: apt-get install uidmap"
command -v pasta >/dev/null || command -v slirp4netns >/dev/null ||
  echo "setup-rootless: no pasta/slirp4netns: containers get loopback only (apt-get install passt)"
if [ -e /dev/net/tun ] && [ "$(stat -c %a /dev/net/tun)" != 666 ]; then
  echo "setup-rootless: /dev/net/tun is mode $(stat -c %a /dev/net/tun): rootless networking needs 0666 (Debian's default)"
fi
start_port="$(cat /proc/sys/net/ipv4/ip_unprivileged_port_start 2>/dev/null || echo 1024)"
echo "setup-rootless: ports from ${start_port} up can be published (net.ipv4.ip_unprivileged_port_start)"
