#pragma once
// The one parser from docker's run/create flags to a RunRequest. The CLI collects its
// command line into RunFlags (strings, as typed), the window's Run… dialog fills RunFlags
// from its fields, and both call parseRunFlags: the same flags give the same RunRequest and
// the same error messages, whichever front-end they came through. The Docker API service
// takes typed JSON for most fields and uses the single-value parsers below for the fields
// docker sends as strings (memory sizes in ulimits, port specs, mounts, security options).
//
// Every error is Errc::InvalidArgument with a message naming the flag and the value:
//   invalid argument "64x" for "-m, --memory": invalid size (use a number with b, k, m or g)

#include "berth/containers.h"
#include "berth/error.h"
#include "berth/run_request.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace berth {

// docker run's flags as strings, exactly as given (repeated flags: one item per use).
// An empty string is "not given".
struct RunFlags {
    std::string image;                  // IMAGE
    std::vector<std::string> command;   // [COMMAND] [ARG...]
    std::string name;
    std::vector<std::string> env;       // -e K=V / -e K
    std::vector<std::string> envFiles;  // --env-file (read here, before the -e items)
    std::string workdir, user, hostname;
    std::optional<std::string> entrypoint;  // given (even empty: clears the image's)
    bool interactive = false, tty = false, rm = false, readOnly = false, privileged = false;
    bool publishAll = false;            // -P
    std::string memory;                 // -m "64m"
    std::string memorySwap;             // "128m", "-1"
    std::string cpus;                   // "0.5"
    std::string cpuShares;              // -c "512"
    std::string cpusetCpus;             // "0-1"
    std::string pidsLimit;              // "100", "-1" (unlimited), "0" (unlimited)
    std::vector<std::string> tmpfs;     // "/run:size=64m"
    std::vector<std::string> volumes;   // -v
    std::vector<std::string> mounts;    // --mount
    std::vector<std::string> capAdd, capDrop;
    std::vector<std::string> securityOpts;  // seccomp=..., no-new-privileges
    std::string restart;                // "no", "always", "on-failure[:N]", "unless-stopped"
    std::string logDriver;              // "" or "json-file"
    std::vector<std::string> logOpts;   // "max-size=10m", "max-file=3" (or both, comma-separated)
    std::vector<std::string> publish;   // -p
    std::vector<std::string> ulimits;   // "nofile=1024:2048"
    std::vector<std::string> labels;    // -l "k=v" / "k"
    std::vector<std::string> labelFiles;  // --label-file
    std::string network;                // "default" is "" (the engine's default: bridge as root)
    std::string ip;                     // --ip
    std::vector<std::string> networkAliases, dns, addHosts, dnsSearch, dnsOptions;
    std::string stopSignal;             // "SIGINT", "INT", "2"
    std::string stopTimeout;            // "30", "-1" (no limit)
    std::string shmSize;                // "128m" (docker's units; default 64m)
    std::vector<std::string> sysctls;   // "net.ipv4.ip_forward=1"
    std::string healthCmd;              // --health-cmd "wget -q localhost || exit 1" (CMD-SHELL)
    std::string healthInterval, healthTimeout, healthStartPeriod, healthStartInterval;  // Go durations: "30s", "1m30s"
    std::string healthRetries;          // "3"
    bool noHealthcheck = false;         // --no-healthcheck: disables the image's HEALTHCHECK
    // Accepted so that docker's command lines parse; what Berth cannot do yet is refused
    // with a message naming the flag, never dropped.
    bool init = false;                  // --init
    std::vector<std::string> devices;   // --device
    std::string macAddress;             // --mac-address
    std::string cgroupns;               // --cgroupns "private" (what Berth does) / "host"
    std::string ipc;                    // --ipc "private"/"shareable" (what Berth does) / "host"...
    std::string pid;                    // --pid "private" (what Berth does) / "host" / "container:NAME"
};

// The whole request; the first bad flag is the error. Checks that need the store (the
// image, a user network, host ports in use) are the engine's, at create.
Result<RunRequest> parseRunFlags(const RunFlags& flags);

// docker update's flags as strings (empty = not given); the resource flags read as run's.
struct UpdateFlags {
    std::string memory, memorySwap, cpus, cpuShares, cpusetCpus;
    std::string pidsLimit;  // "0" and "-1" lift the limit (docker update)
    std::string restart;
};
// Errc::InvalidArgument naming the flag; no flag at all is an error too (docker's).
Result<ContainerUpdate> parseUpdateFlags(const UpdateFlags& flags);

// Single values, docker's syntax. Messages name the value; parseRunFlags adds the flag.
Result<int64_t> parseMemory(std::string_view text);                        // "64m", "1g", "512k", "1024"
Result<int64_t> parseCpus(std::string_view text, int64_t periodUs = 100000);  // "0.5" -> 50000
// Docker's NanoCPUs (1e9 = one CPU) as a CFS quota for the period; 0.01 to 4096 CPUs, else
// Errc::InvalidArgument. parseCpus and the API's NanoCpus share it.
Result<int64_t> cpuQuotaForNanoCpus(int64_t nanoCpus, int64_t periodUs = 100000);
Result<RestartPolicy> parseRestartPolicy(std::string_view text);
VoidResult parseLogOpt(std::string_view item, LogConfig& config);           // "max-size=10m"
Result<std::vector<PortBinding>> parsePortSpec(std::string_view text);      // "[ip:][host:]ctr[/proto]", ranges
Result<Ulimit> parseUlimit(std::string_view text);                          // "nofile=1024[:2048]"
Result<std::vector<std::string>> readEnvFile(const std::string& path);       // K=V, K (from our env), # comments
VoidResult parseSecurityOpt(std::string_view text, RunRequest& request);     // seccomp=, no-new-privileges
Result<MountRequest> parseVolumeSpec(std::string_view text);                 // -v NAME:/ctr[:opts], /host:/ctr, /ctr
Result<MountRequest> parseMountSpec(std::string_view text);                  // --mount type=...,source=,target=
Result<DeviceMapping> parseDeviceSpec(std::string_view text);               // --device HOST[:CONTAINER][:PERMS]
// Docker's Config.Volumes and an image's VOLUME paths: each path no mount or --tmpfs of the
// request covers gets an anonymous volume (named, made and filled from the image at create;
// `rm -v` removes it). A relative path is taken from "/"; `what` names the paths' origin
// in errors. The engine applies the image's at create; the API its Config.Volumes.
VoidResult addVolumePaths(RunRequest& request, const std::vector<std::string>& paths, std::string_view what);
// The --health-* flags and --no-healthcheck (RunFlags' fields) as RunRequest::healthcheck:
// unset when none is given; a bad or negative value, a duration under 1ms or
// --no-healthcheck with a --health-* flag is Errc::InvalidArgument naming the flag.
Result<std::optional<HealthConfig>> parseHealthFlags(const RunFlags& flags);
// "k=v" or "k" items (labels); an empty key is an error.
Result<std::pair<std::string, std::string>> parseLabel(std::string_view item);
// A sysctl a container's own IPC or network namespace holds (docker's list: kernel.msg*,
// kernel.sem, kernel.shm*, fs.mqueue.*, net.*): the only ones --sysctl accepts.
bool namespacedSysctl(std::string_view key);
// Docker's --detach-keys ("ctrl-p,ctrl-q", "" = that default) as the bytes a terminal sends.
Result<std::string> parseDetachKeys(std::string_view spec);

} // namespace berth
