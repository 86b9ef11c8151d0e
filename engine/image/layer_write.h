#pragma once
// Writing a directory out as an image layer tar: the inverse of applyLayer. Used by import,
// commit and build to turn a directory (an extracted layer, a container's upper dir) into a
// layer blob.
//
// The output is deterministic: entries in byte order of their paths, numeric owners only
// (no user or group names), the files' own modes, mtimes and xattrs, hard links written
// once and linked after, no padding beyond the tar end marker. The same tree always gives
// the same bytes, so the same diff id. overlayfs whiteouts (0/0 character devices) become
// OCI ".wh.<name>" entries and opaque directories (trusted.overlay.opaque=y) get a
// ".wh..wh..opq" entry; other overlayfs bookkeeping xattrs are left out.

#include "image/layer_apply.h"
#include "sys/error.h"
#include "sys/unique_fd.h"

#include <filesystem>

namespace berth::image {

// Tars `dir` (its contents; the directory itself is not an entry) to `out`, gzip-compressed
// when `gzip`. The result's diffId is the sha256 of the uncompressed tar; compressedBytes is
// what was written to `out`. Symlinks inside `dir` are stored, never followed. A rootless
// engine (`settings`) reads the tree inside its user namespace.
Result<ApplyResult> writeLayerTar(const std::filesystem::path& dir, sys::BorrowedFd out, bool gzip,
                                  const EngineSettings& settings);

} // namespace berth::image
