// Fuzz target `layer_tar`: an image layer as a registry or an image archive delivers it
// (plain, gzip or zstd tar) applied by image/layer_apply.h into an empty directory, as the
// engine does for every pulled, loaded or built layer. Property: nothing is written,
// linked, renamed or removed outside that directory (sandbox.h checks after every input),
// and an error carries a message. As root the layer is applied as root (owners, devices,
// trusted.* xattrs); otherwise as in a user namespace (owners and devices best effort).

#include "fuzz_target.h"
#include "sandbox.h"
#include "tar_mutator.h"

#include "image/layer_apply.h"

#include <unistd.h>

#include <algorithm>
#include <cstring>

using namespace berth;

BERTH_FUZZ_TAR_MUTATOR

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto& box = fuzz::Sandbox::get();
    const auto& dest = box.freshDest();
    image::ApplyLimits limits;
    limits.maxBytes = uint64_t(64) << 20;
    limits.maxEntries = 20000;
    if (::geteuid() != 0) {
        limits.inUserNamespace = true;  // no helper: apply here, owners and devices best effort
        limits.ownersBestEffort = true;
    }
    size_t pos = 0;
    image::ByteSource source = [&](void* buf, size_t len) -> Result<size_t> {
        // Small reads, so that entries straddle the reader's buffer boundaries.
        size_t n = std::min({len, size - pos, size_t(4096)});
        std::memcpy(buf, data + pos, n);
        pos += n;
        return n;
    };
    auto applied = image::applyLayer(std::move(source), dest, limits);
    if (!applied) FUZZ_CHECK(!applied.error().message().empty(), "an error without a message");
    box.check("layer apply");
    return 0;
}
