#include "runtime/volume_copy.h"

#include "runtime/safe_path.h"
#include "sys/unique_fd.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cstring>
#include <map>
#include <string_view>
#include <utility>
#include <vector>

namespace berth::runtime {

namespace {

constexpr int kMaxDepth = 256;
// Copies of multiply-linked files kept open for their further names; past this many, further
// names of a new such file are copied as files of their own (the fds are the process's).
constexpr size_t kMaxLinkedFiles = 512;

// A regular file with several names in the image: its (device, inode) in the source, and its
// copy's fd, through which each further name is linked to the copy.
using LinkedCopies = std::map<std::pair<dev_t, ino_t>, sys::UniqueFd>;

// In a user namespace an id without a mapping cannot be given: keep the file, with our id.
bool ignorableChownError(int e) { return e == EINVAL || e == EPERM; }

// Opens `name` (one component) in `dirFd`: never through a symlink, never out of the
// directory. openat2 where the kernel has it (5.6+), else openat with O_NOFOLLOW, which for
// a single component is the same. O_PATH|O_NOFOLLOW on a symlink yields the link itself.
sys::UniqueFd openEntry(int dirFd, const std::string& name, int flags, mode_t mode = 0) {
    static bool haveOpenat2 = true;
    if (haveOpenat2) {
        open_how how{};
        how.flags = uint64_t(flags | O_NOFOLLOW | O_CLOEXEC);
        how.mode = (flags & O_CREAT) ? mode : 0;
        how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
        int fd = int(::syscall(SYS_openat2, dirFd, name.c_str(), &how, sizeof how));
        if (fd >= 0 || errno != ENOSYS) return sys::UniqueFd(fd);
        haveOpenat2 = false;
    }
    return sys::UniqueFd(::openat(dirFd, name.c_str(), flags | O_NOFOLLOW | O_CLOEXEC, mode));
}

Error replacedError(const std::string& what) {
    return Error(Errc::Conflict,
                 fmt::format("copy {} into the volume: its copy was replaced while being made "
                             "(another container writing to the volume?): refusing",
                             what),
                 EEXIST);
}

// The entry just created as `name` in the volume, opened O_PATH; refused unless it is of the
// kind made (a racing container may have put a symlink in its place).
Result<sys::UniqueFd> openMade(int dstDir, const std::string& name, mode_t kind, const std::string& what) {
    auto fd = openEntry(dstDir, name, O_PATH);
    if (!fd) return failErrno("open the copy of " + what);
    struct stat st{};
    if (::fstat(fd.get(), &st) != 0) return failErrno("stat the copy of " + what);
    if ((st.st_mode & S_IFMT) != kind) return fail(replacedError(what));
    return fd;
}

// The extended attributes Docker keeps when it fills a volume: user.*, trusted.* and
// security.capability (file capabilities). Not overlayfs's own (trusted.overlay.*,
// user.overlay.*: instructions to the overlay a volume may one day be a layer of), nor
// LSM labels (security.selinux...), which belong to the host's policy.
bool keptXattr(std::string_view name) {
    if (name.starts_with("trusted.overlay.") || name.starts_with("user.overlay.")) return false;
    return name.starts_with("user.") || name.starts_with("trusted.") || name == "security.capability";
}

// An attribute the volume's file system (or this user namespace) does not take is left out.
bool unsupportedXattr(int e) { return e == ENOTSUP || e == EOPNOTSUPP || e == EPERM || e == EINVAL || e == ENOSPC; }

VoidResult copyXattrs(int srcFd, int dstFd, const std::string& what) {
    std::vector<char> names(1024);
    ssize_t size;
    while ((size = ::flistxattr(srcFd, names.data(), names.size())) < 0) {
        if (errno == ENOTSUP || errno == EOPNOTSUPP) return {};
        if (errno != ERANGE || names.size() >= (size_t(1) << 20)) return failErrno("list the xattrs of " + what);
        names.resize(names.size() * 4);
    }
    std::vector<char> value(4096);
    for (const char* n = names.data(); n < names.data() + size; n += std::strlen(n) + 1) {
        if (!keptXattr(n)) continue;
        ssize_t len;
        while ((len = ::fgetxattr(srcFd, n, value.data(), value.size())) < 0 && errno == ERANGE &&
               value.size() < (size_t(1) << 16))
            value.resize(value.size() * 4);
        if (len < 0) {
            if (errno == ENODATA || errno == EPERM) continue;  // gone meanwhile; trusted.* unreadable here
            return failErrno(fmt::format("read xattr {} of {}", n, what));
        }
        if (::fsetxattr(dstFd, n, value.data(), size_t(len), 0) != 0 && !unsupportedXattr(errno))
            return failErrno(fmt::format("set xattr {} on the copy of {}", n, what));
    }
    return {};
}

// Owner, mode, the kept xattrs (of `srcFd`, when there is one) and times of the copy.
VoidResult copyMeta(int fd, const struct stat& st, const std::string& what, int srcFd = -1) {
    if (::fchown(fd, st.st_uid, st.st_gid) != 0 && !ignorableChownError(errno)) return failErrno("chown " + what);
    // After the chown: chown clears the set-id bits.
    if (::fchmod(fd, st.st_mode & 07777) != 0) return failErrno("chmod " + what);
    // After the chown and the data too: both drop security.capability.
    if (srcFd >= 0) BERTH_TRYV(copyXattrs(srcFd, fd, what));
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

Result<std::vector<std::string>> entryNames(int dirFd, const std::string& path) {
    int dupFd = ::fcntl(dirFd, F_DUPFD_CLOEXEC, 0);
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
    return names;
}

VoidResult copyEntries(int srcDir, int dstDir, const std::string& path, int depth, LinkedCopies& links);

VoidResult copyDirectory(int srcDir, int dstDir, const std::string& name, const std::string& what, int depth,
                         LinkedCopies& links) {
    auto s = openEntry(srcDir, name, O_RDONLY | O_DIRECTORY);
    if (!s) return failErrno("open " + what);
    struct stat st{};
    if (::fstat(s.get(), &st) != 0) return failErrno("stat " + what);
    if (::mkdirat(dstDir, name.c_str(), 0700) != 0 && errno != EEXIST) return failErrno("mkdir " + what);
    auto t = openEntry(dstDir, name, O_RDONLY | O_DIRECTORY);
    if (!t) return errno == ELOOP || errno == ENOTDIR ? fail(replacedError(what)) : failErrno("open the copy of " + what);
    BERTH_TRYV(copyEntries(s.get(), t.get(), what, depth + 1, links));
    return copyMeta(t.get(), st, what, s.get());
}

// A further name of a file already copied: a hard link to the copy, made through the copy's
// own fd, never through a name a racing container could have swapped. AT_EMPTY_PATH needs
// CAP_DAC_READ_SEARCH; without it (ENOENT), the fd's /proc/self/fd link is followed instead.
VoidResult linkCopy(int copyFd, int dstDir, const std::string& name, const std::string& what) {
    if (::linkat(copyFd, "", dstDir, name.c_str(), AT_EMPTY_PATH) == 0) return {};
    if (errno == ENOENT && ::linkat(AT_FDCWD, fdPath(copyFd).c_str(), dstDir, name.c_str(), AT_SYMLINK_FOLLOW) == 0)
        return {};
    return failErrno("link " + what + " to its other name's copy");
}

VoidResult copyRegular(int srcDir, int dstDir, const std::string& name, const std::string& what, LinkedCopies& links) {
    auto s = openEntry(srcDir, name, O_RDONLY);
    if (!s) return failErrno("open " + what);
    struct stat st{};
    if (::fstat(s.get(), &st) != 0) return failErrno("stat " + what);
    if (!S_ISREG(st.st_mode)) return fail(Errc::Io, "copy " + what + ": it changed while being read");
    const std::pair<dev_t, ino_t> inode{st.st_dev, st.st_ino};
    if (st.st_nlink > 1)
        if (auto it = links.find(inode); it != links.end()) return linkCopy(it->second.get(), dstDir, name, what);
    // O_EXCL: a new inode of ours, whatever a racing container put in the directory.
    auto t = openEntry(dstDir, name, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (!t) return failErrno("create the copy of " + what);
    BERTH_TRYV(copyFile(s.get(), t.get(), what));
    BERTH_TRYV(copyMeta(t.get(), st, what, s.get()));
    if (st.st_nlink > 1 && links.size() < kMaxLinkedFiles) links.emplace(inode, std::move(t));
    return {};
}

VoidResult copySymlink(int srcDir, int dstDir, const std::string& name, const struct stat& st, const std::string& what) {
    std::vector<char> target(size_t(st.st_size) + 2);
    ssize_t n = ::readlinkat(srcDir, name.c_str(), target.data(), target.size() - 1);
    if (n < 0) return failErrno("readlink " + what);
    target[size_t(n)] = 0;
    if (::symlinkat(target.data(), dstDir, name.c_str()) != 0) return failErrno("symlink " + what);
    auto link = BERTH_TRY(openMade(dstDir, name, S_IFLNK, what));
    if (::fchownat(link.get(), "", st.st_uid, st.st_gid, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) != 0 &&
        !ignorableChownError(errno))
        return failErrno("chown " + what);
    struct timespec times[2] = {st.st_atim, st.st_mtim};
    (void)::utimensat(link.get(), "", times, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW);  // cosmetic
    return {};
}

VoidResult copyFifo(int dstDir, const std::string& name, const struct stat& st, const std::string& what) {
    if (::mknodat(dstDir, name.c_str(), S_IFIFO | 0600, 0) != 0) return failErrno("mkfifo " + what);
    auto path = BERTH_TRY(openMade(dstDir, name, S_IFIFO, what));
    // A fifo opened for reading without blocking is an fd fchmod accepts; reopened through
    // the O_PATH fd it is the very inode checked above.
    sys::UniqueFd fifo(::open(fdPath(path.get()).c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
    if (!fifo) return failErrno("open the copy of " + what);
    return copyMeta(fifo.get(), st, what);
}

VoidResult copyEntries(int srcDir, int dstDir, const std::string& path, int depth, LinkedCopies& links) {
    if (depth > kMaxDepth) return fail(Errc::Unsupported, "copy " + path + ": directories nested too deep");
    auto names = BERTH_TRY(entryNames(srcDir, path));
    for (auto& name : names) {
        std::string what = path + "/" + name;
        struct stat st{};
        if (::fstatat(srcDir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return failErrno("stat " + what);
        switch (st.st_mode & S_IFMT) {
        case S_IFDIR: BERTH_TRYV(copyDirectory(srcDir, dstDir, name, what, depth, links)); break;
        case S_IFREG: BERTH_TRYV(copyRegular(srcDir, dstDir, name, what, links)); break;
        case S_IFLNK: BERTH_TRYV(copySymlink(srcDir, dstDir, name, st, what)); break;
        case S_IFIFO: BERTH_TRYV(copyFifo(dstDir, name, st, what)); break;
        default: break;  // device nodes and sockets are never made in a volume
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
    LinkedCopies links;
    BERTH_TRYV(copyEntries(srcDirFd, dstDirFd, what, 0, links));
    struct stat st{};
    if (::fstat(srcDirFd, &st) != 0) return failErrno("stat " + what);
    return copyMeta(dstDirFd, st, what, srcDirFd);
}

} // namespace berth::runtime
