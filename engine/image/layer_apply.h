#pragma once
// Applying one image layer (a tar, plain, gzip or zstd) into its own directory, in the
// form overlayfs stacks: OCI whiteouts ".wh.name" become 0/0 character devices and opaque
// directories (".wh..wh..opq") get the overlay opaque xattr. Hostile entries (absolute or
// ../ paths, writes through symlinks, hard links out of the layer, whiteouts naming ..,
// device nodes where not allowed, size bombs) are refused with an error naming the entry;
// nothing is ever written outside `dest`.

#include "image/digest.h"
#include "sys/error.h"
#include "sys/unique_fd.h"

#include <cstdint>
#include <filesystem>

namespace berth::image {

struct ApplyLimits {
    uint64_t maxBytes = uint64_t(32) << 30;   // total uncompressed bytes
    uint64_t maxEntries = 4'000'000;
    uint64_t maxRatio = 1000;  // uncompressed:compressed ratio beyond which it is a bomb
};

struct ApplyResult {
    Digest diffId;            // sha256 of the uncompressed tar stream
    uint64_t compressedBytes = 0;
    uint64_t uncompressedBytes = 0;
    uint64_t entries = 0;
};

// Reads the layer from `input` (positioned at its start) and extracts it into `dest`,
// which must exist and be empty.
Result<ApplyResult> applyLayer(sys::BorrowedFd input, const std::filesystem::path& dest,
                               const ApplyLimits& limits = {});

} // namespace berth::image
