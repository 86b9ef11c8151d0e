#pragma once
// The permission bits of a path as the tests of the store's privacy read them.

#include <sys/stat.h>

#include <filesystem>

namespace berth::test {

// The mode bits (07777) of `p` itself, not following a symlink; mode_t(-1) when it is gone.
inline mode_t modeOf(const std::filesystem::path& p) {
    struct stat st{};
    if (::lstat(p.c_str(), &st) != 0) return mode_t(-1);
    return st.st_mode & 07777;
}

} // namespace berth::test
