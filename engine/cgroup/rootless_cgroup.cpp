#include "cgroup/rootless_cgroup.h"

#include "cgroup/systemd_scope_manager.h"
#include "cgroup/control_files.h"
#include "sys/fs.h"

#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

namespace berth::cgroup {

namespace fs = std::filesystem;

namespace {

std::string readSmall(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<std::string> words(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    std::string w;
    while (in >> w) out.push_back(w);
    return out;
}

// The v2 path of this process: the "0::/path" line of /proc/self/cgroup.
std::string unifiedPath(const std::string& selfCgroup) {
    std::istringstream in(selfCgroup);
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("0::", 0) == 0) return line.substr(3);
    return {};
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : " ") + i;
    return out.empty() ? "none" : out;
}

// A manager without a cgroup: the container runs, unlimited and unaccounted.
class NoCgroupManager final : public CgroupManager {
public:
    explicit NoCgroupManager(std::string reason) : m_reason(std::move(reason)) {}
    VoidResult create(const Resources& res) override { return update(res); }
    VoidResult update(const Resources& res) override {
        RootlessCgroups none;
        none.reason = m_reason;
        return checkRootlessLimits(res, none);
    }
    VoidResult addProcess(pid_t) override { return {}; }
    Result<Stats> stats() const override { return Stats{}; }
    VoidResult freeze(bool frozen) override {
        if (!frozen) return {};
        return fail(Errc::Unsupported, "pause needs the freezer of a cgroup, and rootless containers here have "
                                       "none: " + m_reason);
    }
    VoidResult destroy() override { return {}; }
    std::string describe() const override { return "none (rootless: " + m_reason + ")"; }
    CgroupVersion version() const override { return CgroupVersion::V2; }
    Result<std::vector<pid_t>> processes() const override { return std::vector<pid_t>{}; }
    std::vector<fs::path> paths() const override { return {}; }

private:
    std::string m_reason;
};

} // namespace

RootlessCgroups detectRootlessCgroups(const fs::path& cgroupRoot, const std::string& selfCgroup, uid_t uid,
                                      std::optional<CgroupVersion> forcedVersion, const fs::path& parent,
                                      const fs::path& scopeHelper) {
    RootlessCgroups r;
    DetectOptions opts;
    opts.forced = forcedVersion;
    auto layout = detectLayout(cgroupRoot, opts);
    if (!layout) {
        r.reason = layout.error().message();
        return r;
    }
    if (layout->version == CgroupVersion::V1) {
        r.reason = "the host uses cgroup v1, which cannot be delegated to a user (boot with "
                   "systemd.unified_cgroup_hierarchy=1 for cgroup v2)";
        return r;
    }
    fs::path v2 = layout->root;
    std::vector<fs::path> candidates;
    std::string scopeReason;
    if (parent.empty()) {
        // As Podman does: a delegated systemd scope per container, when systemd is there.
        auto scope = systemdScopeSupport(v2, scopeHelper);
        if (scope.delegated) return scope;
        scopeReason = scope.reason;
    }
    if (!parent.empty()) {
        const fs::path& p = parent;
        candidates.push_back(p.is_absolute() && p.string().rfind(v2.string(), 0) == 0 ? p : v2 / p.relative_path());
    } else {
        if (auto self = unifiedPath(selfCgroup); !self.empty() && self != "/")
            candidates.push_back(v2 / fs::path(self).relative_path());
        candidates.push_back(v2 / fmt::format("user.slice/user-{}.slice/user@{}.service/berth.slice", uid, uid));
    }
    for (const auto& c : candidates) {
        // The base itself, or its parent when the base is ours to create.
        fs::path probe = fs::exists(c) ? c : c.parent_path();
        if (::access(probe.c_str(), W_OK) != 0) continue;
        if (::access((probe / "cgroup.subtree_control").c_str(), W_OK) != 0) continue;
        auto available = words(readSmall(probe / "cgroup.controllers"));
        if (available.empty()) continue;
        r.delegated = true;
        r.base = c;
        r.controllers = available;
        return r;
    }
    r.reason = "no cgroup v2 subtree is delegated to this user (run berth inside a delegated systemd user scope, "
               "or set BERTH_CGROUP_PARENT to one)";
    if (!scopeReason.empty()) r.reason += "; " + scopeReason;
    return r;
}

