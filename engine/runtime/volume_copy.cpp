#include "runtime/volume_copy.h"

#include "sys/unique_fd.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <fmt/format.h>

#include <vector>

namespace berth::runtime {

namespace {

constexpr int kMaxDepth = 256;

// In a user namespace an id without a mapping cannot be given: keep the file, with our id.
bool ignorableChownError(int e) { return e == EINVAL || e == EPERM; }

VoidResult copyMeta(int fd, const struct stat& st, const std::string& what) {
    if (::fchown(fd, st.st_uid, st.st_gid) != 0 && !ignorableChownError(errno)) return failErrno("chown " + what);
    // After the chown: chown clears the set-id bits.
    if (::fchmod(fd, st.st_mode & 07777) != 0) return failErrno("chmod " + what);
    struct timespec times[2] = {st.st_atim, st.st_mtim};
    if (::futimens(fd, times) != 0) return failErrno("set times of " + what);
    return {};
}

VoidResult copyFile(int srcFd, int dstFd, const std::string& what) {
    while (true) {
        ssize_t n = ::copy_file_range(srcFd, nullptr, dstFd, nullptr, size_t(1) << 30, 0);
        if (n == 0) return {};
        if (n > 0) continue;
        if (errno == EINTR) continue;
        if (errno != EXDEV && errno != ENOSYS && errno != EINVAL && errno != EOPNOTSUPP)
            return failErrno("copy " + what);
        break;  // not supported between these file systems: plain read/write
    }
    char buf[65536];
    while (true) {
        ssize_t n = ::read(srcFd, buf, sizeof buf);
        if (n == 0) return {};
        if (n < 0) {
            if (errno == EINTR) continue;
            return failErrno("read " + what);
        }
        for (ssize_t off = 0; off < n;) {
            ssize_t w = ::write(dstFd, buf + off, size_t(n - off));
            if (w < 0) {
                if (errno == EINTR) continue;
                return failErrno("write " + what);
            }
            off += w;
        }
    }
}

VoidResult copyEntries(int srcDir, int dstDir, const std::string& path, int depth) {
    if (depth > kMaxDepth) return fail(Errc::Unsupported, "copy " + path + ": directories nested too deep");
    int dupFd = ::fcntl(srcDir, F_DUPFD_CLOEXEC, 0);
    if (dupFd < 0) return failErrno("dup " + path);
    DIR* d = ::fdopendir(dupFd);
    if (!d) {
        int e = errno;
        ::close(dupFd);
        return failErrno("read directory " + path, e);
    }
    std::vector<std::string> names;
    errno = 0;
    while (auto* ent = ::readdir(d)) {
        std::string n = ent->d_name;
        if (n != "." && n != "..") names.push_back(std::move(n));
    }
    int e = errno;
    ::closedir(d);
    if (e) return failErrno("read directory " + path, e);

    for (auto& name : names) {
        std::string what = path + "/" + name;
        struct stat st{};
        if (::fstatat(srcDir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return failErrno("stat " + what);
        if (S_ISDIR(st.st_mode)) {
            if (::mkdirat(dstDir, name.c_str(), 0700) != 0 && errno != EEXIST) return failErrno("mkdir " + what);
            sys::UniqueFd s(::openat(srcDir, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
            if (!s) return failErrno("open " + what);
            sys::UniqueFd t(::openat(dstDir, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
            if (!t) return failErrno("open copy of " + what);
            BERTH_TRYV(copyEntries(s.get(), t.get(), what, depth + 1));
            BERTH_TRYV(copyMeta(t.get(), st, what));
        } else if (S_ISREG(st.st_mode)) {
            sys::UniqueFd s(::openat(srcDir, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
            if (!s) return failErrno("open " + what);
            sys::UniqueFd t(::openat(dstDir, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
            if (!t) return failErrno("create copy of " + what);
            BERTH_TRYV(copyFile(s.get(), t.get(), what));
            BERTH_TRYV(copyMeta(t.get(), st, what));
        } else if (S_ISLNK(st.st_mode)) {
            std::vector<char> target(size_t(st.st_size) + 2);
            ssize_t n = ::readlinkat(srcDir, name.c_str(), target.data(), target.size() - 1);
            if (n < 0) return failErrno("readlink " + what);
            target[size_t(n)] = 0;
            if (::symlinkat(target.data(), dstDir, name.c_str()) != 0) return failErrno("symlink " + what);
            if (::fchownat(dstDir, name.c_str(), st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) != 0 &&
                !ignorableChownError(errno))
                return failErrno("chown " + what);
            struct timespec times[2] = {st.st_atim, st.st_mtim};
            (void)::utimensat(dstDir, name.c_str(), times, AT_SYMLINK_NOFOLLOW);
        } else {
            // Device nodes, fifos, sockets: recreated, not opened.
            if (::mknodat(dstDir, name.c_str(), st.st_mode, st.st_rdev) != 0) return failErrno("mknod " + what);
            if (::fchownat(dstDir, name.c_str(), st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) != 0 &&
                !ignorableChownError(errno))
                return failErrno("chown " + what);
            if (::fchmodat(dstDir, name.c_str(), st.st_mode & 07777, 0) != 0) return failErrno("chmod " + what);
        }
    }
    return {};
}

} // namespace

Result<bool> directoryEmpty(int dirFd) {
    int dupFd = ::fcntl(dirFd, F_DUPFD_CLOEXEC, 0);
    if (dupFd < 0) return failErrno("dup directory fd");
    DIR* d = ::fdopendir(dupFd);
    if (!d) {
        int e = errno;
        ::close(dupFd);
        return failErrno("read directory", e);
    }
    bool empty = true;
    errno = 0;
    while (auto* ent = ::readdir(d)) {
        std::string_view n = ent->d_name;
        if (n != "." && n != "..") {
            empty = false;
            break;
        }
    }
    int e = errno;
    ::closedir(d);
    if (e && empty) return failErrno("read directory", e);
    return empty;
}

VoidResult copyTreeInto(int srcDirFd, int dstDirFd, const std::string& what) {
    BERTH_TRYV(copyEntries(srcDirFd, dstDirFd, what, 0));
    struct stat st{};
    if (::fstat(srcDirFd, &st) != 0) return failErrno("stat " + what);
    return copyMeta(dstDirFd, st, what);
}

} // namespace berth::runtime
