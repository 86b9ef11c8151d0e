#pragma once
// The container's root for rootless mode when the kernel refuses overlayfs in a user
// namespace (kernels before 5.11, or a backing file system overlayfs cannot use there):
// fuse-overlayfs (Debian's `fuse-overlayfs`) mounts the same layers from user space.
// OverlayDriver::Fuse (BERTH_OVERLAY=fuse, ContainerSpec::engine) chooses it even where the
// kernel would do (tests of this path).

#include "runtime/container_spec.h"
#include "sys/error.h"

#include <string>

namespace berth::runtime {


// Runs fuse-overlayfs with the overlay options `opts` (lowerdir=...,upperdir=...,workdir=,
// paths as the kernel mount would take them, relative to the cwd when they are) on
// spec.rootfs and waits until it has mounted (it then stays in the background, inside the
// container's pid namespace, and dies with the container).
VoidResult mountFuseOverlay(const ContainerSpec& spec, const std::string& opts);

} // namespace berth::runtime
