#pragma once
// One interface over cgroup v2 and v1 (detected at run time). Each implementation takes
// the cgroup root as a parameter so tests can point it at a temporary directory.

#include "cgroup/resources.h"
#include "sys/error.h"

#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <string>

namespace berth::cgroup {

class CgroupManager {
public:
    virtual ~CgroupManager() = default;

    // Creates the container's cgroup (e.g. "berth/<id>") and applies the limits. A limit
    // the kernel refuses is an error naming the file and value.
    virtual VoidResult create(const Resources& res) = 0;
    virtual VoidResult update(const Resources& res) = 0;
    virtual VoidResult addProcess(pid_t pid) = 0;
    virtual Result<Stats> stats() const = 0;
    virtual VoidResult freeze(bool frozen) = 0;
    // Kills every process left in the cgroup and removes it (all hierarchies on v1).
    virtual VoidResult destroy() = 0;
    virtual std::string describe() const = 0;  // "v2 /sys/fs/cgroup/berth/<id>"
};

enum class CgroupVersion { V1, V2 };

// Detects the host's layout under `root` (default /sys/fs/cgroup): a unified v2 mount with
// controllers means v2; v1 controllers (even with a hybrid v2 mount without controllers,
// as on Debian hosts booted that way) means v1.
Result<CgroupVersion> detectVersion(const std::filesystem::path& root = "/sys/fs/cgroup");

// A manager for the cgroup `relPath` (e.g. "berth/<id>") under `root`.
Result<std::unique_ptr<CgroupManager>> makeManager(CgroupVersion v,
                                                    const std::filesystem::path& root,
                                                    const std::string& relPath);

} // namespace berth::cgroup
