#pragma once
// The cgroup v1 manager: one directory per controller hierarchy (root/<controller>/<path>).
// Joined mounts such as "cpu,cpuacct" (with "cpu" and "cpuacct" as symlinks) share one
// directory.

#include "cgroup/cgroup_manager.h"
#include "cgroup/control_files.h"

#include <map>

namespace berth::cgroup {

class V1Manager final : public CgroupManager {
public:
    V1Manager(std::filesystem::path root, std::filesystem::path relPath, ManagerOptions opts);

    VoidResult create(const Resources& res) override;
    VoidResult update(const Resources& res) override;
    VoidResult addProcess(pid_t pid) override;
    Result<Stats> stats() const override;
    VoidResult freeze(bool frozen) override;
    VoidResult destroy() override;
    std::string describe() const override;
    CgroupVersion version() const override { return CgroupVersion::V1; }
    Result<std::vector<pid_t>> processes() const override;
    std::vector<std::filesystem::path> paths() const override;

    static constexpr const char* kControllers[] = {"memory", "cpu",     "cpuacct", "cpuset",
                                                   "pids",   "blkio",   "freezer", "devices"};
    // memory.limit_in_bytes reads back as this (page-rounded LONG_MAX) or more when unlimited.
    static constexpr uint64_t kUnlimitedThreshold = uint64_t(1) << 62;

private:
    struct Hierarchy {
        std::filesystem::path mount;  // root/<controller>, symlinks resolved
        std::filesystem::path dir;    // mount/relPath
    };
    // The directory of `controller`, or nullptr when it is not mounted.
    const Hierarchy* find(const char* controller) const;
    VoidResult require(const char* controller, const char* flag) const;
    VoidResult apply(const Resources& res);
    VoidResult applyMemory(const Resources& res);
    VoidResult inheritCpuset(const std::filesystem::path& mount) const;
    VoidResult restrictDevices(const Resources& res) const;
    VoidResult write(const char* controller, const char* file, std::string_view value) const;
    Result<std::optional<std::string>> read(const char* controller, const char* file) const;

    std::filesystem::path m_root;
    std::filesystem::path m_rel;
    ManagerOptions m_opts;
    detail::ControlUndo* m_undo = nullptr;  // set while update() writes: what to restore on a refusal
    bool m_realFs = false;
    std::map<std::string, Hierarchy> m_byController;
    std::vector<Hierarchy> m_unique;  // each mount once, in kControllers order
};

} // namespace berth::cgroup
