#pragma once
// EngineSettings: everything the engine takes from its environment, resolved once and passed
// down. berth::openEngine() resolves it (EngineServices::open); a berth-monitor receives the
// engine's on its sync socket (container/monitor_settings.h); the layers get the value (or
// their part of it) from their owner and never call getenv() for a setting. The variables keep the names and meanings users and tests know; the one
// table of them is settingVariables() below (and engine/README.md, "Settings").
//
// Not settings, read at the moment of use: a child's environment (posix_spawn passes
// `environ`), `-e KEY` / --env-file's bare KEY (the caller's value at create), and PATH when a
// program is looked up.

#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <string_view>

namespace berth {

enum class EngineMode { Root, Rootless };
enum class OverlayDriver {
    Kernel,  // overlayfs (rootless: in the user namespace, fuse-overlayfs when the kernel refuses)
    Fuse,    // fuse-overlayfs always (BERTH_OVERLAY=fuse)
};

struct StoreSettings {
    std::filesystem::path root;     // the store (absolute)
    std::filesystem::path runRoot;  // its run-time state (absolute)
};

struct CgroupSettings {
    std::string version;                           // BERTH_CGROUP_VERSION as given: "" detects, "1"/"2" force
    std::filesystem::path root = "/sys/fs/cgroup"; // BERTH_CGROUP_ROOT: where rootless mode looks for its subtree
    std::filesystem::path parent;                  // BERTH_CGROUP_PARENT: the delegated parent (rootless), "" = find one
};

struct RuntimeSettings {
    OverlayDriver overlay = OverlayDriver::Kernel;
    bool mountSetattr = true;              // false: BERTH_NO_MOUNT_SETATTR=1 (remount each mount read-only instead)
    std::string rootlessNetwork;           // BERTH_ROOTLESS_NETWORK: "pasta", "slirp4netns"; "" = the first installed
    std::filesystem::path seccompProfile;  // BERTH_SECCOMP_PROFILE: replaces the built-in default profile
};

// Helper programs: a path given by its variable, else "" (found beside the running
// program, in a build tree's app/, else on PATH: sys::helperProgram).
struct HelperPrograms {
    std::filesystem::path monitor;      // BERTH_MONITOR
    std::filesystem::path layerHelper;  // BERTH_LAYER_HELPER
    std::filesystem::path scope;        // BERTH_SCOPE_HELPER
    std::filesystem::path berth;        // BERTH_PROGRAM
    std::filesystem::path init;         // BERTH_INIT (berth-init, bound into --init containers)
};

// Where a user's configuration is read from.
struct ConfigSettings {
    std::filesystem::path configHome;        // $XDG_CONFIG_HOME, else $HOME/.config; "" without either
    std::filesystem::path dockerConfig;      // $DOCKER_CONFIG, else $HOME/.docker (/root/.docker)
    std::filesystem::path certsDir;          // BERTH_CERTS_DIR: replaces the certs.d search path
    std::filesystem::path registriesConfig;  // BERTH_REGISTRIES_CONFIG: read first, must exist
};

struct EngineSettings {
    EngineMode mode = EngineMode::Root;
    StoreSettings store;
    CgroupSettings cgroup;
    RuntimeSettings runtime;
    HelperPrograms helpers;
    ConfigSettings config;

    bool rootless() const { return mode == EngineMode::Rootless; }
};

// One row of the table: a variable and what it sets.
struct SettingVariable {
    std::string_view name;
    std::string_view meaning;
};
std::span<const SettingVariable> settingVariables();

// The environment a resolution reads: the process's (std::getenv) unless a test gives one.
using Environment = std::function<const char*(const char*)>;

struct SettingsRequest {
    std::filesystem::path root;     // "" = BERTH_ROOT, else /var/lib/berth (root), else the user's
    std::filesystem::path runRoot;  // "" = BERTH_RUNROOT, else as store::StoreLayout describes
};

// The settings for `request` in `env` (default: the process's environment). Cheap: no file
// is read and no process started; every value is a plain copy.
EngineSettings resolveEngineSettings(const SettingsRequest& request = {}, const Environment& env = {});

} // namespace berth
