#include "runtime_mode_settings.h"

#include "cgroup/cgroup_manager.h"
#include "cgroup/rootless_cgroup.h"
#include "runtime/rootless_network.h"
#include "runtime/rootless_overlay.h"
#include "sys/userns.h"

#include <unistd.h>

#include <fmt/format.h>

namespace berth {

namespace {

std::string mapText(const std::vector<sys::IdRange>& ranges) {
    std::string out;
    for (const auto& r : ranges) out += fmt::format("{}{}:{}:{}", out.empty() ? "" : ",", r.inside, r.outside, r.count);
    return out;
}

} // namespace

std::string RuntimeModeInfo::summary() const {
    if (!rootless) return "Root mode";
    std::vector<std::string> missing;
    for (const auto& c : capabilities)
        if (!c.available) missing.push_back(c.name);
    std::string s = singleIdMapping ? "Rootless (single-id map" : "Rootless (";
    if (!missing.empty()) {
        s += singleIdMapping ? "; no " : "no ";
        for (size_t i = 0; i < missing.size(); ++i) s += (i ? ", " : "") + missing[i];
    } else if (!singleIdMapping) {
        s += "all features";
    }
    return s + ")";
}

RuntimeModeInfo runtimeModeInfo() { return runtimeModeInfo(resolveEngineSettings()); }

RuntimeModeInfo runtimeModeInfo(const EngineSettings& settings) {
    RuntimeModeInfo info;
    info.rootless = settings.rootless();
    info.mode = info.rootless ? "rootless" : "root";
    if (!info.rootless) {
        info.networkTool = "bridge";
        info.overlay = "kernel overlayfs";
        auto layout = cgroup::detectLayout("/sys/fs/cgroup", {.versionSetting = settings.cgroup.version});
        info.cgroups = layout ? (layout->version == cgroup::CgroupVersion::V2 ? "v2 " : "v1 ") + layout->root.string()
                              : layout.error().message();
        info.capabilities = {{"resource limits", layout.has_value(), info.cgroups},
                             {"ports below 1024", true, "root binds any port"},
                             {"ping", true, "root"}};
        return info;
    }
    if (auto m = sys::rootlessIdMapping()) {
        info.idMapping = mapText(m->uids);
        info.singleIdMapping = m->singleId();
        info.warning = m->warning;
    } else {
        info.warning = m.error().message();
    }
    info.overlay = settings.runtime.overlay == OverlayDriver::Fuse ? "fuse-overlayfs (BERTH_OVERLAY=fuse)"
                                                : "kernel overlayfs in the user namespace (fuse-overlayfs if refused)";
    const auto cg = cgroup::hostRootlessCgroups(settings);
    info.cgroups = cg.systemdScope ? "v2, a systemd user scope with Delegate=true per container (berth-<id>.scope, "
                                     "made over D-Bus) under " + cg.base.string()
                   : cg.delegated  ? "v2 delegated at " + cg.base.string()
                                   : "none: " + cg.reason;
    std::string controllers;
    for (const auto& c : cg.controllers) controllers += (controllers.empty() ? "" : " ") + c;
    info.capabilities.push_back({"resource limits", cg.delegated,
                                 cg.delegated ? "controllers: " + controllers
                                              : "--memory, --cpus, --pids-limit... are refused: " + cg.reason});

    auto net = runtime::detectRootlessNetwork(settings.runtime.rootlessNetwork);
    info.networkTool = net.tool;
    bool netOk = !net.tool.empty() && net.tunUsable;
    std::string netDetail = net.tool.empty() ? "neither pasta (passt) nor slirp4netns is installed: loopback only"
                            : !net.tunUsable ? "/dev/net/tun is not open to this user: loopback only, -p refused"
                                             : "outbound traffic and -p through " + net.tool;
    info.capabilities.push_back({"network", netOk, netDetail});
    info.capabilities.push_back(
        {"ports below 1024", net.unprivilegedPortStart < 1024,
         fmt::format("host ports from {} up (net.ipv4.ip_unprivileged_port_start)", net.unprivilegedPortStart)});
    info.capabilities.push_back(
        {"ping", net.pingAllowed,
         net.pingAllowed ? "ICMP echo allowed for this group (net.ipv4.ping_group_range)"
                         : "ICMP sockets not allowed for this group (net.ipv4.ping_group_range)"});
    info.capabilities.push_back({"other users in containers", !info.singleIdMapping,
                                 info.singleIdMapping ? "no subordinate ids: only uid/gid 0 exist inside"
                                                      : "uids 0-65536 mapped through /etc/subuid"});
    return info;
}

} // namespace berth
