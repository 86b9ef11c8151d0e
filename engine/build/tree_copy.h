#pragma once
// Copying files into a stage's mounted root file system for COPY and ADD, without ever
// writing outside it: destinations are opened beneath the root with openat2 (symlinks
// resolve as if the root were "/"), new entries are created with O_NOFOLLOW relative to
// an opened directory, and symlinks found in the source are copied as symlinks.

#include "build/docker_ignore.h"
#include "sys/error.h"

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace berth::build {

struct CopyOptions {
    const DockerIgnore* ignore = nullptr;  // context sources: skip what .dockerignore excludes
    std::optional<std::pair<uid_t, gid_t>> owner;  // --chown
    bool keepOwners = false;                // else 0:0 (COPY); ADD of an archive keeps them
    std::optional<mode_t> mode;             // --chmod
};

// Copies `src` (a host path; a directory is copied whole) as `name` in the directory
// `dstPath` (absolute inside the root whose fd is `rootFd`, created when missing).
// `ctxRel` is src's path in the build context for .dockerignore ("" = not from the context).
VoidResult copyEntryInto(int rootFd, const std::string& dstPath, const std::filesystem::path& src,
                         const std::string& ctxRel, const std::string& name, const CopyOptions& options);
// Copies what is inside the directory `src` into `dstPath` (COPY dir/ /dest: the contents).
VoidResult copyContentsInto(int rootFd, const std::string& dstPath, const std::filesystem::path& src,
                            const std::string& ctxRel, const CopyOptions& options);

// sha256 (hex) of a source tree as COPY would read it: names, types, modes, sizes, contents,
// link targets; excluded entries left out. For the build cache.
Result<std::string> hashSource(const std::filesystem::path& src, const std::string& ctxRel,
                               const DockerIgnore* ignore, bool withOwners);

// Context-relative paths matching a pattern with Go glob syntax per element ("*.txt",
// "src/*/a?"), sorted; the pattern itself when it has no glob characters.
std::vector<std::string> expandGlob(const std::filesystem::path& root, const std::string& relPattern);
bool hasGlob(std::string_view s);

// True when `path` is a tar archive (plain or compressed) that ADD unpacks.
bool isLocalArchive(const std::filesystem::path& path);

} // namespace berth::build
