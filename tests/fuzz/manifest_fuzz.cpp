// Fuzz target `manifest`: what a registry (or an image archive) sends as a manifest:
// Docker schema 2 and OCI manifests, manifest lists and indexes (registry/manifest.h), and
// platform selection over a parsed list. The input is "<Content-Type>\n<body>": the first
// line plays the Content-Type header the registry sent. Properties: every descriptor that
// parsed has a valid digest; a selected entry is one of the list's entries.

#include "fuzz_target.h"

#include "registry/manifest.h"

#include <fmt/format.h>

using namespace berth;
using namespace berth::registry;

namespace {

void checkDescriptor(const Descriptor& d, std::string_view where) {
    FUZZ_CHECK(image::Digest::isHex(d.digest.hex()),
               fmt::format("{}: descriptor with digest `{}` accepted", where, d.digest.str()));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto parts = fuzz::splitInput(fuzz::asText(data, size), "\n", 2);
    std::string_view contentType = parts.size() == 2 ? parts[0] : std::string_view();
    std::string_view body = parts.back();

    auto kind = detectMediaType(body, contentType);
    if (kind) FUZZ_CHECK(isIndexMediaType(*kind) || isManifestMediaType(*kind),
                         fmt::format("detected media type `{}` is neither a manifest nor a list", *kind));
    if (auto m = parseManifest(body, contentType)) {
        checkDescriptor(m->config, "config");
        for (const auto& l : m->layers) checkDescriptor(l, "layer");
    }
    if (auto index = parseIndex(body, contentType)) {
        for (const auto& d : index->manifests) checkDescriptor(d, "manifest list entry");
        for (const char* wanted : {"linux/amd64", "linux/arm64", "linux/arm/v6", "windows/amd64"}) {
            auto platform = Platform::parse(wanted);
            FUZZ_CHECK(bool(platform), wanted);
            if (auto picked = selectPlatform(*index, *platform, "fuzz")) {
                bool listed = false;
                for (const auto& d : index->manifests) listed = listed || d.digest == picked->digest;
                FUZZ_CHECK(listed, fmt::format("selected {} is not in the list", picked->digest.str()));
            }
        }
    }
    return 0;
}
