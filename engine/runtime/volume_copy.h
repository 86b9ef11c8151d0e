#pragma once
// Filling a new volume from the image: docker copies what the image has at a volume's
// mount point into the volume the first time it is mounted while empty. Done by the
// container's init before pivot_root, from the rootfs (opened safely beneath its fd)
// into the volume's host directory; owners, modes, times, symlinks and device nodes kept.

#include "sys/error.h"

#include <string>

namespace berth::runtime {

// True when `dir` (an open directory) has no entries besides "." and "..".
Result<bool> directoryEmpty(int dirFd);

// Copies the contents of `srcDirFd` into `dstDirFd` (which should be empty), and the
// source directory's owner and mode onto the destination.
VoidResult copyTreeInto(int srcDirFd, int dstDirFd, const std::string& what);

} // namespace berth::runtime
