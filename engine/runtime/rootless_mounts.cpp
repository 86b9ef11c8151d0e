#include "runtime/rootless_mounts.h"

#include "runtime/rootfs_setup.h"
#include "runtime/safe_path.h"

#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/statfs.h>

namespace berth::runtime {

VoidResult mountCgroupsRootless(LaunchContext& ctx) {
    auto target = openInRoot(ctx.rootFd.get(), "/sys/fs/cgroup", Symlinks::Refuse);
    if (!target) {
        if (target.error().sysErrno() == ENOENT) return {};  // a sysfs without it: nothing to do
        return std::unexpected(target.error().withContext("mount /sys/fs/cgroup"));
    }
    unsigned long flags = MS_NOSUID | MS_NODEV | MS_NOEXEC | (ctx.spec.privileged ? 0 : MS_RDONLY);
    // A cgroup2-only host: the container's own cgroup namespace view, as for root.
    struct statfs host{};
    if (::statfs("/sys/fs/cgroup", &host) == 0 && host.f_type == CGROUP2_SUPER_MAGIC &&
        mountOnFd("cgroup2", target->get(), "cgroup2", flags, "", "mount cgroup2 on /sys/fs/cgroup"))
        return {};
    auto bound = mountOnFd("/sys/fs/cgroup", target->get(), nullptr, MS_BIND | MS_REC, "",
                           "bind the host's /sys/fs/cgroup (rootless)");
    if (!bound) {
        // Nothing to show is better than no container: /sys/fs/cgroup stays empty.
        int e = bound.error().sysErrno();
        if (e == EPERM || e == EACCES || e == ENOENT) return {};
        return bound;
    }
    if (ctx.spec.privileged) return {};
    auto top = BERTH_TRY(openInRoot(ctx.rootFd.get(), "/sys/fs/cgroup", Symlinks::Refuse));
    (void)remountBind(fdPath(top.get()), MS_RDONLY, "make /sys/fs/cgroup read-only");  // best effort: owned by host root
    return {};
}

} // namespace berth::runtime