RootlessCgroups hostRootlessCgroups(const EngineSettings& settings) {
    static std::mutex mutex;
    static std::map<std::string, RootlessCgroups> cached;  // by the settings it was found with
    const auto& c = settings.cgroup;
    std::optional<CgroupVersion> forced;
    if (!c.version.empty()) {
        auto v = parseVersion(c.version);
        if (!v) {
            RootlessCgroups none;
            none.reason = "BERTH_CGROUP_VERSION: " + v.error().message();
            return none;
        }
        forced = *v;
    }
    std::string key = c.version + '\n' + c.root.string() + '\n' + c.parent.string() + '\n' + settings.helpers.scope.string();
    std::lock_guard lock(mutex);
    auto it = cached.find(key);
    if (it == cached.end())
        it = cached.emplace(key, detectRootlessCgroups(c.root, readSmall("/proc/self/cgroup"), ::getuid(), forced,
                                                       c.parent, settings.helpers.scope))
                 .first;
    return it->second;
}

std::vector<std::string> requestedLimits(const Resources& res) {
    std::vector<std::string> flags;
    if (res.memoryBytes) flags.push_back("--memory");
    if (res.memorySwapBytes) flags.push_back("--memory-swap");
    if (res.cpuQuotaUs) flags.push_back("--cpus");
    if (res.cpuShares) flags.push_back("--cpu-shares");
    if (res.cpusetCpus) flags.push_back("--cpuset-cpus");
    if (res.pidsLimit && *res.pidsLimit > 0) flags.push_back("--pids-limit");
    return flags;
}

VoidResult checkRootlessLimits(const Resources& res, const RootlessCgroups& support) {
    auto flags = requestedLimits(res);
    if (flags.empty()) return {};
    std::string list;
    for (const auto& f : flags) list += (list.empty() ? "" : ", ") + f;
    if (!support.delegated)
        return fail(Errc::Unsupported, fmt::format("{}: resource limits are not available in rootless mode here: {}",
                                                   list, support.reason));
    auto has = [&](const char* c) {
        return std::find(support.controllers.begin(), support.controllers.end(), c) != support.controllers.end();
    };
    std::vector<std::pair<std::string, const char*>> needs;
    if (res.memoryBytes || res.memorySwapBytes) needs.emplace_back("--memory", "memory");
    if (res.cpuQuotaUs || res.cpuShares) needs.emplace_back("--cpus/--cpu-shares", "cpu");
    if (res.cpusetCpus) needs.emplace_back("--cpuset-cpus", "cpuset");
    if (res.pidsLimit && *res.pidsLimit > 0) needs.emplace_back("--pids-limit", "pids");
    for (auto& [flag, controller] : needs)
        if (!has(controller))
            return fail(Errc::Unsupported,
                        fmt::format("{}: the `{}` controller is not delegated to this user in `{}` (delegated: {})",
                                    flag, controller, support.base.string(),
                                    joined(support.controllers)));
    return {};
}

Result<std::unique_ptr<CgroupManager>> makeRootlessManager(const RootlessCgroups& support, const std::string& relPath,
                                                           const ManagerOptions& opts) {
    if (!support.delegated) return std::unique_ptr<CgroupManager>(std::make_unique<NoCgroupManager>(support.reason));
    if (support.systemdScope) {
        BERTH_TRYV(detail::validateRelPath(relPath));
        return std::unique_ptr<CgroupManager>(
            std::make_unique<SystemdScopeManager>(support.v2Root, fs::path(relPath).filename().string(), opts,
                                                  support.scopeHelper));
    }
    // Containers go beneath the delegated base: "berth/<id>" -> "<base>/<id>".
    fs::path rel(relPath);
    std::string leaf = rel.filename().string();
    fs::path root = support.base.parent_path();
    std::string sub = (support.base.filename() / leaf).string();
    return makeManager(CgroupVersion::V2, root, sub, opts);
}

Result<std::unique_ptr<CgroupManager>> openRootlessManager(const std::string& relPath, const EngineSettings& settings) {
    return makeRootlessManager(hostRootlessCgroups(settings), relPath);
}

} // namespace berth::cgroup
