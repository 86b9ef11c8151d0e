#include "image/image_store.h"

namespace berth::image {

ImageStore::ImageStore(store::StoreLayout layout) : m_layout(std::move(layout)) {}
ImageStore::~ImageStore() = default;

// Placeholder until the store lands: an empty store.
Result<std::vector<ImageSummary>> ImageStore::list() const { return std::vector<ImageSummary>{}; }
Result<ImageSummary> ImageStore::resolve(std::string_view nameOrId) const {
    return fail(Errc::NotFound, "no such image: " + std::string(nameOrId));
}
Result<ImageConfig> ImageStore::config(const Digest& id) const {
    return fail(Errc::NotFound, "no such image: " + id.str());
}
Result<std::vector<std::filesystem::path>> ImageStore::layerPaths(const Digest& id) const {
    return fail(Errc::NotFound, "no such image: " + id.str());
}

} // namespace berth::image
