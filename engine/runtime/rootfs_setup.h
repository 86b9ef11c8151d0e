#pragma once
// The container's file system, as launch steps run in the child (new mount namespace):
// root (overlay or ready rootfs), volume copy-up, /proc, /sys, /dev, the /etc files, user
// mounts, pivot_root, then masked and read-only paths and the read-only root.
//
// Before pivot_root every target is opened beneath the rootfs with safe_path.h, so an
// image's symlink can never redirect a mount onto the host; /proc, /sys and /dev refuse
// any symlink at all, and no symlink may lead another mount into them.

#include "runtime/launch_context.h"

#include <string>
#include <vector>

namespace berth::runtime {

VoidResult makeMountsPrivate(LaunchContext& ctx);
VoidResult mountRootfs(LaunchContext& ctx);
// Volume copy-up (MountSpec::copyUp), from the root before anything is mounted in it.
VoidResult copyUpVolumes(LaunchContext& ctx);
VoidResult mountProc(LaunchContext& ctx);
VoidResult mountSys(LaunchContext& ctx);
VoidResult mountCgroups(LaunchContext& ctx);  // cgroup_mounts.cpp
VoidResult mountEtcFiles(LaunchContext& ctx);
VoidResult mountUserMounts(LaunchContext& ctx);
VoidResult pivotRoot(LaunchContext& ctx);
VoidResult maskPaths(LaunchContext& ctx);
VoidResult makePathsReadonly(LaunchContext& ctx);
VoidResult remountRootReadonly(LaunchContext& ctx);

// /dev lives in dev_setup.cpp.
VoidResult mountDev(LaunchContext& ctx);

// Shared with dev_setup.cpp: mount onto an opened target, and a bind remount that keeps
// the flags the mount already has (nosuid, nodev...).
VoidResult mountOnFd(const char* source, int targetFd, const char* type, unsigned long flags,
                     const std::string& data, const std::string& what);
VoidResult remountBind(const std::string& path, unsigned long addFlags, const std::string& what);
// `targetFd` was resolved from `destination` beneath the root: refused when it lies in
// /proc, /sys or /dev and the destination as written does not (an image's symlink led it).
VoidResult refuseRedirectIntoKernelFs(int rootFd, int targetFd, const std::string& destination, const std::string& what);

} // namespace berth::runtime
