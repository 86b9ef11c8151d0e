#include "runtime/rootfs_setup.h"

#include "runtime/default_paths.h"
#include "runtime/mount_options.h"
#include "runtime/readonly_mount.h"
#include "runtime/rootless_overlay.h"
#include "runtime/safe_path.h"
#include "runtime/volume_copy.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

namespace berth::runtime {

namespace fs = std::filesystem;

VoidResult mountOnFd(const char* source, int targetFd, const char* type, unsigned long flags,
                     const std::string& data, const std::string& what) {
    std::string target = fdPath(targetFd);
    if (::mount(source, target.c_str(), type, flags, data.empty() ? nullptr : data.c_str()) != 0)
        return failErrno(what);
    return {};
}

namespace {

// Flags a bind remount must repeat: the kernel refuses to clear locked ones, and dropping
// nosuid/nodev/noexec by accident would weaken the mount.
unsigned long currentFlags(const std::string& path) {
    struct statvfs sv{};
    if (::statvfs(path.c_str(), &sv) != 0) return 0;
    unsigned long f = 0;
    if (sv.f_flag & ST_RDONLY) f |= MS_RDONLY;
    if (sv.f_flag & ST_NOSUID) f |= MS_NOSUID;
    if (sv.f_flag & ST_NODEV) f |= MS_NODEV;
    if (sv.f_flag & ST_NOEXEC) f |= MS_NOEXEC;
    if (sv.f_flag & ST_NOATIME) f |= MS_NOATIME;
    if (sv.f_flag & ST_NODIRATIME) f |= MS_NODIRATIME;
    if (sv.f_flag & ST_RELATIME) f |= MS_RELATIME;
    return f;
}

// A path the overlay options can carry (',' separates options, ':' lower layers).
VoidResult checkOverlayPath(const fs::path& p) {
    if (p.string().find_first_of(",:") != std::string::npos)
        return fail(Errc::InvalidArgument, fmt::format("overlay layer path `{}` contains ',' or ':'", p.string()));
    return {};
}

fs::path commonAncestor(const std::vector<fs::path>& paths) {
    fs::path common = paths.front().parent_path();
    for (const auto& p : paths) {
        while (!common.empty() && common != "/") {
            auto rel = p.lexically_relative(common);
            if (!rel.empty() && *rel.begin() != "..") break;
            common = common.parent_path();
        }
    }
    return common.empty() ? fs::path("/") : common;
}

std::string overlayOptions(const ContainerSpec& spec, const fs::path& relativeTo) {
    auto name = [&](const fs::path& p) {
        return relativeTo.empty() ? p.string() : p.lexically_relative(relativeTo).string();
    };
    std::string lower;
    // overlayfs lists the TOP layer first; the spec lists the bottom first.
    for (auto it = spec.lowerDirs.rbegin(); it != spec.lowerDirs.rend(); ++it) {
        if (!lower.empty()) lower += ':';
        lower += name(*it);
    }
    std::string opts = "lowerdir=" + lower;
    if (!spec.upperDir.empty()) opts += ",upperdir=" + name(spec.upperDir) + ",workdir=" + name(spec.workDir);
    return opts;
}

VoidResult mountOverlay(const ContainerSpec& spec) {
    for (const auto& p : spec.lowerDirs) BERTH_TRYV(checkOverlayPath(p));
    if (!spec.upperDir.empty()) {
        if (spec.workDir.empty())
            return fail(Errc::InvalidArgument, "overlay root: an upper dir needs a work dir");
        BERTH_TRYV(checkOverlayPath(spec.upperDir));
        BERTH_TRYV(checkOverlayPath(spec.workDir));
    }
    if (spec.upperDir.empty() && spec.lowerDirs.size() == 1) {
        // overlayfs wants two lower layers without an upper one: a read-only bind is the same.
        const char* lower = spec.lowerDirs.front().c_str();
        if (::mount(lower, spec.rootfs.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0)
            return failErrno(fmt::format("bind layer `{}` on `{}`", spec.lowerDirs.front().string(), spec.rootfs.string()));
        sys::UniqueFd root(::open(spec.rootfs.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
        if (!root) return failErrno(fmt::format("open rootfs `{}`", spec.rootfs.string()));
        return makeReadonlyRecursive(root.get(), "make the single-layer root read-only", spec.engine.mountSetattr);
    }
    std::string opts = overlayOptions(spec, {});
    // mount(2) takes one page of options; many deep layers don't fit. Relative paths from a
    // common ancestor (overlayfs resolves them against our cwd) usually do.
    if (opts.size() >= size_t(::sysconf(_SC_PAGESIZE)) - 1) {
        std::vector<fs::path> all(spec.lowerDirs.begin(), spec.lowerDirs.end());
        if (!spec.upperDir.empty()) {
            all.push_back(spec.upperDir);
            all.push_back(spec.workDir);
        }
        fs::path common = commonAncestor(all);
        if (::chdir(common.c_str()) != 0) return failErrno(fmt::format("chdir `{}`", common.string()));
        opts = overlayOptions(spec, common);
        if (opts.size() >= size_t(::sysconf(_SC_PAGESIZE)) - 1)
            return fail(Errc::Unsupported,
                        fmt::format("overlay root: {} layers make the mount options too long", spec.lowerDirs.size()));
    }
    if (!spec.userNamespace.empty()) {
        if (spec.engine.overlay == OverlayDriver::Fuse) return mountFuseOverlay(spec, opts);
        // Rootless: trusted.* xattrs are out of reach; opaque dirs use user.overlay.*.
        opts += ",userxattr";
    }
    if (spec.volatileUpper && !spec.upperDir.empty() &&
        opts.size() + 9 < size_t(::sysconf(_SC_PAGESIZE)) - 1) {
        std::string volatileOpts = opts + ",volatile";
        if (::mount("overlay", spec.rootfs.c_str(), "overlay", 0, volatileOpts.c_str()) == 0) return {};
        // (Rootless: any refusal goes on to the plain mount and its fuse-overlayfs fallback.)
        if (errno != EINVAL && spec.userNamespace.empty())
            return failErrno(fmt::format("mount overlay on `{}` ({} layers)", spec.rootfs.string(),
                                                          spec.lowerDirs.size()));
        // EINVAL: a kernel before 5.10 that does not know the option; mount as usual.
    }
    if (::mount("overlay", spec.rootfs.c_str(), "overlay", 0, opts.c_str()) != 0) {
        // Rootless on a kernel (or file system) that refuses overlayfs in a user namespace.
        if (!spec.userNamespace.empty() && (errno == EPERM || errno == EINVAL || errno == ENODEV))
            return mountFuseOverlay(spec, opts.substr(0, opts.size() - std::string_view(",userxattr").size()));
        return failErrno(fmt::format("mount overlay on `{}` ({} layers)", spec.rootfs.string(), spec.lowerDirs.size()));
    }
    return {};
}

} // namespace

VoidResult remountBind(const std::string& path, unsigned long addFlags, const std::string& what) {
    unsigned long flags = MS_BIND | MS_REMOUNT | currentFlags(path) | addFlags;
    if (::mount(nullptr, path.c_str(), nullptr, flags, nullptr) != 0) return failErrno(what);
    return {};
}

VoidResult makeMountsPrivate(LaunchContext&) {
    // Nothing we mount may propagate back to the host, and nothing the host mounts later
    // should appear in the container.
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
        return failErrno("make every mount private in the container's namespace");
    return {};
}

VoidResult mountRootfs(LaunchContext& ctx) {
    const auto& spec = ctx.spec;
    if (spec.rootfs.empty() || !spec.rootfs.is_absolute())
        return fail(Errc::InvalidArgument, "the container's rootfs must be an absolute path");
    if (spec.lowerDirs.empty()) {
        // A ready root: bind it onto itself so it is a mount point pivot_root accepts.
        if (::mount(spec.rootfs.c_str(), spec.rootfs.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0)
            return failErrno(fmt::format("bind rootfs `{}`", spec.rootfs.string()));
    } else {
        BERTH_TRYV(mountOverlay(spec));
    }
    int fd = ::open(spec.rootfs.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return failErrno(fmt::format("open rootfs `{}`", spec.rootfs.string()));
    ctx.rootFd.reset(fd);
    return {};
}

VoidResult mountProc(LaunchContext& ctx) {
    auto target = BERTH_TRY_CTX(ensureInRoot(ctx.rootFd.get(), "/proc", NodeKind::Directory, Symlinks::Refuse),
                                "mount proc on /proc");
    return mountOnFd("proc", target.get(), "proc", MS_NOSUID | MS_NOEXEC | MS_NODEV, "", "mount proc on /proc");
}

VoidResult mountSys(LaunchContext& ctx) {
    auto target = BERTH_TRY_CTX(ensureInRoot(ctx.rootFd.get(), "/sys", NodeKind::Directory, Symlinks::Refuse),
                                "mount sysfs on /sys");
    unsigned long flags = MS_NOSUID | MS_NOEXEC | MS_NODEV | (ctx.spec.privileged ? 0 : MS_RDONLY);
    auto mounted = mountOnFd("sysfs", target.get(), "sysfs", flags, "", "mount sysfs on /sys");
    if (mounted) return {};
    int e = mounted.error().sysErrno();
    if (e != EPERM && e != EACCES) return mounted;
    // sysfs can only be mounted by the owner of the network namespace (not the case in a
    // user namespace sharing the host's network): bind the host's, read-only.
    BERTH_TRYV(mountOnFd("/sys", target.get(), nullptr, MS_BIND | MS_REC, "", "bind /sys (sysfs refused)"));
    auto top = BERTH_TRY(openInRoot(ctx.rootFd.get(), "/sys", Symlinks::Refuse));
    if (ctx.spec.privileged) return {};
    return makeReadonlyRecursive(top.get(), "make the /sys bind read-only", ctx.spec.engine.mountSetattr);
}

namespace {

// Where an image's symlinks may not take a mount: the kernel's file systems and the
// runtime's /dev. A destination written there (`-v /dev/snd:/dev/snd`) is the user's
// choice; one that an image symlink redirects there (`/data -> /sys/kernel`) is refused.
std::string_view kernelArea(std::string_view path) {
    for (std::string_view area : {"/proc", "/sys", "/dev"})
        if (path == area || (path.starts_with(area) && path[area.size()] == '/')) return area;
    return {};
}

Result<std::string> kernelName(int fd, const std::string& what) {
    char buf[4096];
    ssize_t n = ::readlink(fdPath(fd).c_str(), buf, sizeof buf - 1);
    if (n < 0) return failErrno(what + ": find where it resolved");
    return std::string(buf, size_t(n));
}

} // namespace

VoidResult refuseRedirectIntoKernelFs(int rootFd, int targetFd, const std::string& destination, const std::string& what) {
    std::string root = BERTH_TRY(kernelName(rootFd, what));
    std::string target = BERTH_TRY(kernelName(targetFd, what));
    if (root != "/" && target != root && !target.starts_with(root + "/"))
        return fail(Errc::InvalidArgument, fmt::format("{}: `{}` resolved outside the container's root: refusing", what, destination));
    std::string inRoot = root == "/" ? target : target == root ? "/" : target.substr(root.size());
    std::string written = fs::path("/" + destination).lexically_normal().string();
    auto area = kernelArea(inRoot);
    if (!area.empty() && area != kernelArea(written))
        return fail(Errc::InvalidArgument,
                    fmt::format("{}: `{}` leads to `{}` through a symlink in the image; a mount may not be "
                                "redirected into {}: refusing",
                                what, destination, inRoot, area));
    return {};
}

VoidResult mountEtcFiles(LaunchContext& ctx) {
    const std::pair<const fs::path*, const char*> files[] = {
        {&ctx.spec.hostsFile, "/etc/hosts"},
        {&ctx.spec.hostnameFile, "/etc/hostname"},
        {&ctx.spec.resolvConfFile, "/etc/resolv.conf"},
    };
    for (const auto& [source, dest] : files) {
        if (source->empty()) continue;
        std::string what = fmt::format("bind `{}` on {}", source->string(), dest);
        auto target = BERTH_TRY_CTX(ensureInRoot(ctx.rootFd.get(), dest, NodeKind::File, Symlinks::FollowInRoot), what);
        BERTH_TRYV(refuseRedirectIntoKernelFs(ctx.rootFd.get(), target.get(), dest, what));
        BERTH_TRYV(mountOnFd(source->c_str(), target.get(), nullptr, MS_BIND, "", what));
    }
    return {};
}

namespace {

// Fills an empty volume from the image's directory at the mount point (docker's copy-up).
// Runs before anything is mounted in the root, so the source is the image (with the
// container's layer), never /proc, /sys, /dev or another mount; resolved beneath the root.
VoidResult copyUpVolume(int rootFd, const MountSpec& m, const std::string& what) {
    auto image = openInRoot(rootFd, m.destination, Symlinks::FollowInRoot, O_RDONLY | O_DIRECTORY);
    if (!image) {
        int e = image.error().sysErrno();
        if (e == ENOENT || e == ENOTDIR) return {};  // nothing in the image there: nothing to copy
        return fail(image.error().withContext("open the image's " + m.destination));
    }
    BERTH_TRYV(refuseRedirectIntoKernelFs(rootFd, image->get(), m.destination, what));
    sys::UniqueFd volume(::open(m.source.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!volume) return failErrno("open volume directory `" + m.source + "`");
    if (!BERTH_TRY(directoryEmpty(volume.get()))) return {};
    return copyTreeInto(image->get(), volume.get(), "image path " + m.destination);
}

} // namespace

VoidResult copyUpVolumes(LaunchContext& ctx) {
    for (const auto& m : ctx.spec.mounts) {
        if (!m.copyUp) continue;
        std::string what = fmt::format("fill volume `{}` for `{}`", m.source, m.destination);
        if (m.destination.empty() || m.destination[0] != '/')
            return fail(Errc::InvalidArgument, what + ": the destination must be an absolute path");
        BERTH_TRYV(copyUpVolume(ctx.rootFd.get(), m, what));
    }
    return {};
}

VoidResult mountUserMounts(LaunchContext& ctx) {
    for (const auto& m : ctx.spec.mounts) {
        std::string what = fmt::format("mount {} `{}` on `{}`", m.type.empty() ? "bind" : m.type, m.source, m.destination);
        if (m.destination.empty() || m.destination[0] != '/')
            return fail(Errc::InvalidArgument, what + ": the destination must be an absolute path");
        auto opts = BERTH_TRY_CTX(parseMountOptions(m.options), what);
        bool bind = m.type == "bind" || m.type.empty() ||
                    std::find(m.options.begin(), m.options.end(), "bind") != m.options.end() ||
                    std::find(m.options.begin(), m.options.end(), "rbind") != m.options.end();
        int rootFd = ctx.rootFd.get();
        if (bind) {
            struct stat st{};
            if (::stat(m.source.c_str(), &st) != 0) return failErrno(what + ": bind source");
            NodeKind kind = S_ISDIR(st.st_mode) ? NodeKind::Directory : NodeKind::File;
            auto target = BERTH_TRY_CTX(ensureInRoot(rootFd, m.destination, kind, Symlinks::FollowInRoot), what);
            BERTH_TRYV(refuseRedirectIntoKernelFs(rootFd, target.get(), m.destination, what));
            BERTH_TRYV(mountOnFd(m.source.c_str(), target.get(), nullptr,
                                 MS_BIND | (opts.recursiveBind ? MS_REC : 0), "", what));
            auto top = BERTH_TRY_CTX(openInRoot(rootFd, m.destination, Symlinks::FollowInRoot), what);
            if (opts.flags & ~MS_REMOUNT) BERTH_TRYV(remountBind(fdPath(top.get()), opts.flags & ~MS_REMOUNT, what + ": remount"));
            // `ro` covers the host's mounts below the source too, not only the top one.
            if (opts.flags & MS_RDONLY) BERTH_TRYV(makeReadonlyRecursive(top.get(), what, ctx.spec.engine.mountSetattr));
            if (opts.propagation &&
                ::mount(nullptr, fdPath(top.get()).c_str(), nullptr, opts.propagation, nullptr) != 0)
                return failErrno(what + ": set propagation");
            continue;
        }
        auto target = BERTH_TRY_CTX(ensureInRoot(rootFd, m.destination, NodeKind::Directory, Symlinks::FollowInRoot), what);
        BERTH_TRYV(refuseRedirectIntoKernelFs(rootFd, target.get(), m.destination, what));
        std::string source = m.source.empty() ? m.type : m.source;
        BERTH_TRYV(mountOnFd(source.c_str(), target.get(), m.type.c_str(), opts.flags, opts.data, what));
        if (opts.propagation) {
            auto top = BERTH_TRY_CTX(openInRoot(rootFd, m.destination, Symlinks::FollowInRoot), what);
            if (::mount(nullptr, fdPath(top.get()).c_str(), nullptr, opts.propagation, nullptr) != 0)
                return failErrno(what + ": set propagation");
        }
    }
    return {};
}

VoidResult pivotRoot(LaunchContext& ctx) {
    if (::fchdir(ctx.rootFd.get()) != 0) return failErrno("chdir into the rootfs");
    // pivot_root(".", "."): the old root ends up stacked on "."; detaching it leaves the
    // new root alone, with no directory needed to park the old one in.
    if (::syscall(SYS_pivot_root, ".", ".") != 0) return failErrno("pivot_root");
    if (::umount2(".", MNT_DETACH) != 0) return failErrno("detach the old root");
    if (::chdir("/") != 0) return failErrno("chdir /");
    ctx.rootFd.reset();
    return {};
}

VoidResult maskPaths(LaunchContext& ctx) {
    if (ctx.spec.privileged) return {};
    const auto& paths = ctx.spec.maskedPaths.empty() ? defaultMaskedPaths() : ctx.spec.maskedPaths;
    for (const auto& p : paths) {
        struct stat st{};
        if (::lstat(p.c_str(), &st) != 0) {
            if (errno == ENOENT) continue;
            return failErrno(fmt::format("mask `{}`", p));
        }
        if (S_ISDIR(st.st_mode)) {
            if (::mount("tmpfs", p.c_str(), "tmpfs", MS_RDONLY, nullptr) != 0)
                return failErrno(fmt::format("mask `{}` with an empty read-only tmpfs", p));
        } else if (::mount("/dev/null", p.c_str(), nullptr, MS_BIND, nullptr) != 0) {
            return failErrno(fmt::format("mask `{}` with /dev/null", p));
        }
    }
    return {};
}

VoidResult makePathsReadonly(LaunchContext& ctx) {
    if (ctx.spec.privileged) return {};
    const auto& paths = ctx.spec.readonlyPaths.empty() ? defaultReadonlyPaths() : ctx.spec.readonlyPaths;
    for (const auto& p : paths) {
        struct stat st{};
        if (::lstat(p.c_str(), &st) != 0) {
            if (errno == ENOENT) continue;
            return failErrno(fmt::format("make `{}` read-only", p));
        }
        if (::mount(p.c_str(), p.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0)
            return failErrno(fmt::format("bind `{}` onto itself", p));
        BERTH_TRYV(remountBind(p, MS_RDONLY, fmt::format("remount `{}` read-only", p)));
    }
    return {};
}

VoidResult remountRootReadonly(LaunchContext& ctx) {
    if (!ctx.spec.readonlyRoot) return {};
    return remountBind("/", MS_RDONLY, "remount the root read-only");
}

} // namespace berth::runtime
