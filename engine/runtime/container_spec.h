#pragma once
// ContainerSpec: everything the runtime needs to start one container's init process. The
// container layer fills it from the user's flags and the image config; the runtime turns
// it into namespaces, mounts, credentials, capabilities and a seccomp filter.

#include "cgroup/resources.h"
#include "sys/engine_settings.h"
#include "sys/userns.h"

#include <sys/resource.h>
#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace berth::runtime {

struct MountSpec {
    std::string source;       // host path, or "tmpfs"
    std::string destination;  // absolute path inside the container
    std::string type;         // "bind", "tmpfs"
    std::vector<std::string> options;  // "ro", "nosuid", "nodev", "noexec", "size=64m", "mode=1777"
    // A volume's directory (bind): when it is empty and the image has a directory at the
    // destination, that directory's contents are copied into it first (docker's copy-up).
    bool copyUp = false;
};

// A device node made in the container (--device): the host's node's kind, numbers, mode and
// owner, at `path` inside the root.
struct DeviceNode {
    std::string path;  // absolute, inside the container
    mode_t mode = 0;   // S_IFCHR/S_IFBLK | permission bits
    dev_t rdev = 0;
    uid_t uid = 0;
    gid_t gid = 0;
    std::string hostPath;  // bound instead where mknod is not allowed (a user namespace)
};

struct Rlimit {
    int resource;  // RLIMIT_*
    rlim_t soft;
    rlim_t hard;
};

struct ProcessSpec {
    std::vector<std::string> args;  // args[0] resolved against PATH inside the root
    std::vector<std::string> env;   // "K=V"
    std::string cwd = "/";
    uid_t uid = 0;
    gid_t gid = 0;
    std::vector<gid_t> additionalGids;
    bool terminal = false;
    bool noNewPrivileges = false;
    std::vector<std::string> capabilities;  // "CAP_CHOWN", ... (bounding/effective/permitted)
    std::vector<Rlimit> rlimits;
};

enum class NetworkMode { None, Host, Private /* new netns, loopback only (for now) */ };

struct ContainerSpec {
    std::string id;
    std::string hostname;

    // Root filesystem: overlayfs of lowerDirs (bottom first) + upperDir/workDir, mounted at
    // rootfs. An empty lowerDirs with a non-empty rootfs means "rootfs is ready, bind it".
    std::vector<std::filesystem::path> lowerDirs;
    std::filesystem::path upperDir;
    std::filesystem::path workDir;
    std::filesystem::path rootfs;
    bool readonlyRoot = false;
    // Mount the overlay with "volatile" (Linux 5.10+, ignored where unknown): no sync of the
    // upper layer, in particular none at unmount, which otherwise commits the host
    // filesystem's journal when the container ends (tens of ms). Only for layers nobody
    // keeps (--rm): after a host crash a volatile upper layer may be incomplete.
    bool volatileUpper = false;

    std::vector<MountSpec> mounts;  // applied after the default /proc, /dev, /sys...
    std::vector<DeviceNode> devices;  // --device: made after the default /dev
    // Files bind-mounted over /etc/hosts, /etc/hostname, /etc/resolv.conf (prepared by the
    // caller in the container's directory).
    std::filesystem::path hostsFile, hostnameFile, resolvConfFile;

    ProcessSpec process;

    NetworkMode network = NetworkMode::Private;
    bool privileged = false;
    // Seccomp: a Docker-format JSON profile (text); empty with seccompUnconfined=false means
    // the default profile from resources/.
    std::string seccompProfileJson;
    bool seccompUnconfined = false;
    // Compiled filters are cached here (created 0700; e.g. <runroot>/seccomp): compiling
    // Docker's profile costs ~90 ms. Empty = compile at every launch.
    std::filesystem::path seccompCacheDir;
    std::vector<std::string> maskedPaths;    // empty = Docker's defaults
    std::vector<std::string> readonlyPaths;  // empty = Docker's defaults
    int64_t shmSize = int64_t(64) << 20;     // /dev/shm's tmpfs size, bytes
    // Namespaced sysctls ("net.ipv4.ip_forward", "1"), checked against docker's list by the
    // caller; written through the container's own /proc/sys before pivot_root.
    std::vector<std::pair<std::string, std::string>> sysctls;

    cgroup::Resources resources;
    std::string cgroupPath;  // relative, e.g. "berth/<id>"

    // Rootless: a user namespace with these maps (written by the launching parent before
    // the child does anything); every other namespace is created inside it. Empty = none.
    sys::IdMapping userNamespace;

    // The engine's runtime choices (EngineSettings::runtime, set by the spec builder): the
    // overlay driver, mount_setattr or one remount per mount, the rootless network tool, a
    // seccomp profile replacing the built-in default.
    RuntimeSettings engine;
};

} // namespace berth::runtime
