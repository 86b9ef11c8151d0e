// /sys/fs/cgroup inside the container: the host's hierarchies (v2, v1 or hybrid) mounted
// again from within the container's cgroup namespace, so they show the container's own
// cgroup as their root; read-only unless privileged, like Docker. Runtimes such as the JVM
// and Go read their memory and CPU limits there.

#include "runtime/rootless_mounts.h"
#include "runtime/rootfs_setup.h"
#include "runtime/safe_path.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <fstream>
#include <sstream>

namespace berth::runtime {

namespace {

struct HostCgroupMount {
    std::string name;     // "" for a v2 mount at /sys/fs/cgroup itself, else "memory", "unified"...
    std::string type;     // "cgroup" or "cgroup2"
    std::string options;  // v1 hierarchy options: "cpu,cpuacct", "name=systemd"
};

// Mount flags are ours to choose; everything else names the hierarchy and must match it.
bool isMountFlag(const std::string& o) {
    static const char* const kFlags[] = {"rw", "ro", "nosuid", "nodev", "noexec", "relatime", "noatime",
                                         "nodiratime", "strictatime", "sync", "async", "lazytime"};
    for (const char* f : kFlags)
        if (o == f) return true;
    return false;
}

std::vector<HostCgroupMount> hostCgroupMounts() {
    std::vector<HostCgroupMount> out;
    std::ifstream in("/proc/self/mounts");
    std::string line;
    const std::string base = "/sys/fs/cgroup";
    while (std::getline(in, line)) {
        std::istringstream f(line);
        std::string source, point, type, options;
        f >> source >> point >> type >> options;
        if (type != "cgroup" && type != "cgroup2") continue;
        if (point != base && !point.starts_with(base + "/")) continue;
        std::string name = point == base ? "" : point.substr(base.size() + 1);
        if (name.find('/') != std::string::npos || name.find('\\') != std::string::npos) continue;
        std::string hierarchy;
        std::istringstream opts(options);
        std::string o;
        while (std::getline(opts, o, ','))
            if (!isMountFlag(o)) hierarchy += (hierarchy.empty() ? "" : ",") + o;
        out.push_back({name, type, type == "cgroup" ? hierarchy : ""});
    }
    return out;
}

} // namespace

VoidResult mountCgroups(LaunchContext& ctx) {
    if (!ctx.spec.userNamespace.empty()) return mountCgroupsRootless(ctx);  // rootless_mounts.h
    auto hosts = hostCgroupMounts();
    if (hosts.empty()) return {};
    int rootFd = ctx.rootFd.get();
    auto target = openInRoot(rootFd, "/sys/fs/cgroup", Symlinks::Refuse);
    if (!target) {
        if (target.error().sysErrno() == ENOENT) return {};  // a sysfs without it: nothing to do
        return std::unexpected(target.error().withContext("mount /sys/fs/cgroup"));
    }
    unsigned long flags = MS_NOSUID | MS_NODEV | MS_NOEXEC | (ctx.spec.privileged ? 0 : MS_RDONLY);

    if (hosts.size() == 1 && hosts[0].name.empty() && hosts[0].type == "cgroup2")
        return mountOnFd("cgroup2", target->get(), "cgroup2", flags, "", "mount cgroup2 on /sys/fs/cgroup");

    BERTH_TRYV(mountOnFd("tmpfs", target->get(), "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=755,size=64k",
                         "mount tmpfs on /sys/fs/cgroup"));
    auto dir = BERTH_TRY(openInRoot(rootFd, "/sys/fs/cgroup", Symlinks::Refuse, O_DIRECTORY | O_RDONLY));
    for (const auto& h : hosts) {
        if (h.name.empty()) continue;
        std::string what = fmt::format("mount {} ({}) on /sys/fs/cgroup/{}", h.type, h.options, h.name);
        if (::mkdirat(dir.get(), h.name.c_str(), 0755) != 0 && errno != EEXIST) return failErrno(what + ": mkdir");
        auto point = BERTH_TRY_CTX(openInRoot(rootFd, "/sys/fs/cgroup/" + h.name, Symlinks::Refuse), what);
        BERTH_TRYV(mountOnFd(h.type.c_str(), point.get(), h.type.c_str(), flags, h.options, what));
        // Co-mounted controllers ("cpu,cpuacct") are also reachable by each name.
        if (h.name.find(',') != std::string::npos) {
            std::istringstream parts(h.name);
            std::string part;
            while (std::getline(parts, part, ','))
                if (::symlinkat(h.name.c_str(), dir.get(), part.c_str()) != 0 && errno != EEXIST)
                    return failErrno(fmt::format("symlink /sys/fs/cgroup/{}", part));
        }
    }
    if (ctx.spec.privileged) return {};
    auto top = BERTH_TRY(openInRoot(rootFd, "/sys/fs/cgroup", Symlinks::Refuse));
    return remountBind(fdPath(top.get()), MS_RDONLY, "make /sys/fs/cgroup read-only");
}

} // namespace berth::runtime
