#pragma once
// Read-only that holds all the way down. A recursive bind (`-v /srv:/srv:ro`, the default
// for binds and volumes) carries the host's mounts below its source; a read-only remount of
// the top mount leaves each of them writable. As Docker 25+ does, the whole tree is made
// read-only: mount_setattr(AT_RECURSIVE, MOUNT_ATTR_RDONLY) on Linux >= 5.12, else a bind
// remount of each mount at or below the target, found in /proc/self/mountinfo.

#include "sys/error.h"

#include <string>
#include <string_view>
#include <vector>

namespace berth::runtime {

// Makes the mount `mountFd` (an fd on its root, O_PATH is enough) and every mount below it
// read-only: with mount_setattr(2) when `useMountSetattr` and the kernel has it, else one
// remount per mount (the older kernels' path; EngineSettings::runtime.mountSetattr false,
// BERTH_NO_MOUNT_SETATTR=1, takes it for tests).
VoidResult makeReadonlyRecursive(int mountFd, const std::string& what, bool useMountSetattr);

// The mount points listed in mountinfo text (octal escapes such as \040 decoded).
std::vector<std::string> mountPointsOf(std::string_view mountinfo);

} // namespace berth::runtime
