#pragma once
// RunRequest: everything `berth run` / `berth create` (and the window's Run… dialog, and the
// Docker API's POST /containers/create) can ask of a new container, as plain values. These
// are the engine's own types too: the container record stores a RunRequest as given, the
// cgroup layer takes ResourceLimits, the network layer PortBinding. One type per concept;
// nothing copies them field by field.
//
// Turning docker's flag strings ("64m", "on-failure:3", "8080:80/tcp") into these is
// berth/run_flags.h.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace berth {

// A container port published on the host (-p), as asked or, from a running container, as
// published (an ephemeral host port resolved).
struct PortBinding {
    std::string hostIp;          // "" = all addresses
    uint16_t hostPort = 0;       // 0 = ephemeral (asked) / not published (exposed only)
    uint16_t containerPort = 0;
    std::string protocol = "tcp";  // "tcp" / "udp"
    bool operator==(const PortBinding&) const = default;
};

struct RestartPolicy {
    enum class Kind { No, OnFailure, Always, UnlessStopped };
    Kind kind = Kind::No;
    int maxRetries = 0;  // on-failure only; 0 = unlimited
    std::string name() const;  // "no", "on-failure", "always", "unless-stopped"
    bool operator==(const RestartPolicy&) const = default;
};

struct LogConfig {
    uint64_t maxSize = 0;  // bytes per file; 0 = unlimited
    int maxFile = 1;       // files kept, including the current one
    bool operator==(const LogConfig&) const = default;
};

struct Ulimit {
    std::string name;  // "nofile"
    int64_t soft = 0;
    int64_t hard = 0;
    bool operator==(const Ulimit&) const = default;
};

// -v / --mount, as parsed: whether a bind source exists or a volume must be made is
// decided when the container is created.
struct MountRequest {
    enum class Type { Bind, Volume, Tmpfs };
    Type type = Type::Volume;
    std::string source;  // bind: absolute host path; volume: name ("" = anonymous until create names it)
    std::string target;  // absolute path in the container, normalised
    bool readOnly = false;
    bool anonymous = false;  // volume made for this container: `rm -v` removes it
    bool noCopy = false;     // volume-nocopy / -v ...:nocopy: don't fill it from the image
    int64_t tmpfsSize = 0;   // bytes; 0 = the kernel's default (half the RAM)
    uint32_t tmpfsMode = 0;  // 0 = 1777
    bool operator==(const MountRequest&) const = default;
};

// --device HOST[:CONTAINER[:PERMS]]: the host's device node made in the container, and the
// cgroup rule that lets the container open it as PERMS says.
struct DeviceMapping {
    std::string pathOnHost;             // "/dev/fuse"
    std::string pathInContainer;        // absolute; the host's path when not given
    std::string permissions = "rwm";    // cgroup access: r (read), w (write), m (mknod)
    bool operator==(const DeviceMapping&) const = default;
};

// Docker's resource flags, with docker's semantics; the cgroup layer maps them to v1 or v2.
struct ResourceLimits {
    std::optional<int64_t> memoryBytes;      // --memory (> 0)
    // --memory-swap: memory+swap total, -1 unlimited. Unset with --memory set means
    // Docker's default: as much swap as memory (total = 2 x memory), where the kernel
    // accounts swap; silently skipped where it does not.
    std::optional<int64_t> memorySwapBytes;
    std::optional<int64_t> cpuQuotaUs;       // --cpus 0.5 -> quota 50000 with period 100000
    int64_t cpuPeriodUs = 100000;
    std::optional<uint64_t> cpuShares;       // --cpu-shares (v1 shares; mapped to v2 weight)
    std::optional<std::string> cpusetCpus;   // --cpuset-cpus "0-1"
    std::optional<int64_t> pidsLimit;        // --pids-limit: > 0 a limit; -1 unlimited (as asked)
    bool operator==(const ResourceLimits&) const = default;
};

