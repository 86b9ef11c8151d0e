#pragma once
// ImageStore: the images of one store: content-addressed blobs, extracted layers (one
// directory per chain id), and the index of names to manifests. Thread-safe; mutations take
// the store's flock so several processes can share the store.
//
// The methods below are the contract other layers (container/, api/, ui/) rely on; the
// owner of engine/image may add more but keeps these.

#include "image/digest.h"
#include "image/image_config.h"
#include "image/reference.h"
#include "store/layout.h"
#include "sys/error.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace berth::image {

struct ImageSummary {
    Digest id;                          // config digest; "IMAGE ID" is id.shortId()
    Digest manifestDigest;
    std::vector<std::string> repoTags;  // familiar form, e.g. "busybox:latest"
    std::string created;                // RFC 3339, from the config
    uint64_t size = 0;                  // sum of uncompressed layer sizes
    size_t layerCount = 0;
};

class ImageStore {
public:
    explicit ImageStore(store::StoreLayout layout);
    ~ImageStore();

    Result<std::vector<ImageSummary>> list() const;
    // A name ("busybox", "busybox:1", "docker.io/library/busybox:latest"), a full id
    // ("sha256:…" or 64 hex) or a unique id prefix (at least 4 hex chars).
    Result<ImageSummary> resolve(std::string_view nameOrId) const;
    Result<ImageConfig> config(const Digest& id) const;
    // The extracted layer directories, bottom layer first: overlayfs lowerdirs.
    Result<std::vector<std::filesystem::path>> layerPaths(const Digest& id) const;

    const store::StoreLayout& layout() const { return m_layout; }

private:
    store::StoreLayout m_layout;
};

} // namespace berth::image
