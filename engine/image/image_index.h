#pragma once
// The images index: one JSON file (images/index.json) holding every image record and the
// names that point at them. It is rewritten atomically under the store lock, so one rename
// commits a whole mutation; readers need no lock and see the old or the new index.

#include "image/digest.h"
#include "store/layout.h"
#include "sys/error.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace berth::image {

struct LayerRecord {
    Digest blob;            // the stored layer blob (as loaded: plain, gzip or zstd)
    std::string mediaType;  // the blob's media type
    uint64_t blobSize = 0;
    Digest diffId;          // sha256 of the uncompressed tar
    Digest chainId;         // names the extracted directory layers/<hex>
    uint64_t size = 0;      // uncompressed bytes
};

struct ImageRecord {
    Digest id;        // config digest
    Digest manifest;  // manifest blob digest
    std::string created;
    std::string added;  // when it entered this store (RFC 3339)
    std::vector<LayerRecord> layers;
    std::vector<std::string> repoDigests;  // "docker.io/library/busybox@sha256:…"
    // The image a build step made this one from (empty otherwise). An untagged image that
    // is another's parent is an intermediate build image: hidden by `images` unless -a,
    // kept by `image prune`, deleted with its last child by `rmi` (docker's semantics).
    Digest parent;
    uint64_t size() const;
};

struct ImageIndex {
    // Full reference string ("docker.io/library/busybox:latest") -> image id.
    std::map<std::string, Digest> names;
    // image id hex -> record
    std::map<std::string, ImageRecord> images;

    std::vector<std::string> namesOf(const Digest& id) const;
    // Images whose parent is `id`.
    size_t childCount(const Digest& id) const;
    const ImageRecord* find(const Digest& id) const;
    // Every blob digest and chain id some image references.
    std::vector<Digest> referencedBlobs() const;
    std::vector<Digest> referencedLayers() const;
};

std::filesystem::path indexPath(const store::StoreLayout& layout);
Result<ImageIndex> readIndex(const store::StoreLayout& layout);
VoidResult writeIndex(const store::StoreLayout& layout, const ImageIndex& index);

// chainID(L0) = diffID(L0); chainID(Ln) = sha256(chainID(Ln-1) + " " + diffID(Ln)).
std::vector<Digest> chainIds(const std::vector<Digest>& diffIds);

std::string nowRfc3339();

} // namespace berth::image
