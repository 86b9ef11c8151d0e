#pragma once
// A rootless container's cgroup as a transient systemd user scope, `berth-<id>.scope`,
// created with Delegate=true over the user's D-Bus (as Podman does): systemd moves the
// container's init into it, and the scope's cgroup v2 directory (which a user manager
// owns) is where a V2Manager writes the limits. The scope only exists once a process is
// in it, so create() keeps the limits and addProcess() starts the scope; a process that
// did not start it (`berth exec`, `stats`, `rm`) finds it by its unit name. destroy()
// stops the unit (systemd kills what is left and removes the cgroup).

#include "cgroup/cgroup_manager.h"
#include "cgroup/rootless_cgroup.h"

#include <filesystem>
#include <memory>
#include <string>

namespace berth::cgroup {

// Whether scopes can limit containers here: the user's systemd answers on D-Bus and its
// own cgroup (under `v2Root`) offers controllers. `delegated` false with `reason` saying
// which of the two is missing. `helper`: the berth-scope program ("" = found beside).
RootlessCgroups systemdScopeSupport(const std::filesystem::path& v2Root, const std::filesystem::path& helper);

class SystemdScopeManager final : public CgroupManager {
public:
    // `v2Root`: the cgroup2 mount under which systemd's ControlGroup paths lie;
    // `containerId` names the unit; `helper` is the berth-scope program ("" = found beside).
    SystemdScopeManager(std::filesystem::path v2Root, std::string containerId, ManagerOptions opts,
                        std::filesystem::path helper = {});

    VoidResult create(const Resources& res) override;
    VoidResult update(const Resources& res) override;
    VoidResult addProcess(pid_t pid) override;
    Result<Stats> stats() const override;
    VoidResult freeze(bool frozen) override;
    VoidResult destroy() override;
    std::string describe() const override;
    CgroupVersion version() const override { return CgroupVersion::V2; }
    Result<std::vector<pid_t>> processes() const override;
    std::vector<std::filesystem::path> paths() const override;

    const std::string& unit() const { return m_unit; }

private:
    // The V2Manager of the running scope, found through the bus; nullptr when systemd
    // has no such unit.
    Result<CgroupManager*> inner() const;
    VoidResult bind(const std::string& controlGroup) const;

    std::filesystem::path m_v2Root;
    std::filesystem::path m_helper;
    std::string m_id;
    std::string m_unit;
    ManagerOptions m_opts;
    Resources m_res;
    mutable std::unique_ptr<CgroupManager> m_inner;
};

} // namespace berth::cgroup
