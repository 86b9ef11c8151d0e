// docker cp at the front door: a path's stat, a tar of it, and a tar extracted into a
// directory, in a container's root file system. A running container's root is its init's
// (/proc/<pid>/root: its own view, its volumes included); a stopped one's is its overlay
// (the image's layers and its upper directory) mounted for the call, writable only for a
// copy in. Every path is then resolved beneath that root fd by container_archive's *at
// calls (openat2 RESOLVE_IN_ROOT): a symlink in the container never leads out of it.
#include "container_root.h"
#include "engine_impl.h"

#include "berth/text.h"

#include "build/overlay_mount.h"
#include "container/container_archive.h"
#include "registry/auth.h"
#include "sys/fs.h"
#include "sys/scope_guard.h"
#include "sys/unique_fd.h"

#include <fcntl.h>
#include <unistd.h>

#include <functional>

namespace berth::api {

namespace {

using RootFn = std::function<VoidResult(int rootFd)>;

bool isUp(const container::ContainerRecord& rec) {
    return (rec.state.status == container::Status::Running || rec.state.status == container::Status::Paused) &&
           rec.state.pid > 0;
}

// The init's root, checked after the open: the same container still running with the
// same init (so the pid was not reused meanwhile).
VoidResult withRunningRoot(EngineServices& s, const container::ContainerRecord& rec, const RootFn& fn) {
    const std::string proc = "/proc/" + std::to_string(rec.state.pid) + "/root";
    sys::UniqueFd root(::open(proc.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!root) return failErrno("open the root of container " + rec.config.name);
    auto again = BERTH_TRY(s.containers().get(rec.config.id));
    if (!isUp(again) || again.state.pid != rec.state.pid)
        return fail(Errc::Conflict, "container " + rec.config.name + " stopped during the copy");
    return fn(root.get());
}

VoidResult withRoot(EngineServices& s, std::string_view ref, bool writable, const RootFn& fn) {
    auto rec = BERTH_TRY(s.containers().get(ref));
    if (isUp(rec)) return withRunningRoot(s, rec, fn);
    return withContainerFileSystem(s, rec, writable, fn);
}

// "/a/b" -> "b"; "/a/." and "/" -> "." (the directory's contents).
std::string entryName(const std::string& path) {
    std::string p = path;
    if (p.ends_with("/.") || p == "/" || p.empty()) return ".";
    while (p.size() > 1 && p.back() == '/') p.pop_back();
    return p.substr(p.rfind('/') + 1);
}

std::string absolute(std::string_view path) { return path.starts_with('/') ? std::string(path) : "/" + std::string(path); }

} // namespace

VoidResult withContainerFileSystem(EngineServices& s, const container::ContainerRecord& rec, bool writable,
                                   const std::function<VoidResult(int rootFd)>& fn) {
    std::vector<std::filesystem::path> lowers = rec.config.lowerDirs;
    std::filesystem::path upper, work;
    if (writable) {
        upper = rec.dir / "upper";
        work = rec.dir / "work";
        BERTH_TRYV(sys::makeDirs(work, 0700));
    } else {
        lowers.push_back(rec.dir / "upper");
    }
    auto target = s.layout().tmp() / ("cp-" + rec.config.id.substr(0, 12) + "-" + sys::randomHex(4));
    BERTH_TRYV(sys::makeDirs(target, 0700));
    sys::ScopeGuard removeTarget([&] {
        ::rmdir(target.c_str());
        ::rmdir((target.string() + ".empty").c_str());
    });
    auto view = BERTH_TRY_CTX(build::OverlayMount::mount(lowers, upper, work, target),
                              "mount the file system of container " + rec.config.name);
    sys::UniqueFd root(::open(target.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!root) return failErrno("open the file system of container " + rec.config.name);
    auto done = fn(root.get());
    root.reset();
    view.unmount();
    return done;
}

Result<ContainerPathStat> ContainersApi::statPath(std::string_view ref, std::string_view path) {
    ContainerPathStat out;
    BERTH_TRYV(withRoot(m_s, ref, false, [&](int root) -> VoidResult {
        auto st = BERTH_TRY(container::statInRoot(root, absolute(path)));
        out = {st.name, st.size, st.mode, st.mtimeNano, st.linkTarget};
        return {};
    }));
    return out;
}

VoidResult ContainersApi::copyFrom(std::string_view ref, std::string_view path, int outFd) {
    const std::string p = absolute(path);
    return withRoot(m_s, ref, false, [&](int root) { return container::writePathTar(root, p, entryName(p), outFd); });
}

VoidResult ContainersApi::copyTo(std::string_view ref, std::string_view dir, int inFd, const CopyInOptions& options) {
    container::ExtractOptions o;
    o.noOverwriteDirNonDir = options.noOverwriteDirNonDir;
    o.keepOwners = options.keepOwners;
    return withRoot(m_s, ref, true, [&](int root) -> VoidResult {
        BERTH_TRY(container::extractTar(root, absolute(dir), inFd, o));
        return {};
    });
}

} // namespace berth::api

namespace berth {

// The registry client's encoder, at the front door (berth/text.h).
std::string base64Encode(std::string_view bytes) { return registry::base64Encode(bytes); }

} // namespace berth
