#pragma once
// A container's mounts as the user asks for them: `-v`, `--mount` and their docker
// syntax, parsed into MountRequest. Parsing only looks at the text; whether a bind
// source exists or a volume must be created is decided when the container is created.

#include "sys/error.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace berth::container {

struct MountRequest {
    enum class Type { Bind, Volume, Tmpfs };
    Type type = Type::Volume;
    std::string source;  // bind: absolute host path; volume: name ("" = anonymous until create names it)
    std::string target;  // absolute path in the container, normalised
    bool readOnly = false;
    bool anonymous = false;  // volume made for this container: `rm -v` removes it
    bool noCopy = false;     // volume-nocopy / -v ...:nocopy: don't fill it from the image
    int64_t tmpfsSize = 0;   // bytes; 0 = the kernel's default (half the RAM)
    uint32_t tmpfsMode = 0;  // 0 = 1777
    bool operator==(const MountRequest&) const = default;
};

const char* mountTypeName(MountRequest::Type type);  // "bind", "volume", "tmpfs"

// -v/--volume: "NAME:/ctr[:opts]", "/host:/ctr[:opts]", "/ctr[:opts]" (anonymous); opts is a
// comma list of ro, rw, nocopy, z, Z, rprivate, private.
Result<MountRequest> parseVolumeSpec(std::string_view text);
// --mount: "type=bind|volume|tmpfs,source=...,target=...,readonly,volume-nocopy,
// tmpfs-size=64m,tmpfs-mode=1770,bind-propagation=rprivate".
Result<MountRequest> parseMountSpec(std::string_view text);

// Checks a whole list: absolute targets other than "/", no target twice (tmpfs paths
// from --tmpfs included). Docker's messages.
VoidResult validateMounts(const std::vector<MountRequest>& mounts, const std::vector<std::string>& tmpfs);

} // namespace berth::container
