#pragma once
// Helpers for the image store tests: a store in a temp dir, and a listing of every file
// under it (path, type, size, mode, content hash) to prove a failed operation changed
// nothing.

#include "fixtures.h"
#include "image/image_store.h"
#include "store/layout.h"
#include "test_support.h"

#include <sys/stat.h>

#include <map>
#include <string>

namespace berth::test {

inline store::StoreLayout openTestStore(const std::filesystem::path& root) {
    auto l = store::openLayout(root);
    if (!l) qFatal("open store: %s", l.error().message().c_str());
    return *l;
}

// Every entry below the store root except the lock file and the events journal.
inline std::map<std::string, std::string> storeListing(const std::filesystem::path& root) {
    namespace fs = std::filesystem;
    std::map<std::string, std::string> out;
    for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
        std::string rel = it->path().lexically_relative(root).string();
        if (rel == "store.lock" || rel == "events.jsonl") continue;
        struct stat st;
        if (::lstat(it->path().c_str(), &st) < 0) continue;
        std::string desc = std::to_string(st.st_mode) + " " + std::to_string(st.st_size);
        if (S_ISREG(st.st_mode) && st.st_size < (1 << 20)) desc += " " + sha256Hex(readFileText(it->path()));
        out[rel] = desc;
    }
    return out;
}

} // namespace berth::test
