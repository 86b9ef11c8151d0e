// /dev: a private tmpfs with the minimal device set Docker gives a container, its own
// devpts instance, shm, mqueue and the usual symlinks. Never the host's /dev.

#include "runtime/rootfs_setup.h"
#include "runtime/safe_path.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <string_view>

namespace berth::runtime {

namespace {

struct Device {
    const char* name;
    unsigned major, minor;
};

constexpr Device kDevices[] = {
    {"null", 1, 3}, {"zero", 1, 5}, {"full", 1, 7}, {"random", 1, 8}, {"urandom", 1, 9}, {"tty", 5, 0},
};

constexpr std::pair<const char*, const char*> kSymlinks[] = {
    {"fd", "/proc/self/fd"},
    {"stdin", "/proc/self/fd/0"},
    {"stdout", "/proc/self/fd/1"},
    {"stderr", "/proc/self/fd/2"},
    {"ptmx", "pts/ptmx"},
    {"core", "/proc/kcore"},
};

// The node `name` in the opened directory `dirFd` (a directory of the root, reached without
// leaving it): mknodat and fchmodat on that fd, nothing resolved by path. Without CAP_MKNOD
// over the device (a user namespace) the host's node `hostPath` is bound on a placeholder.
VoidResult makeNode(int dirFd, const char* name, mode_t mode, dev_t rdev, const std::string& hostPath,
                    const std::string& what) {
    if (::mknodat(dirFd, name, mode, rdev) == 0) {
        if (::fchmodat(dirFd, name, mode & 07777, 0) != 0) return failErrno(what + ": chmod");
        return {};
    }
    if (errno != EPERM) return failErrno(what);
    int fd = ::openat(dirFd, name, O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, mode & 07777);
    if (fd < 0) return failErrno(what + ": placeholder");
    ::close(fd);
    sys::UniqueFd target(::openat(dirFd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC));
    if (!target) return failErrno(what + ": placeholder");
    return mountOnFd(hostPath.c_str(), target.get(), nullptr, MS_BIND, "", what + ": bind the host's node");
}

VoidResult makeDevice(int devFd, const Device& d) {
    return makeNode(devFd, d.name, S_IFCHR | 0666, makedev(d.major, d.minor), fmt::format("/dev/{}", d.name),
                    fmt::format("create /dev/{}", d.name));
}

// A --device node at its path in the container: the parent directories made beneath the
// root (its symlinks resolved inside it, never led into /proc, /sys or /dev), whatever is at the name
// (the default /dev/zero, a file of the image's) replaced, the host node's mode and owner.
VoidResult makeRequestedDevice(int rootFd, const DeviceNode& d) {
    std::string what = fmt::format("--device `{}` on `{}`", d.hostPath, d.path);
    auto path = std::filesystem::path(d.path).lexically_normal();
    std::string name = path.filename().string();
    if (!path.is_absolute() || name.empty() || name == "." || name == "..")
        return fail(Errc::InvalidArgument, what + ": the container path must be an absolute file path");
    std::string parent = path.parent_path().string();
    auto dir = BERTH_TRY_CTX(ensureInRoot(rootFd, parent, NodeKind::Directory, Symlinks::FollowInRoot), what);
    BERTH_TRYV(refuseRedirectIntoKernelFs(rootFd, dir.get(), parent, what));
    if (::unlinkat(dir.get(), name.c_str(), 0) != 0 && errno != ENOENT) return failErrno(what + ": replace `" + d.path + "`");
    BERTH_TRYV(makeNode(dir.get(), name.c_str(), d.mode, d.rdev, d.hostPath, what));
    if (::fchownat(dir.get(), name.c_str(), d.uid, d.gid, AT_SYMLINK_NOFOLLOW) != 0 && errno != EINVAL)
        return failErrno(what + ": chown");  // EINVAL: the owner is unmapped (a user namespace)
    return {};
}

VoidResult makeDir(int devFd, const char* name, mode_t mode) {
    if (::mkdirat(devFd, name, mode) != 0 && errno != EEXIST) return failErrno(fmt::format("mkdir /dev/{}", name));
    if (::fchmodat(devFd, name, mode, 0) != 0) return failErrno(fmt::format("chmod /dev/{}", name));
    return {};
}

} // namespace

VoidResult mountDev(LaunchContext& ctx) {
    int rootFd = ctx.rootFd.get();
    {
        auto target = BERTH_TRY_CTX(ensureInRoot(rootFd, "/dev", NodeKind::Directory, Symlinks::Refuse), "mount tmpfs on /dev");
        BERTH_TRYV(mountOnFd("tmpfs", target.get(), "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k",
                             "mount tmpfs on /dev"));
    }
    // From here on /dev is our own empty tmpfs: nothing in it came from the image.
    auto dev = BERTH_TRY_CTX(openInRoot(rootFd, "/dev", Symlinks::Refuse, O_DIRECTORY | O_RDONLY), "open /dev");
    int devFd = dev.get();

    for (const auto& d : kDevices) BERTH_TRYV(makeDevice(devFd, d));
    for (const auto& [name, target] : kSymlinks)
        if (::symlinkat(target, devFd, name) != 0) return failErrno(fmt::format("symlink /dev/{} -> {}", name, target));

    BERTH_TRYV(makeDir(devFd, "pts", 0755));
    {
        auto pts = BERTH_TRY(openInRoot(rootFd, "/dev/pts", Symlinks::Refuse));
        auto mounted = mountOnFd("devpts", pts.get(), "devpts", MS_NOSUID | MS_NOEXEC,
                                 "newinstance,ptmxmode=0666,mode=0620,gid=5", "mount devpts on /dev/pts");
        if (!mounted && mounted.error().sysErrno() == EINVAL)  // gid 5 unmapped in a user namespace
            mounted = mountOnFd("devpts", pts.get(), "devpts", MS_NOSUID | MS_NOEXEC,
                                "newinstance,ptmxmode=0666,mode=0620", "mount devpts on /dev/pts");
        BERTH_TRYV(mounted);
    }
    BERTH_TRYV(makeDir(devFd, "shm", 01777));
    {
        auto shm = BERTH_TRY(openInRoot(rootFd, "/dev/shm", Symlinks::Refuse));
        // --shm-size, in whole KiB as the kernel rounds tmpfs sizes to pages anyway.
        int64_t kib = std::max<int64_t>(1, (ctx.spec.shmSize + 1023) / 1024);
        BERTH_TRYV(mountOnFd("shm", shm.get(), "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
                             fmt::format("mode=1777,size={}k", kib), "mount tmpfs on /dev/shm"));
    }
    BERTH_TRYV(makeDir(devFd, "mqueue", 0755));
    {
        auto mq = BERTH_TRY(openInRoot(rootFd, "/dev/mqueue", Symlinks::Refuse));
        BERTH_TRYV(mountOnFd("mqueue", mq.get(), "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC, "",
                             "mount mqueue on /dev/mqueue"));
    }
    if (ctx.process.terminal) {
        // /dev/console is the container's terminal. Bind it by path: the pty fd belongs to
        // the caller's mount namespace, which mount(2) refuses as a bind source, but our
        // copy of that namespace holds the same /dev/pts/N.
        char slave[256] = {};
        ssize_t n = ::readlink("/proc/self/fd/0", slave, sizeof slave - 1);
        if (n < 0) return failErrno("find the terminal's name");
        if (std::string_view(slave).starts_with("/dev/pts/")) {
            int fd = ::openat(devFd, "console", O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0620);
            if (fd < 0) return failErrno("create /dev/console");
            ::close(fd);
            auto console = BERTH_TRY(openInRoot(rootFd, "/dev/console", Symlinks::Refuse));
            BERTH_TRYV(mountOnFd(slave, console.get(), nullptr, MS_BIND, "",
                                 fmt::format("bind the terminal `{}` on /dev/console", slave)));
        }
    }
    for (const auto& d : ctx.spec.devices) BERTH_TRYV(makeRequestedDevice(rootFd, d));
    return {};
}

} // namespace berth::runtime
