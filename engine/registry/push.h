#pragma once
// Pushing an image from the store to a registry: every blob the registry lacks is uploaded
// (HEAD first; a cross-repository mount when the image came from another repository of
// the same registry; monolithic PUT for small blobs, PATCH chunks for big ones), then the
// config, then the manifest under the tag. Nothing in the store changes.

#include "berth/images.h"
#include "image/digest.h"
#include "image/image_store.h"
#include "registry/auth.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>

namespace berth::registry {

using berth::PushProgress;
using berth::PushProgressFn;

struct PushOptions {
    bool tlsVerify = true;
    std::optional<Credentials> credentials;
    std::filesystem::path dockerConfig;
    int maxRetries = 5;
    uint64_t chunkSize = uint64_t(32) << 20;  // blobs larger than this go up in PATCH chunks
    std::filesystem::path certDir;  // empty: the default certs.d places (tls_trust.h)
};

struct PushResult {
    std::string tag;        // "1" (or the digest when pushed by digest)
    std::string name;       // "127.0.0.1:5000/a/b:1"
    image::Digest digest;   // of the manifest as stored by the registry
    uint64_t size = 0;      // manifest bytes
    std::string warning;    // the push worked but recording its RepoDigest failed
};

// `reference` names both the local image and the destination (docker push semantics).
Result<PushResult> pushImage(image::ImageStore& store, std::string_view reference,
                             const PushOptions& options = {}, const PushProgressFn& progress = {},
                             std::stop_token stop = {});

} // namespace berth::registry