// A container's healthcheck, docker's Config.Healthcheck: from the image's HEALTHCHECK, the
// --health-* flags or the API. Durations in nanoseconds; 0 = "not set" (the image's value
// under a request, docker's default in effect: interval 30s, timeout 30s, start period 0,
// start interval 5s, retries 3).
struct HealthConfig {
    // ["CMD", arg...], ["CMD-SHELL", "command"], ["NONE"] (no check); empty = the image's.
    std::vector<std::string> test;
    int64_t intervalNs = 0, timeoutNs = 0, startPeriodNs = 0, startIntervalNs = 0;
    int retries = 0;
    bool disabled() const { return test.empty() || test[0] == "NONE"; }
    bool operator==(const HealthConfig&) const = default;
};
inline constexpr int64_t kDefaultHealthIntervalNs = 30'000'000'000, kDefaultHealthTimeoutNs = 30'000'000'000,
                         kDefaultHealthStartIntervalNs = 5'000'000'000;
inline constexpr int kDefaultHealthRetries = 3;

struct RunRequest {
    std::string image;                      // a name or an id, as the user gave it
    std::string name;                       // "" = a random "adjective_name"
    std::vector<std::string> cmd;           // replaces the image's CMD when non-empty
    std::optional<std::vector<std::string>> entrypoint;  // set = replaces the image's
    std::vector<std::string> env;           // "K=V" (or "K" to copy from the caller)
    std::string workingDir;
    std::string user;                       // "uid[:gid]" or a name from the image
    std::string hostname;                   // "" = the first 12 hex of the id
    bool tty = false;
    bool interactive = false;  // keep stdin open
    bool autoRemove = false;   // --rm
    ResourceLimits resources;
    bool readOnly = false;
    std::vector<std::string> tmpfs;  // "/path[:options]"
    // -v/--mount; anonymous volumes get their (random) names when the container is created.
    std::vector<MountRequest> mounts;
    std::vector<std::string> capAdd, capDrop;
    bool privileged = false;
    std::string seccompProfile;  // "" = default, "unconfined", or a file path
    bool noNewPrivileges = false;
    RestartPolicy restart;
    LogConfig log;
    std::vector<PortBinding> ports;
    // "" = the default ("bridge" as root), "none", "host", "bridge" or a user network's name.
    std::string network;
    std::string ipAddress;                    // --ip (user networks)
    std::vector<std::string> networkAliases;  // --network-alias
    std::vector<std::string> dns;             // --dns: nameservers for resolv.conf
    std::vector<std::string> addHosts;        // --add-host "name:ip"
    std::vector<std::string> dnsSearch;       // --dns-search: resolv.conf's search domains
    std::vector<std::string> dnsOptions;      // --dns-option: resolv.conf's options ("ndots:2")
    std::string stopSignal;                   // --stop-signal: "" = the image's STOPSIGNAL, else SIGTERM
    std::optional<int> stopTimeout;           // --stop-timeout: seconds `stop` waits by default (10; -1 no limit)
    bool publishAll = false;                  // -P: every EXPOSEd port on an ephemeral host port
    std::vector<Ulimit> ulimits;
    std::map<std::string, std::string> labels;
    int64_t shmSize = int64_t(64) << 20;      // --shm-size: /dev/shm's size in bytes (docker's 64 MiB)
    // --sysctl: namespaced kernel parameters ("net.ipv4.ip_forward" -> "1"), written in the
    // container's own namespaces before its process starts.
    std::map<std::string, std::string> sysctls;
    // --health-* / --no-healthcheck: laid over the image's HEALTHCHECK field by field at create.
    std::optional<HealthConfig> healthcheck;
    // --init: Berth's small init (berth-init, as docker's /sbin/docker-init) is pid 1 and runs
    // the command as its child: signals forwarded, zombies reaped, the command's status its own.
    bool init = false;
    std::vector<DeviceMapping> devices;       // --device
    bool operator==(const RunRequest&) const = default;
};

} // namespace berth
