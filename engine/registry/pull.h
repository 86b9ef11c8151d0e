#pragma once
// Pulling an image from a registry into the image store, docker-style: resolve the
// reference (manifest list -> the platform's manifest), fetch the config, download the
// layers the store lacks in parallel while finished ones are extracted, verify every byte
// against its digest, then commit blobs, layers and the name in one step. Nothing is
// visible in the store until the commit; a pull killed at any moment leaves only a work
// directory that the next mutation rolls back, and its downloads so far under
// tmp/partial/<hex>, which the next pull of the same blobs resumes with a Range request
// after hashing the kept bytes again.
//
// `run`/`create` call pullImage() when the image is missing.

#include "berth/images.h"
#include "image/digest.h"
#include "image/image_store.h"
#include "registry/auth.h"
#include "registry/manifest.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>

namespace berth::registry {

using berth::LayerState;
using berth::layerStateText;  // "Pull complete", "Already exists", "Verifying Checksum"...
using berth::PullProgress;
using berth::PullProgressFn;

struct PullOptions {
    std::optional<Platform> platform;  // default: the host's
    bool tlsVerify = true;
    int parallelDownloads = 3;
    // 0: one per layer to extract, up to 8. Layers are independent directories, and a
    // layer's extraction is one thread's work: fewer threads than layers leave a core idle
    // for the last one (and a layer's time is mostly the kernel creating its files).
    int extractThreads = 0;
    std::optional<Credentials> credentials;  // default: Docker's config.json
    // Without `credentials`: per registry (docker's X-Registry-Config keys, matched as
    // credentialsForHost does); a registry not listed falls back to Docker's config.json.
    std::map<std::string, Credentials> credentialsByRegistry;
    std::filesystem::path dockerConfig;      // empty: the default path
    std::filesystem::path certDir;           // empty: the default certs.d places (tls_trust.h)
    int maxRetries = 6;
    std::chrono::milliseconds retryBase{250};
};

struct PullResult {
    std::string name;      // "docker.io/library/busybox:latest" (or name@digest)
    std::string familiar;  // "busybox:latest"
    image::Digest id;      // config digest
    image::Digest digest;  // what the reference resolved to (manifest list or manifest)
    bool downloaded = false;  // false: "Image is up to date"
};

Result<PullResult> pullImage(image::ImageStore& store, std::string_view reference,
                             const PullOptions& options = {}, const PullProgressFn& progress = {},
                             std::stop_token stop = {});

} // namespace berth::registry
