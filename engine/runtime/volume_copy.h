#pragma once
// Filling a new volume from the image: docker copies what the image has at a volume's
// mount point into the volume the first time it is mounted while empty. Done by the
// container's init right after its root is mounted (before /proc, /sys, /dev and any other
// mount exist in it), from the root as the image and the container's layer make it, into
// the volume's host directory.
//
// A volume can be mounted read-write in a running container while this copy runs, and that
// container may swap any name in it for a symlink to a host file. So the volume side is
// only ever touched through fds: each entry is created with an *at call on its opened
// parent, opened again beneath it without following a symlink, checked to be the kind just
// made, and changed through that fd (fchown, fchmod, fsetxattr, futimens). Kept: files,
// directories, symlinks, fifos, with owners, modes and times; a file's further names (same
// inode in the source) as hard links to its copy, linked through the copy's fd; the
// user.*, trusted.* and security.capability xattrs of files and directories, where the
// volume's file system takes them (overlayfs's own and LSM labels never). Not copied:
// device nodes (a node of the host's disk in a volume would be open to whoever reaches the
// volume on the host) and sockets.

#include "sys/error.h"

#include <string>

namespace berth::runtime {

// True when `dir` (an open directory) has no entries besides "." and "..".
Result<bool> directoryEmpty(int dirFd);

// Copies the contents of `srcDirFd` into `dstDirFd` (which should be empty), and the
// source directory's owner and mode onto the destination.
VoidResult copyTreeInto(int srcDirFd, int dstDirFd, const std::string& what);

} // namespace berth::runtime
