#pragma once
// Paths inside a container's root filesystem, opened from the host without ever leaving
// it: an image is untrusted, and a symlink such as `/proc -> /etc` or `/dev -> /` must not
// make the runtime mount over the host. Everything resolves beneath an fd on the rootfs
// with openat2(); mounts then target the opened object through /proc/self/fd/N.

#include "sys/error.h"
#include "sys/unique_fd.h"

#include <fcntl.h>

#include <string>

namespace berth::runtime {

enum class Symlinks {
    FollowInRoot,  // symlinks resolve as if the rootfs were "/" (can't climb out)
    Refuse,        // any symlink on the way is an error (for /proc, /sys, /dev...)
};

enum class NodeKind { Directory, File };

// Opens `path` (absolute inside the root) beneath `rootFd` (O_PATH unless other open
// flags are given; O_CLOEXEC is always added).
Result<sys::UniqueFd> openInRoot(int rootFd, const std::string& path, Symlinks symlinks,
                                 int openFlags = O_PATH);

// Opens `path`, creating it (and missing parent directories) when absent. A dangling
// symlink under FollowInRoot creates its target inside the root.
Result<sys::UniqueFd> ensureInRoot(int rootFd, const std::string& path, NodeKind kind,
                                   Symlinks symlinks, mode_t mode = 0755);

// Reads a small file inside the root ("" when it does not exist). Only a regular file is
// read: a FIFO would hang the engine and a device node (container root can make one)
// would be the host's device, so anything else is an error.
Result<std::string> readFileInRoot(int rootFd, const std::string& path,
                                   size_t maxBytes = size_t(16) << 20);

// Reads the regular file `pathFd` (an O_PATH fd, e.g. from openInRoot) refers to, through
// a fresh open of that very inode; `what` names it in errors.
Result<std::string> readRegularFile(int pathFd, const std::string& what,
                                    size_t maxBytes = size_t(16) << 20);

// "/proc/self/fd/N": the name mount(2) is given to target an opened object.
std::string fdPath(int fd);

} // namespace berth::runtime
