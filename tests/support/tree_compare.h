#pragma once
// Comparing directory trees entry by entry: what two extracted layers, two stores or a tree
// before and after hostile input must have in common. GNU `diff -r` cannot do this: it
// calls two overlay whiteouts (0/0 character devices) "different" whenever their inode
// change times fall in different seconds, and it ignores owners, modes and xattrs.
//
// Each entry is described by its type, permission bits, owner, link count (not for
// directories), size and content digest (regular files), device numbers, symlink target and
// extended attributes; optionally its modification time. An overlay whiteout is its own type
// ("whiteout"), a directory marked opaque by overlayfs shows the xattr. Nothing is followed:
// symlinks are read, never traversed.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace berth::test {

struct TreeOptions {
    bool mtimes = false;     // compare modification times (to the nanosecond)
    bool rootTimes = true;   // with mtimes: the root directory's own time too
};

// relative path ("." for the root) -> description; equal maps mean equal trees.
std::map<std::string, std::string> describeTree(const std::filesystem::path& root,
                                                const TreeOptions& options = {});

struct TreeComparison {
    std::vector<std::string> differences;  // "path: only in A", "path: A ... | B ..."
    size_t entries = 0;                    // entries of the first tree (the root included)
    size_t whiteouts = 0;                  // overlay whiteouts in the first tree
    size_t opaqueDirs = 0;                 // directories marked opaque in the first tree
    bool same() const { return differences.empty(); }
    // The first `maxLines` differences, one a line, for a failure message.
    std::string report(size_t maxLines = 20) const;
};

TreeComparison compareTrees(const std::filesystem::path& a, const std::filesystem::path& b,
                            const TreeOptions& options = {});

} // namespace berth::test
