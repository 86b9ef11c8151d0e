#pragma once
// One interface over cgroup v2 and v1 (detected at run time). Each implementation takes
// the cgroup root as a parameter so tests can point it at a temporary directory.

#include "cgroup/resources.h"
#include "sys/engine_settings.h"
#include "sys/error.h"

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace berth::cgroup {

enum class CgroupVersion { V1, V2 };

class CgroupManager {
public:
    virtual ~CgroupManager() = default;

    // Creates the container's cgroup (e.g. "berth/<id>") and applies the limits. A limit
    // the kernel refuses is an error naming the file and value; a failed create removes
    // the directories it made. An existing cgroup of that name is reused.
    virtual VoidResult create(const Resources& res) = 0;
    virtual VoidResult update(const Resources& res) = 0;
    // Moves a process (its whole thread group) into the cgroup.
    virtual VoidResult addProcess(pid_t pid) = 0;
    // Missing files of controllers that are not there read as zero.
    virtual Result<Stats> stats() const = 0;
    // Freezes (or thaws) every process and waits until the kernel reports it done.
    virtual VoidResult freeze(bool frozen) = 0;
    // Kills every process left in the cgroup and removes it (all hierarchies on v1).
    // Removing a cgroup that does not exist succeeds.
    virtual VoidResult destroy() = 0;
    virtual std::string describe() const = 0;  // "v2 /sys/fs/cgroup/berth/<id>"

    virtual CgroupVersion version() const = 0;
    // Pids in the cgroup (v1: the union over the hierarchies), for `top` and stop.
    virtual Result<std::vector<pid_t>> processes() const = 0;
    // The cgroup's directories: one on v2, one per mounted controller on v1.
    virtual std::vector<std::filesystem::path> paths() const = 0;
};

// Where the managers should point for this host.
struct CgroupLayout {
    CgroupVersion version = CgroupVersion::V1;
    // v2: the cgroup2 mount (root itself, or root/unified on a hybrid host whose v1
    // side has no controllers); v1: the tmpfs holding one mount per controller.
    std::filesystem::path root;
};

struct DetectOptions {
    // Take this version without probing (tests).
    std::optional<CgroupVersion> forced;
    // The engine's setting (EngineSettings::cgroup.version, from BERTH_CGROUP_VERSION):
    // "1"/"2" forces the version, "" detects; another value is an error naming the variable.
    std::string versionSetting;
    // The file-system magic of a path (statfs f_type); tests replace it.
    std::function<Result<long>(const std::filesystem::path&)> fsType;
};

// Detects the host's layout under `root` (default /sys/fs/cgroup): a unified v2 mount with
// controllers means v2; v1 controllers (even with a hybrid v2 mount without controllers,
// as on Debian hosts booted that way) means v1.
Result<CgroupLayout> detectLayout(const std::filesystem::path& root = "/sys/fs/cgroup",
                                  const DetectOptions& opts = {});
Result<CgroupVersion> detectVersion(const std::filesystem::path& root = "/sys/fs/cgroup");
// "1"/"v1"/"2"/"v2".
Result<CgroupVersion> parseVersion(std::string_view text);

struct ManagerOptions {
    // Open a control file that is missing by creating it. Default: only when the root is
    // not a cgroup file system (a test's temporary directory), where the manager must
    // behave as if the kernel had made the file. Processes are never signalled there.
    std::optional<bool> createMissingFiles;
    std::chrono::milliseconds freezeTimeout{5000};
    std::chrono::milliseconds destroyTimeout{5000};
};

// A manager for the cgroup `relPath` (e.g. "berth/<id>") under `root`. `relPath` must be
// relative and must not contain "..".
Result<std::unique_ptr<CgroupManager>> makeManager(CgroupVersion v,
                                                    const std::filesystem::path& root,
                                                    const std::string& relPath,
                                                    const ManagerOptions& opts = {});

// detectLayout() of /sys/fs/cgroup, then makeManager(): what the runtime uses. Rootless
// (settings.rootless()): openRootlessManager().
Result<std::unique_ptr<CgroupManager>> openHostManager(const std::string& relPath, const EngineSettings& settings);

} // namespace berth::cgroup
