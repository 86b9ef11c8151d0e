#pragma once
// A container's own file system (its image's layers and its upper directory) mounted as an
// overlay for one piece of file work: export, and docker cp on a stopped container.

#include "engine_services.h"

#include "container/container_record.h"

#include <functional>

namespace berth::api {

// Calls `fn` with an fd on the mounted root; unmounts after. Read-only (the upper
// directory as the top lower layer: the container's view without its mounts, never
// touching the upper directory a running container writes), or `writable` into the
// upper directory (only for a stopped container).
VoidResult withContainerFileSystem(EngineServices& s, const container::ContainerRecord& rec, bool writable,
                                   const std::function<VoidResult(int rootFd)>& fn);

} // namespace berth::api
