#include "build/build_cache.h"

#include "image/digest.h"
#include "sys/fs.h"

namespace berth::build {

std::optional<std::string> BuildCache::lookup(const std::string& key) const {
    if (m_dir.empty()) return std::nullopt;
    auto text = sys::readFile(m_dir / key, 4096);
    if (!text) return std::nullopt;
    auto id = *text;
    while (!id.empty() && (id.back() == '\n' || id.back() == ' ')) id.pop_back();
    if (!image::Digest::parse(id)) return std::nullopt;
    return id;
}

VoidResult BuildCache::store(const std::string& key, const std::string& imageId) const {
    if (m_dir.empty()) return {};
    BERTH_TRYV(sys::makeDirs(m_dir, 0700));
    return sys::writeFileAtomic(m_dir / key, imageId + "\n");
}

std::string BuildCache::chain(const std::string& parent, const std::string& text) {
    image::Sha256 h;
    h.update(parent);
    h.update(std::string_view("\0\x1f", 2));
    h.update(text);
    return h.finish().hex();
}

} // namespace berth::build
