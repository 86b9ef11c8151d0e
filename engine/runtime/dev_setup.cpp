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

VoidResult makeDevice(int rootFd, int devFd, const Device& d) {
    std::string what = fmt::format("create /dev/{}", d.name);
    if (::mknodat(devFd, d.name, S_IFCHR | 0666, makedev(d.major, d.minor)) == 0) {
        if (::fchmodat(devFd, d.name, 0666, 0) != 0) return failErrno(what + ": chmod");
        return {};
    }
    if (errno != EPERM) return failErrno(what);
    // No CAP_MKNOD over the device (a user namespace): bind the host's node instead.
    int fd = ::openat(devFd, d.name, O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0) return failErrno(what + ": placeholder");
    ::close(fd);
    auto target = BERTH_TRY_CTX(openInRoot(rootFd, fmt::format("/dev/{}", d.name), Symlinks::Refuse), what);
    std::string host = fmt::format("/dev/{}", d.name);
    return mountOnFd(host.c_str(), target.get(), nullptr, MS_BIND, "", what + ": bind the host's node");
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

    for (const auto& d : kDevices) BERTH_TRYV(makeDevice(rootFd, devFd, d));
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
    return {};
}

} // namespace berth::runtime
