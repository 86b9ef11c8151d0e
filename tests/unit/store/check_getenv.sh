#!/bin/sh
# Settings resolved once (issue 16): engine/ and berth-monitor read their environment in one
# place, sys/engine_settings.cpp (resolveEngineSettings, the table of variables). Any other
# getenv/secure_getenv in engine/ or app/berth-monitor fails with the file and line, except
# the reads that are not settings and must happen at the moment of use (engine/README.md,
# "Settings"):
#   container/container_service.cpp   -e KEY: the caller's value at create (docker's rule)
#   container/container_options.cpp   --env-file's bare KEY: likewise
#   runtime/rootless_network.cpp      PATH, to look pasta/slirp4netns up
#   dockerapi/                        a client of the front door (public headers only, like ui/ and
#                                     app/berth): its socket's default place, its temporary files
# Usage: check_getenv.sh SOURCE_DIR
src=${1:?usage: check_getenv.sh SOURCE_DIR}
hits=$(grep -rnE '(secure_)?getenv[[:space:]]*\(' "$src/engine" "$src/app/berth-monitor" --include='*.cpp' --include='*.h' |
    grep -vE '^[^:]+:[0-9]+:[[:space:]]*//' |
    grep -vE "^$src/engine/sys/engine_settings\.(cpp|h):" |
    grep -vE "^$src/engine/container/container_service\.cpp:.*getenv\(kv\.c_str\(\)\)" |
    grep -vE "^$src/engine/container/container_options\.cpp:.*getenv\(std::string\(key\)\.c_str\(\)\)" |
    grep -vE "^$src/engine/runtime/rootless_network\.cpp:.*getenv\(\"PATH\"\)" |
    grep -vE "^$src/engine/dockerapi/")
if [ -n "$hits" ]; then
    printf '%s\n' "$hits" | sed "s|^$src/||; s|\$|: read the setting from EngineSettings (sys/engine_settings.h) instead|"
    exit 1
fi
echo "settings: engine/ and berth-monitor read the environment only in sys/engine_settings.cpp (and the reads listed here)"
