#pragma once
// Test helpers for layers: a tar builder on libarchive's writer (so hostile archives are
// made inside the tests), applying bytes with applyLayer, and a snapshot of a directory
// tree (every attribute applyLayer promises to keep) for comparisons.

#include "image/layer_apply.h"

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace berth::test::layers {

enum class TarCompression { None, Gzip, Zstd };

class TarBuilder {
public:
    TarBuilder& file(std::string path, std::string data, mode_t perm = 0644);
    TarBuilder& dir(std::string path, mode_t perm = 0755);
    TarBuilder& symlink(std::string path, std::string target);
    TarBuilder& hardlink(std::string path, std::string target);
    TarBuilder& charDevice(std::string path, unsigned major, unsigned minor, mode_t perm = 0666);
    TarBuilder& blockDevice(std::string path, unsigned major, unsigned minor, mode_t perm = 0660);
    TarBuilder& fifo(std::string path, mode_t perm = 0644);
    // These change the entry added last.
    TarBuilder& owner(uid_t uid, gid_t gid);
    TarBuilder& mtime(int64_t seconds, long nanoseconds = 0);
    TarBuilder& xattr(std::string name, std::string value);

    std::string build(TarCompression c = TarCompression::None) const;

private:
    struct Entry {
        std::string path;
        mode_t type = 0;
        mode_t perm = 0644;
        std::string data;
        std::string link;
        bool hard = false;
        uid_t uid = 0;
        gid_t gid = 0;
        unsigned major = 0, minor = 0;
        int64_t mtime = 1700000000;
        long mtimeNs = 0;
        std::vector<std::pair<std::string, std::string>> xattrs;
    };
    TarBuilder& add(Entry e);
    std::vector<Entry> m_entries;
};

std::string compressGzip(const std::string& plain);

// The entries of a tar (any compression libarchive reads), in order.
struct TarListing {
    std::string path;
    mode_t type = 0;       // AE_IFREG...
    std::string hardlink;  // target, for hard links
    std::string symlink;
    bool hasOwnerNames = false;
    size_t xattrCount = 0;
};
std::vector<TarListing> listTar(const std::string& bytes);
std::string sha256Hex(const std::string& bytes);

image::ApplyLimits defaultApplyLimits();  // owners best effort when not root

// Writes `bytes` to a file in `scratch`, then applies it into `dest`.
Result<image::ApplyResult> applyBytes(const std::string& bytes, const std::filesystem::path& dest,
                                      const std::filesystem::path& scratch,
                                      image::ApplyLimits limits = defaultApplyLimits());

// path -> "type mode uid:gid mtime size/rdev/target content-sha xattrs", for every entry
// below `root` (the root itself as "."). Equal maps mean equal trees. describeTree
// (tests/support/tree_compare.h) with modification times.
std::map<std::string, std::string> snapshotTree(const std::filesystem::path& root,
                                                bool withRootTimes = true);

bool isRoot();

} // namespace berth::test::layers
