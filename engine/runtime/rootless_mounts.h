#pragma once
// Mounts a rootless container needs done differently: a user namespace may mount cgroup2
// but never a cgroup v1 hierarchy (that needs CAP_SYS_ADMIN over the host), so on a v1 or
// hybrid host the container sees the host's /sys/fs/cgroup bound read-only (as Podman
// does), where its files belong to the host's root and cannot be written anyway.

#include "runtime/launch_context.h"

namespace berth::runtime {

VoidResult mountCgroupsRootless(LaunchContext& ctx);

} // namespace berth::runtime
