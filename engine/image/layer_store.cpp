#include "image/layer_store.h"

#include "sys/fs.h"
#include "sys/userns.h"

#include <nlohmann/json.hpp>

namespace berth::image {

namespace fs = std::filesystem;
using nlohmann::json;

static constexpr const char* kMarker = "complete";
static constexpr const char* kMeta = "meta.json";

fs::path layerDir(const store::StoreLayout& layout, const Digest& chainId) {
    return layout.layers() / chainId.hex();
}

fs::path layerDiffDir(const store::StoreLayout& layout, const Digest& chainId) {
    return layerDir(layout, chainId) / "diff";
}

bool layerComplete(const store::StoreLayout& layout, const Digest& chainId) {
    return sys::exists(layerDir(layout, chainId) / kMarker);
}

Result<LayerMeta> readLayerMeta(const store::StoreLayout& layout, const Digest& chainId) {
    std::string ctx = "layer " + chainId.str();
    auto text = BERTH_TRY_CTX(sys::readFile(layerDir(layout, chainId) / kMeta), ctx);
    auto j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return fail(Errc::Corrupt, ctx + ": bad meta.json");
    LayerMeta m;
    m.chainId = BERTH_TRY_CTX(Digest::parse(j.value("chainId", "")), ctx);
    m.diffId = BERTH_TRY_CTX(Digest::parse(j.value("diffId", "")), ctx);
    if (auto p = j.value("parent", ""); !p.empty())
        m.parent = BERTH_TRY_CTX(Digest::parse(p), ctx);
    m.size = j.value("size", uint64_t(0));
    return m;
}

VoidResult writeLayerMeta(const fs::path& preparedDir, const LayerMeta& meta) {
    json j{{"chainId", meta.chainId.str()},
           {"diffId", meta.diffId.str()},
           {"parent", meta.parent ? meta.parent->str() : ""},
           {"size", meta.size}};
    return sys::writeFileAtomic(preparedDir / kMeta, j.dump() + "\n");
}

Result<bool> installLayer(const store::StoreLayout& layout, const fs::path& prepared,
                          const Digest& chainId) {
    if (layerComplete(layout, chainId)) return false;
    fs::path target = layerDir(layout, chainId);
    BERTH_TRYV(sys::removeAll(target));  // a half layer a dead writer left
    BERTH_TRYV(sys::renamePath(prepared, target));
    BERTH_TRYV(sys::fsyncDir(layout.layers()));
    // The marker goes last: only now is the layer whole.
    BERTH_TRYV(sys::writeFileAtomic(target / kMarker, chainId.str() + "\n"));
    return true;
}

VoidResult removeLayer(const store::StoreLayout& layout, const Digest& chainId) {
    fs::path dir = layerDir(layout, chainId);
    // Drop the marker first so a crash mid-removal leaves a detectable half layer.
    ::unlink((dir / kMarker).c_str());
    return sys::removeTreeAsOwner(dir, layout.settings);  // rootless: files of mapped ids
}

} // namespace berth::image
