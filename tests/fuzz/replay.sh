#!/bin/sh
# fuzz_replay_<name> in a BERTH_FUZZ build: runs a libFuzzer program over the directories
# that exist (regressions/<name>/ appears with the first crash) and stops (-runs=0).
exe=$1
shift
for d in "$@"; do
  [ -d "$d" ] && set -- "$@" "$d"
  shift
done
exec "$exe" -runs=0 "$@"
