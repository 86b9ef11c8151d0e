#pragma once
// A container's mounts as the user asks for them: `-v`, `--mount` and their docker
// syntax, parsed into MountRequest. Parsing only looks at the text; whether a bind
// source exists or a volume must be created is decided when the container is created.

#include "berth/run_flags.h"
#include "berth/run_request.h"
#include "sys/error.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace berth::container {

using berth::MountRequest;
using berth::parseMountSpec;
using berth::parseVolumeSpec;

const char* mountTypeName(MountRequest::Type type);  // "bind", "volume", "tmpfs"


// Checks a whole list: absolute targets other than "/", no target twice (tmpfs paths
// from --tmpfs included). Docker's messages.
VoidResult validateMounts(const std::vector<MountRequest>& mounts, const std::vector<std::string>& tmpfs);

} // namespace berth::container
