#pragma once
// The cgroup v2 manager: one directory in the unified hierarchy, controllers enabled in
// every parent's cgroup.subtree_control on the way down.

#include "cgroup/cgroup_manager.h"
#include "cgroup/control_files.h"

namespace berth::cgroup {

class V2Manager final : public CgroupManager {
public:
    V2Manager(std::filesystem::path root, std::filesystem::path relPath, ManagerOptions opts);

    VoidResult create(const Resources& res) override;
    VoidResult update(const Resources& res) override;
    VoidResult addProcess(pid_t pid) override;
    Result<Stats> stats() const override;
    VoidResult freeze(bool frozen) override;
    VoidResult destroy() override;
    std::string describe() const override;
    CgroupVersion version() const override { return CgroupVersion::V2; }
    Result<std::vector<pid_t>> processes() const override;
    std::vector<std::filesystem::path> paths() const override { return {m_dir}; }

    // The controllers a container's limits need, in the order they are enabled.
    static constexpr const char* kControllers[] = {"memory", "cpu", "pids", "cpuset", "io"};

private:
    VoidResult enableControllers(const std::filesystem::path& parent) const;
    VoidResult apply(const Resources& res);
    VoidResult restrictDevices(const Resources& res) const;
    VoidResult write(const char* file, std::string_view value) const;

    std::filesystem::path m_root;
    std::filesystem::path m_dir;
    ManagerOptions m_opts;
    detail::ControlUndo* m_undo = nullptr;  // set while update() writes: what to restore on a refusal
    bool m_realFs;
};

} // namespace berth::cgroup
