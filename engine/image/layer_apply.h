#pragma once
// Applying one image layer (a tar, plain, gzip or zstd) into its own directory, in the
// form overlayfs stacks: OCI whiteouts ".wh.name" become 0/0 character devices and opaque
// directories (".wh..wh..opq") get the overlay opaque xattr. Hostile entries (absolute or
// ../ paths, writes through symlinks, hard links out of the layer, whiteouts naming ..,
// device nodes where not allowed, size bombs) are refused with an error naming the entry;
// nothing is ever written outside `dest`.

#include "image/compression.h"
#include "image/digest.h"
#include "sys/engine_settings.h"
#include "sys/error.h"
#include "sys/unique_fd.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace berth::image {

struct ApplyLimits {
    uint64_t maxBytes = uint64_t(32) << 30;   // total uncompressed bytes
    uint64_t maxEntries = 4'000'000;
    uint64_t maxRatio = 1000;  // uncompressed:compressed ratio beyond which it is a bomb
    // The ratio is only judged once this much has been decompressed: small layers of
    // zeros compress extremely well and are no threat.
    uint64_t ratioGraceBytes = uint64_t(8) << 20;
    // Without CAP_CHOWN (rootless), ownership that cannot be kept becomes a warning.
    bool ownersBestEffort = false;
    // Character and block device entries (not whiteouts) are refused when false.
    bool allowDevices = true;
    // Rootless: set by the helper that already runs in the user namespace (see
    // layer_apply_rootless.cpp); otherwise applyLayer() moves the work into one.
    bool inUserNamespace = false;
    // How the engine runs (EngineSettings::rootless(), helpers.layerHelper; forEngine()): a
    // rootless engine extracts inside a user namespace, through this helper program.
    bool rootless = false;
    std::filesystem::path layerHelper;

    static ApplyLimits forEngine(const EngineSettings& settings) {
        ApplyLimits l;
        l.rootless = settings.rootless();
        l.layerHelper = settings.helpers.layerHelper;
        return l;
    }
};

struct ApplyResult {
    Digest diffId;            // sha256 of the uncompressed tar stream
    uint64_t compressedBytes = 0;
    uint64_t uncompressedBytes = 0;
    uint64_t entries = 0;
    std::string compression;  // "", "gzip" or "zstd" as detected
    // Things deliberately not applied (an xattr the file system refuses, ownership when
    // ownersBestEffort is set); each names the entry.
    std::vector<std::string> warnings;
};

// Reads the layer from `input` (positioned at its start) and extracts it into `dest`,
// which must exist and be empty. On error `dest` holds part of the layer: the caller
// removes it (it is never outside `dest`).
Result<ApplyResult> applyLayer(sys::BorrowedFd input, const std::filesystem::path& dest,
                               const ApplyLimits& limits = {});
// The same from a byte source (a blob read while it downloads). Not in rootless mode: the
// user-namespace helper takes a file descriptor (use the overload above there).
Result<ApplyResult> applyLayer(ByteSource input, const std::filesystem::path& dest,
                               const ApplyLimits& limits = {});

} // namespace berth::image
