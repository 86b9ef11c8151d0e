#pragma once
// Paths in a stack of layer directories (an image's layers, a container's writable layer
// on top) as the container sees them, opened on the host without mounting the stack and
// without ever leaving it. Every step looks one name up with *at calls in directories
// already opened inside a layer, never following a link on the host; whiteouts and
// opaque directories hide what lies below as overlayfs does, and a symlink is resolved
// in the union as if the merged root were "/". An image whose /etc is a symlink to a host
// directory therefore reads the image's own (missing) /etc, never the host's.

#include "sys/error.h"
#include "sys/unique_fd.h"

#include <sys/stat.h>

#include <filesystem>
#include <string>
#include <vector>

namespace berth::runtime {

// One directory of the union: the same path opened in every layer that contributes to it,
// top first (a layer below an opaque directory, or below a non-directory, does not).
struct UnionDir {
    std::vector<sys::UniqueFd> fds;
};

// One name in a UnionDir, as overlayfs would show it.
struct UnionEntry {
    enum Kind { Missing, Directory, Symlink, Other } kind = Missing;
    UnionDir dir;     // Directory: its layers
    int parent = -1;  // Symlink, Other: the directory fd (of the UnionDir looked in) that holds it
};

// The layers' root directories (those that exist), top first, down to the first opaque one.
Result<UnionDir> openUnionRoot(const std::vector<std::filesystem::path>& layersTopFirst);
// `name` (one component) in `in`: whiteouts and opaque directories applied, nothing followed.
Result<UnionEntry> lookupInUnion(const UnionDir& in, const std::string& name);
// An overlay opaque directory (trusted.overlay.opaque or user.overlay.opaque = "y").
bool isOpaqueDir(int dirFd);
// An overlay whiteout: a 0/0 character device.
bool isWhiteout(const struct ::stat& st);

// An O_PATH fd on what `path` names in the union of `layersTopFirst` (the first wins);
// Errc::NotFound (ENOENT) when nothing is there. A symlink at the end is followed.
Result<sys::UniqueFd> openInLayers(const std::vector<std::filesystem::path>& layersTopFirst,
                                   const std::string& path);

// Reads a regular file of the union ("" when it does not exist; an error when it is
// something else or larger than `maxBytes`).
Result<std::string> readFileInLayers(const std::vector<std::filesystem::path>& layersTopFirst,
                                     const std::string& path, size_t maxBytes = size_t(16) << 20);

} // namespace berth::runtime
