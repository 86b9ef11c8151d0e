#pragma once
// What a rootless user cannot have, refused when the container is created (before any
// record exists) rather than when it starts: limit flags without a delegated cgroup
// (cgroup/rootless_cgroup.h), host ports below ip_unprivileged_port_start or without a
// host port (runtime/rootless_network.h). No-op for root.

#include "container/container_options.h"
#include "sys/engine_settings.h"
#include "sys/error.h"

namespace berth::container {

VoidResult checkRootlessOptions(const CreateOptions& options, const EngineSettings& settings);

} // namespace berth::container
