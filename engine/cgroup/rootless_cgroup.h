#pragma once
// Cgroups for rootless mode. An ordinary user can only limit containers through a cgroup
// v2 subtree delegated to it (systemd's user@<uid>.service, or a scope created with
// Delegate=yes, e.g. `systemd-run --user --scope -p Delegate=yes berth ...`). Where there
// is none (cgroup v1 hosts like Debian's hybrid boot, or no controller delegated), a
// container still runs, without a cgroup of its own, and any limit flag is an ERROR that
// says why (Podman's choice: a limit silently not applied is worse than none asked).

#include "cgroup/cgroup_manager.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace berth::cgroup {

struct RootlessCgroups {
    bool delegated = false;
    // The delegated v2 directory under which containers' cgroups are made.
    std::filesystem::path base;
    std::vector<std::string> controllers;  // enabled for children of `base`
    std::string reason;                    // why limits are unavailable (when !delegated)
    // Each container gets a transient systemd user scope with Delegate=true, made over
    // D-Bus (cgroup/systemd_scope_manager.h); `controllers` are the user manager's.
    bool systemdScope = false;
    std::filesystem::path v2Root;  // the cgroup2 mount systemd's paths are relative to
    std::filesystem::path scopeHelper;  // berth-scope (EngineSettings::helpers.scope; "" = found beside)
};

// Finds the delegated subtree: `parent` (BERTH_CGROUP_PARENT: relative to the v2 mount, or
// absolute), else a systemd user manager on the user's D-Bus with controllers to delegate
// (a scope per container, through the berth-scope program `scopeHelper`), else the cgroup
// this process runs in when it is writable (a delegated scope), else
// user.slice/user-<uid>.slice/user@<uid>.service/berth.slice. `cgroupRoot`, `selfCgroup`
// (text of /proc/self/cgroup) and `forcedVersion` are parameters for tests.
RootlessCgroups detectRootlessCgroups(const std::filesystem::path& cgroupRoot, const std::string& selfCgroup,
                                      uid_t uid, std::optional<CgroupVersion> forcedVersion = {},
                                      const std::filesystem::path& parent = {},
                                      const std::filesystem::path& scopeHelper = {});
// The same for this host and process with the engine's settings (cgroup.root: /sys/fs/cgroup,
// or BERTH_CGROUP_ROOT, a temporary directory standing in for it in tests; cgroup.parent,
// helpers.scope), cached per process and settings.
RootlessCgroups hostRootlessCgroups(const EngineSettings& settings);

// The limit flags set in `res` that need a controller, e.g. {"--memory", "--pids-limit"}.
std::vector<std::string> requestedLimits(const Resources& res);
// An error naming the flags when `res` asks for limits `support` cannot enforce.
VoidResult checkRootlessLimits(const Resources& res, const RootlessCgroups& support);

// The manager for a rootless container: v2 under the delegated base, or one that holds
// no cgroup (create refuses limits, stats are zero, pause is unsupported).
Result<std::unique_ptr<CgroupManager>> openRootlessManager(const std::string& relPath, const EngineSettings& settings);
Result<std::unique_ptr<CgroupManager>> makeRootlessManager(const RootlessCgroups& support,
                                                           const std::string& relPath,
                                                           const ManagerOptions& opts = {});

} // namespace berth::cgroup
