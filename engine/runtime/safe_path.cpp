#include "runtime/safe_path.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <filesystem>

namespace berth::runtime {

namespace {

std::string normalize(const std::string& path) {
    std::string p = std::filesystem::path("/" + path).lexically_normal().string();
    while (p.size() > 1 && p.back() == '/') p.pop_back();
    return p;
}

int openat2Raw(int dirFd, const char* path, int flags, uint64_t resolve) {
    open_how how{};
    how.flags = uint64_t(flags) | O_CLOEXEC;
    how.resolve = resolve;
    return int(::syscall(SYS_openat2, dirFd, path, &how, sizeof how));
}

// Names the first symlink on `path` so a refusal says which one and where it points.
std::string describeSymlink(int rootFd, const std::string& path) {
    std::string sofar;
    for (const auto& part : std::filesystem::path(path).relative_path()) {
        sofar += "/" + part.string();
        char target[4096];
        ssize_t n = ::readlinkat(rootFd, sofar.c_str() + 1, target, sizeof target - 1);
        if (n >= 0) {
            target[n] = 0;
            return fmt::format("`{}` is a symlink (to `{}`)", sofar, target);
        }
    }
    return fmt::format("`{}` goes through a symlink", path);
}

Result<sys::UniqueFd> ensureImpl(int rootFd, const std::string& path, NodeKind kind,
                                 Symlinks symlinks, mode_t mode, int depth) {
    if (depth > 40)
        return failErrno(fmt::format("resolve `{}` in the container root", path), ELOOP);
    auto opened = openInRoot(rootFd, path, symlinks);
    if (opened || opened.error().sysErrno() != ENOENT) return opened;

    std::filesystem::path p(path);
    std::string parent = p.parent_path().string();
    std::string name = p.filename().string();
    if (name.empty()) return opened;  // "/" itself missing: can't happen, report as is
    auto parentFd = BERTH_TRY(ensureImpl(rootFd, parent, NodeKind::Directory, symlinks, 0755, depth + 1));

    struct stat st{};
    if (::fstatat(parentFd.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
        // A dangling symlink (e.g. /etc/resolv.conf -> ../run/x): create what it names.
        if (symlinks == Symlinks::Refuse)
            return fail(Error(Errc::PermissionDenied,
                              describeSymlink(rootFd, path) + " in the image: refusing", ELOOP));
        char target[4096];
        ssize_t n = ::readlinkat(parentFd.get(), name.c_str(), target, sizeof target - 1);
        if (n < 0) return failErrno(fmt::format("readlink `{}`", path));
        target[n] = 0;
        std::string next = target[0] == '/' ? std::string(target) : parent + "/" + target;
        return ensureImpl(rootFd, normalize(next), kind, symlinks, mode, depth + 1);
    }
    if (kind == NodeKind::Directory) {
        if (::mkdirat(parentFd.get(), name.c_str(), mode) != 0 && errno != EEXIST)
            return failErrno(fmt::format("mkdir `{}` in the container root", path));
    } else {
        int fd = ::openat(parentFd.get(), name.c_str(), O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd < 0 && errno != EEXIST)
            return failErrno(fmt::format("create `{}` in the container root", path));
        if (fd >= 0) ::close(fd);
    }
    return openInRoot(rootFd, path, symlinks);
}

} // namespace

Result<sys::UniqueFd> openInRoot(int rootFd, const std::string& path, Symlinks symlinks,
                                 int openFlags) {
    std::string norm = normalize(path);
    std::string rel = norm == "/" ? "." : norm.substr(1);
    uint64_t resolve = RESOLVE_NO_MAGICLINKS;
    resolve |= symlinks == Symlinks::Refuse ? (RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS) : RESOLVE_IN_ROOT;
    int flags = openFlags;
    if (symlinks == Symlinks::Refuse) flags |= O_NOFOLLOW;
    int fd = openat2Raw(rootFd, rel.c_str(), flags, resolve);
    if (fd < 0) {
        int e = errno;
        if (e == ELOOP && symlinks == Symlinks::Refuse)
            return fail(Error(Errc::PermissionDenied,
                              describeSymlink(rootFd, norm) + " in the image: refusing", ELOOP));
        // O_PATH|O_NOFOLLOW on a final symlink succeeds and yields the link itself; a
        // "no symlinks" resolution of a link therefore shows up as ELOOP above.
        return failErrno(fmt::format("open `{}` in the container root", norm), e);
    }
    sys::UniqueFd owned(fd);
    if (symlinks == Symlinks::Refuse) {
        struct stat st{};
        if (::fstat(fd, &st) == 0 && S_ISLNK(st.st_mode))
            return fail(Error(Errc::PermissionDenied,
                              describeSymlink(rootFd, norm) + " in the image: refusing", ELOOP));
    }
    return owned;
}

Result<sys::UniqueFd> ensureInRoot(int rootFd, const std::string& path, NodeKind kind,
                                   Symlinks symlinks, mode_t mode) {
    return ensureImpl(rootFd, normalize(path), kind, symlinks, mode, 0);
}

Result<std::string> readFileInRoot(int rootFd, const std::string& path, size_t maxBytes) {
    auto fd = openInRoot(rootFd, path, Symlinks::FollowInRoot, O_PATH);
    if (!fd) {
        if (fd.error().sysErrno() == ENOENT) return std::string();
        return std::unexpected(fd.error());
    }
    return readRegularFile(fd->get(), fmt::format("`{}` in the container root", normalize(path)), maxBytes);
}

Result<std::string> readRegularFile(int pathFd, const std::string& what, size_t maxBytes) {
    struct stat st{};
    if (::fstat(pathFd, &st) != 0) return failErrno(fmt::format("stat {}", what));
    if (!S_ISREG(st.st_mode))
        return fail(Error(Errc::InvalidArgument, fmt::format("{} is not a regular file", what), EINVAL));
    // Reopened through /proc/self/fd: the inode just checked, whatever its name is now.
    sys::UniqueFd file(::open(fdPath(pathFd).c_str(), O_RDONLY | O_NOCTTY | O_CLOEXEC));
    if (!file) return failErrno(fmt::format("open {}", what));
    std::string out;
    char buf[8192];
    for (;;) {
        ssize_t n = ::read(file.get(), buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            return failErrno(fmt::format("read {}", what));
        }
        if (n == 0) break;
        out.append(buf, size_t(n));
        if (out.size() > maxBytes) return fail(Errc::InvalidArgument, fmt::format("{} is too large", what));
    }
    return out;
}

std::string fdPath(int fd) { return fmt::format("/proc/self/fd/{}", fd); }

} // namespace berth::runtime
