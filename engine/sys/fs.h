#pragma once
// File-system helpers that keep errno and name the path in their errors, and the one way
// the engine writes a file that must survive a crash: temp file, fsync, rename, fsync dir.

#include "sys/error.h"
#include "sys/unique_fd.h"

#include <filesystem>
#include <string>
#include <string_view>

namespace berth::sys {

namespace fs = std::filesystem;

Result<UniqueFd> openFile(const fs::path& path, int flags, mode_t mode = 0644);
Result<std::string> readFile(const fs::path& path, size_t maxBytes = size_t(64) << 20);
// Writes `data` to `path` atomically and durably (temp in the same dir, fsync, rename,
// fsync of the directory). Readers see the old or the new file, never a half one.
VoidResult writeFileAtomic(const fs::path& path, std::string_view data, mode_t mode = 0644);
VoidResult writeAll(BorrowedFd fd, std::string_view data);
VoidResult fsyncPath(const fs::path& path);
VoidResult fsyncDir(const fs::path& dir);
VoidResult makeDirs(const fs::path& dir, mode_t mode = 0755);
// Removes a tree without following symlinks; a missing path is not an error.
VoidResult removeAll(const fs::path& path);
// Bytes in the regular files below `dir`, walked through opened directories without
// following a symlink (the tree may be a container's, changing while it is counted).
uint64_t treeBytes(const fs::path& dir);
// Renames atomically; `to` must be on the same file system.
VoidResult renamePath(const fs::path& from, const fs::path& to);
bool exists(const fs::path& path);
// A random lowercase hex string of `bytes` random bytes (from getrandom).
std::string randomHex(size_t bytes);

} // namespace berth::sys
