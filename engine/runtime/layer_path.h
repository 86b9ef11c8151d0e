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

#include <filesystem>
#include <string>
#include <vector>

namespace berth::runtime {

// An O_PATH fd on what `path` names in the union of `layersTopFirst` (the first wins);
// Errc::NotFound (ENOENT) when nothing is there. A symlink at the end is followed.
Result<sys::UniqueFd> openInLayers(const std::vector<std::filesystem::path>& layersTopFirst,
                                   const std::string& path);

// Reads a regular file of the union ("" when it does not exist; an error when it is
// something else or larger than `maxBytes`).
Result<std::string> readFileInLayers(const std::vector<std::filesystem::path>& layersTopFirst,
                                     const std::string& path, size_t maxBytes = size_t(16) << 20);

} // namespace berth::runtime
