#!/bin/sh
# The front door (issue 16): ui/, app/berth, app/berth-desktop and engine/dockerapi include
# nothing of the engine but its public headers, engine/include/berth/*.h. A quoted include
# must name one of those, the Docker API service's berth/docker_api_service.h
# (engine/dockerapi/include), or a file
# beside the including one (app/berth-desktop: or one of ui/); anything else (an internal engine header such as "container/container_service.h")
# fails with the file and the line.
# Usage: check_includes.sh SOURCE_DIR
src=${1:?usage: check_includes.sh SOURCE_DIR}
status=0
failures=$(mktemp) || exit 1
for dir in ui app/berth app/berth-desktop engine/dockerapi; do
    [ -d "$src/$dir" ] || continue
    for file in $(find "$src/$dir" -name '*.h' -o -name '*.cpp'); do
        grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]+"' "$file" | while IFS= read -r hit; do
            line=${hit%%:*}
            name=$(printf '%s\n' "$hit" | sed -E 's/^[0-9]+:[[:space:]]*#[[:space:]]*include[[:space:]]+"([^"]+)".*/\1/')
            case "$name" in
            # engine/include/berth, or the Docker API service's public header
            # (engine/dockerapi/include/berth/docker_api_service.h)
            berth/*) { [ -f "$src/engine/include/$name" ] || [ -f "$src/engine/dockerapi/include/$name" ]; } && continue ;;
            *) [ -f "$(dirname "$file")/$name" ] && continue
               # the desktop's main() wires the window: ui/'s own headers are its to use
               [ "$dir" = app/berth-desktop ] && [ -f "$src/ui/$name" ] && continue ;;
            esac
            echo "${file#$src/}:$line: #include \"$name\" is not a public engine header (engine/include/berth/) nor a file beside it"
            echo x >&3
        done 3>>"$failures"
    done
done
if [ -s "$failures" ]; then status=1; fi
rm -f "$failures"
[ $status -eq 0 ] && echo "front door: ui/, app/berth, app/berth-desktop and engine/dockerapi include only berth/ headers"
exit $status
