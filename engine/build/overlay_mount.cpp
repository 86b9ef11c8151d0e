#include "build/overlay_mount.h"

#include "sys/fs.h"
#include "sys/userns.h"

#include <sys/mount.h>
#include <unistd.h>

#include <fmt/format.h>

namespace berth::build {

namespace fs = std::filesystem;

Result<OverlayMount> OverlayMount::mount(const std::vector<fs::path>& lowers, const fs::path& upper,
                                         const fs::path& work, const fs::path& target) {
    std::vector<fs::path> all = lowers;
    // overlayfs needs a lower layer, and two of them without an upper one: an empty
    // directory next to the target stands in.
    fs::path empty = target.string() + ".empty";
    if (all.size() < (upper.empty() ? 2u : 1u)) {
        BERTH_TRYV(sys::makeDirs(empty));
        while (all.size() < (upper.empty() ? 2u : 1u)) all.insert(all.begin(), empty);
    }
    std::string opts = "lowerdir=";
    for (auto it = all.rbegin(); it != all.rend(); ++it) {
        if (it != all.rbegin()) opts += ':';
        opts += it->string();
    }
    if (!upper.empty()) opts += ",upperdir=" + upper.string() + ",workdir=" + work.string();
    // Rootless (inside the user-namespace helper): trusted.* xattrs are out of reach, so
    // overlayfs keeps opaque dirs as user.overlay.*, as the layer code reads and writes them.
    if (sys::inUserNamespaceHelper()) opts += ",userxattr";
    if (opts.size() >= size_t(::sysconf(_SC_PAGESIZE)) - 1)
        return fail(Errc::Unsupported, fmt::format("{} layers make the overlay mount options too long", lowers.size()));
    if (::mount("overlay", target.c_str(), "overlay", upper.empty() ? MS_RDONLY : 0, opts.c_str()) != 0) {
        if ((errno == EPERM || errno == EACCES) && ::geteuid() != 0)
            return fail(Errc::Unsupported, "mounting the stage's root file system needs root or the rootless "
                                           "user-namespace helper (this path does not use it yet)");
        return failErrno(fmt::format("mount the stage's root file system ({} layers) on `{}`", lowers.size(), target.string()));
    }
    OverlayMount m;
    m.m_target = target;
    return m;
}

void OverlayMount::unmount() {
    if (m_target.empty()) return;
    if (::umount2(m_target.c_str(), 0) != 0) ::umount2(m_target.c_str(), MNT_DETACH);
    m_target.clear();
}

OverlayMount::~OverlayMount() { unmount(); }

} // namespace berth::build
