#pragma once
// Extracted layers: layers/<chain-id hex>/ holds diff/ (the layer's files in overlayfs
// form), meta.json (diff id, size, parent chain id) and, written last, the marker
// `complete`. A layer directory without the marker is half made (its writer died) and is
// removed by the next mutation.

#include "image/digest.h"
#include "store/layout.h"
#include "sys/error.h"

#include <filesystem>
#include <optional>

namespace berth::image {

struct LayerMeta {
    Digest chainId;
    Digest diffId;
    std::optional<Digest> parent;  // chain id of the layer below
    uint64_t size = 0;             // uncompressed tar bytes
};

std::filesystem::path layerDir(const store::StoreLayout& layout, const Digest& chainId);
std::filesystem::path layerDiffDir(const store::StoreLayout& layout, const Digest& chainId);
bool layerComplete(const store::StoreLayout& layout, const Digest& chainId);
Result<LayerMeta> readLayerMeta(const store::StoreLayout& layout, const Digest& chainId);

// Writes meta.json into a prepared layer directory (one that has diff/ filled).
VoidResult writeLayerMeta(const std::filesystem::path& preparedDir, const LayerMeta& meta);
// Under the store lock: moves a prepared directory into layers/<chain>/ and writes the
// marker. Returns false (leaving `prepared` alone) when the layer is already complete.
Result<bool> installLayer(const store::StoreLayout& layout, const std::filesystem::path& prepared,
                          const Digest& chainId);
VoidResult removeLayer(const store::StoreLayout& layout, const Digest& chainId);

} // namespace berth::image
