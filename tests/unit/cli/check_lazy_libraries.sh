#!/usr/bin/env bash
# The berth program loads libarchive, libcurl, libcrypto and libsystemd on first use
# (app/berth/lazy_library.h). An engine function that calls one of their functions missing
# from the shims makes the linker keep the whole library (and what it needs: libxml2, ICU,
# nettle...) in the program's needs, loaded at every start: that is how `berth run --rm`
# lost ~9 ms and 2.7 MiB on 2026-12-07 (archive_entry_perm, archive_entry_set_rdev).
# Fails naming each library that is needed at start and the shim functions that are missing.
# Usage: check_lazy_libraries.sh PATH-TO-berth
set -u
. "$(dirname "$0")/../../support/skip.sh"
berth=${1:?usage: check_lazy_libraries.sh PATH-TO-berth}
for tool in readelf nm; do
  command -v $tool >/dev/null || berth_skip MissingProgram "$tool (binutils) is not installed"
done
needed=$(readelf -d "$berth" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
[ -n "$needed" ] || { echo "FAIL: readelf found no NEEDED entries in $berth"; exit 1; }
bad=0
for lib in libarchive libcurl libcrypto libssl libsystemd; do
  if grep -q "^$lib\.so" <<<"$needed"; then
    bad=1
    echo "FAIL: $berth needs $lib at start; its functions the program calls without a shim:"
    so=$(ldconfig -p | awk -v l="$lib.so" 'index($1, l) == 1 {print $NF; exit}')
    if [ -n "$so" ]; then
      comm -12 <(nm -D --undefined-only "$berth" | awk '{print $2}' | sed 's/@.*//' | sort -u) \
               <(nm -D --defined-only "$so" | awk '{print $3}' | sed 's/@.*//' | sort -u) | sed 's/^/  /'
    fi
  fi
done
[ $bad = 0 ] && echo "ok: $berth loads none of libarchive, libcurl, libcrypto, libssl, libsystemd at start"
exit $bad
