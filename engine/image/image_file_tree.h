#pragma once
// The merged file system of an image, built from its extracted layer directories bottom-up
// the way overlayfs stacks them, remembering for every path which layer last added, changed
// or deleted it. Overlay whiteouts (0/0 character devices, or ".wh.NAME" files) delete a
// lower path; an opaque directory (xattr trusted.overlay.opaque / user.overlay.opaque = y,
// or a ".wh..wh..opq" entry) hides everything below it. The layer directories hold an
// image's content: they are walked with *at calls on opened directories, never following a
// symlink.

#include "berth/images.h"
#include "sys/error.h"

#include <filesystem>
#include <stop_token>
#include <vector>

namespace berth::image {

// layerDirs bottom first. Unreadable entries are skipped, never fatal.
Result<ImageFileNode> buildFileTree(const std::vector<std::filesystem::path>& layerDirs, std::stop_token stop = {});

} // namespace berth::image
