#include "store/layout.h"

#include "sys/fs.h"

#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

namespace berth::store {

// /tmp/berth-<uid> is in a world-writable directory: someone else may have made it (or a
// symlink of that name) to read or steer our state. It must be a real directory, ours,
// and private.
static VoidResult checkPrivateRunDir(const fs::path& dir) {
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return failErrno(fmt::format("create `{}`", dir.string()));
    struct stat st{};
    if (::lstat(dir.c_str(), &st) != 0) return failErrno(fmt::format("stat `{}`", dir.string()));
    if (!S_ISDIR(st.st_mode) || st.st_uid != ::geteuid())
        return fail(Errc::PermissionDenied,
                    fmt::format("run directory `{}` is not a directory owned by uid {}: refusing to use it "
                                "(remove it, or set XDG_RUNTIME_DIR or BERTH_RUNROOT)",
                                dir.string(), ::geteuid()));
    if ((st.st_mode & 077) != 0 && ::chmod(dir.c_str(), 0700) != 0)
        return failErrno(fmt::format("make `{}` private (0700)", dir.string()));
    return {};
}

// Whether `dir` has more permissions than `mode` and may be narrowed: ours and not a shared
// sticky directory (`--root /tmp` by mistake keeps its mode; Docker likewise sets the mode
// of its data root, whatever was there). One lstat in the usual case.
static bool needsNarrowing(const fs::path& dir, mode_t mode) {
    struct stat st{};
    if (::lstat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return false;
    return (st.st_mode & 0777 & ~mode) != 0 && st.st_uid == ::geteuid() && !(st.st_mode & S_ISVTX);
}

// The run root as root holds the Docker API socket (/run/berth/docker.sock, 0660 group
// berth), which the group must reach: 0711, it cannot be listed, and everything Berth makes
// in it is 0700. A user's run root is 0700.
static mode_t runRootMode() { return ::geteuid() == 0 ? 0711 : 0700; }

static VoidResult chmodIfThere(const fs::path& p, mode_t mode) {
    if (::chmod(p.c_str(), mode) != 0 && errno != ENOENT && errno != ENOTDIR)
        return failErrno(fmt::format("make `{}` private", p.string()));
    return {};
}

// A store made before the store was private (root and subdirectories 0755, container
// configs 0644) is made private when opened, so a user upgrading is protected too.
static VoidResult makeStorePrivate(const StoreLayout& l) {
    if (!needsNarrowing(l.root, 0700)) return {};
    for (const fs::path& d : {l.root / "blobs", l.blobs(), l.layers(), l.images(), l.containers(), l.volumes(), l.tmp()})
        BERTH_TRYV(chmodIfThere(d, 0700));
    std::error_code ec;
    for (const auto& c : fs::directory_iterator(l.containers(), ec))
        for (const char* record : {"config.json", "seccomp.json"}) BERTH_TRYV(chmodIfThere(c.path() / record, 0600));
    // The root last: until it is private, the next open tries again.
    return chmodIfThere(l.root, 0700);
}

// The run root as well (/run/berth was 0755, and so were its containers/ and networks/).
static VoidResult makeRunRootPrivate(const StoreLayout& l) {
    if (!needsNarrowing(l.runRoot, runRootMode())) return {};
    BERTH_TRYV(chmodIfThere(l.runContainers(), 0700));
    BERTH_TRYV(chmodIfThere(l.runRoot / "networks", 0700));
    return chmodIfThere(l.runRoot, runRootMode());
}

Result<StoreLayout> openLayout(const EngineSettings& settings) {
    if (settings.store.root.empty()) return fail(Errc::InvalidArgument, "store root is empty");
    StoreLayout l;
    l.root = settings.store.root;
    l.runRoot = settings.store.runRoot;
    l.settings = settings;
    if (::geteuid() != 0 && l.runRoot == fs::path("/tmp/berth-" + std::to_string(::geteuid())))
        BERTH_TRYV_CTX(checkPrivateRunDir(l.runRoot), "open store `" + l.root.string() + "`");
    else if (settings.rootless() && !sys::exists(l.runRoot))
        (void)(sys::makeDirs(l.runRoot.parent_path()) && ::mkdir(l.runRoot.c_str(), 0700));  // nobody else's business
    // Private: images carry setuid files, containers' layers whatever their root made
    // (setuid files, device nodes), configs the -e values, volumes the data. No helper
    // reaches into the store as another host user (a rootless container's ids are mapped
    // in a user namespace whose root is the store's owner), so the store needs no 0711.
    std::string ctx = "open store `" + l.root.string() + "`";
    BERTH_TRYV_CTX(sys::makeDirs(l.root, 0700), ctx);
    BERTH_TRYV_CTX(makeStorePrivate(l), ctx);
    for (const fs::path& d : {l.root / "blobs", l.blobs(), l.layers(), l.images(), l.containers(),
                              l.volumes(), l.tmp()}) {
        BERTH_TRYV_CTX(sys::makeDirs(d, 0700), ctx);
    }
    BERTH_TRYV_CTX(sys::makeDirs(l.runRoot, runRootMode()), ctx);
    BERTH_TRYV_CTX(sys::makeDirs(l.runContainers(), 0700), ctx);
    BERTH_TRYV_CTX(makeRunRootPrivate(l), ctx);
    return l;
}

Result<StoreLayout> openLayout(const fs::path& root, const fs::path& runRoot) {
    if (root.empty()) return fail(Errc::InvalidArgument, "store root is empty");
    return openLayout(resolveEngineSettings({.root = root, .runRoot = runRoot}));
}

} // namespace berth::store
