#pragma once
// The build cache: step key (sha256 of the parent's key, the step's text after
// substitution and the hash of the content it reads) -> the image that step produced.
// One small file per key under <root>/build-cache/, written atomically; an entry whose
// image has been removed since is a miss.

#include "store/layout.h"
#include "sys/error.h"

#include <optional>
#include <string>

namespace berth::build {

class BuildCache {
public:
    BuildCache() = default;
    explicit BuildCache(const store::StoreLayout& layout) : m_dir(layout.root / "build-cache") {}

    std::optional<std::string> lookup(const std::string& key) const;  // image id "sha256:…"
    VoidResult store(const std::string& key, const std::string& imageId) const;

    // sha256 hex of the parts joined with a separator no part contains.
    static std::string chain(const std::string& parent, const std::string& text);

private:
    std::filesystem::path m_dir;
};

} // namespace berth::build
