#pragma once
// docker cp's file work on a container's root file system, given as an fd on that root
// (/proc/<pid>/root of a running container, or its overlay mounted for the occasion): the
// stat of a path, a tar of a path, and a tar extracted into a directory. Every path from
// the container is resolved beneath the root fd (openat2 RESOLVE_IN_ROOT): a symlink in the
// container may point anywhere, it never leads out of the root. Tar entries coming in are
// confined the same way: a leading "/" is dropped (the name is taken in the destination),
// a "../" that would climb above the destination is refused with the entry's name, links
// are made as links and never followed on the host, device nodes are refused.
//
// The same functions copy out onto the host (berth cp CONTAINER:SRC DEST): there the
// "root" is the host destination's parent directory, so a hostile tar cannot leave it.

#include "sys/error.h"

#include <cstdint>
#include <string>

namespace berth::container {

struct PathStat {
    std::string name;        // the last component ("/" for the root)
    int64_t size = 0;
    uint32_t mode = 0;       // st_mode
    int64_t mtimeNano = 0;
    std::string linkTarget;  // a symlink's target, as stored
};

// lstat of `path` (absolute in the root; its parents' symlinks resolve within the root).
Result<PathStat> statInRoot(int rootFd, const std::string& path);

// Writes a tar of `path` (a file, a symlink, or a directory and everything below it) to
// `out`, its entries named under `name` ("hosts"; "etc", "etc/passwd"...; "." for a
// directory's contents). Owners numeric; hard links kept; sockets left out.
VoidResult writePathTar(int rootFd, const std::string& path, const std::string& name, int out);

struct ExtractOptions {
    // docker's noOverwriteDirNonDir: replacing a directory by a non-directory (or back)
    // is an error instead of a replacement.
    bool noOverwriteDirNonDir = false;
    bool keepOwners = false;  // the tar's uid/gid; otherwise ownerUid/ownerGid
    uint32_t ownerUid = 0;
    uint32_t ownerGid = 0;
    // docker's RebaseArchiveEntries: an entry named `renameFrom` or "renameFrom/…" (and a
    // hard link's target) is created as `renameTo`/… instead. Empty: names as they are.
    std::string renameFrom, renameTo;
};

// Reads a tar (plain or gzip/bzip2/xz/zstd) from `in` and creates its entries under
// `destDir` (an existing directory, absolute in the root). Returns the number of entries.
Result<uint64_t> extractTar(int rootFd, const std::string& destDir, int in, const ExtractOptions& options = {});

} // namespace berth::container
