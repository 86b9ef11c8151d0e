#pragma once
// ArchiveContents: the files of an outer image archive (docker save / OCI layout tar,
// plain or compressed), read safely. Nothing is recreated on disk as the archive says:
// every regular file is streamed to a numbered file in a work directory (hashed on the
// way), and paths, symlinks and hard links live only in a table, resolved lexically.
// Hostile entries (absolute or ../ paths, symlinks leaving the archive, writes through a
// symlink, devices, bombs) are refused with an error naming the entry.

#include "image/digest.h"
#include "image/image_store.h"
#include "sys/error.h"

#include <filesystem>
#include <map>
#include <stop_token>
#include <string>

namespace berth::image {

struct ArchiveFile {
    std::filesystem::path stored;  // where its bytes are, in the work directory
    uint64_t size = 0;
    Digest digest;
};

class ArchiveContents {
public:
    static Result<ArchiveContents> extract(const std::filesystem::path& archive,
                                           const std::filesystem::path& workDir,
                                           const ArchiveLimits& limits,
                                           std::stop_token stop = {});

    // The file at `path` (normalised; symlinks in the table followed), or NotFound/Corrupt
    // naming the path.
    Result<const ArchiveFile*> find(std::string_view path) const;
    bool has(std::string_view path) const { return find(path).has_value(); }
    Result<std::string> readText(std::string_view path, size_t maxBytes = size_t(16) << 20) const;

private:
    struct Node {
        enum Kind { File, Dir, Symlink } kind = File;
        size_t file = 0;     // index into m_files
        std::string target;  // symlink target, normalised to an archive path
    };
    std::vector<ArchiveFile> m_files;
    std::map<std::string, Node> m_nodes;
};

// "./a//b/./c" -> "a/b/c"; empty optional for absolute paths or any ".." that climbs.
std::optional<std::string> normaliseArchivePath(std::string_view path);

} // namespace berth::image
