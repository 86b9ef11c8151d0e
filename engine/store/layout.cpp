#include "store/layout.h"

#include "sys/fs.h"
#include "sys/userns.h"

#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cstdlib>

namespace berth::store {

fs::path defaultRoot() {
    if (const char* r = std::getenv("BERTH_ROOT"); r && *r) return r;
    if (::geteuid() == 0) return "/var/lib/berth";
    if (const char* x = std::getenv("XDG_DATA_HOME"); x && *x) return fs::path(x) / "berth";
    if (const char* h = std::getenv("HOME"); h && *h) return fs::path(h) / ".local/share/berth";
    return "/tmp/berth-" + std::to_string(::geteuid());
}

fs::path defaultRunRoot(const fs::path& root) {
    if (const char* r = std::getenv("BERTH_RUNROOT"); r && *r) return r;
    // A store given explicitly (tests, --root) keeps its run state beside it, so two
    // stores never share containers' runtime files.
    if (const char* r = std::getenv("BERTH_ROOT"); r && *r) return root / "run";
    if (::geteuid() == 0) {
        if (root == "/var/lib/berth") return "/run/berth";
        return root / "run";
    }
    if (const char* x = std::getenv("XDG_RUNTIME_DIR"); x && *x) return fs::path(x) / "berth";
    // No per-user runtime dir (no logind session): a private directory in /tmp, checked
    // in openLayout() to be ours and 0700 (anyone may create it first to trap us).
    fs::path tmp = "/tmp/berth-" + std::to_string(::geteuid());
    return root == tmp ? root / "run" : tmp;
}

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

Result<StoreLayout> openLayout(const fs::path& root, const fs::path& runRoot) {
    if (root.empty()) return fail(Errc::InvalidArgument, "store root is empty");
    StoreLayout l;
    l.root = fs::absolute(root);
    l.runRoot = runRoot.empty() ? defaultRunRoot(l.root) : fs::absolute(runRoot);
    if (::geteuid() != 0 && l.runRoot == fs::path("/tmp/berth-" + std::to_string(::geteuid())))
        BERTH_TRYV_CTX(checkPrivateRunDir(l.runRoot), "open store `" + l.root.string() + "`");
    else if (sys::isRootless() && !sys::exists(l.runRoot))
        (void)(sys::makeDirs(l.runRoot.parent_path()) && ::mkdir(l.runRoot.c_str(), 0700));  // nobody else's business
    for (const fs::path& d : {l.root, l.blobs(), l.layers(), l.images(), l.containers(),
                              l.volumes(), l.tmp(), l.runRoot, l.runContainers()}) {
        BERTH_TRYV_CTX(sys::makeDirs(d), "open store `" + l.root.string() + "`");
    }
    return l;
}

} // namespace berth::store
