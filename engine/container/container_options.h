#pragma once
// What a user asks for when creating a container (the flags of `berth run`), and the
// parsers that turn docker-style flag values ("64m", "0.5", "on-failure:3",
// "8080:80/tcp", "nofile=1024:2048") into them. Shared by the CLI and the GUI.

#include "cgroup/resources.h"
#include "container/mount_spec.h"
#include "sys/error.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace berth::container {

struct PortBinding {
    std::string hostIp;          // "" = all addresses
    uint16_t hostPort = 0;       // 0 = none published / ephemeral
    uint16_t containerPort = 0;
    std::string protocol = "tcp";
};

struct RestartPolicy {
    enum class Kind { No, OnFailure, Always, UnlessStopped };
    Kind kind = Kind::No;
    int maxRetries = 0;  // on-failure only; 0 = unlimited
    std::string name() const;  // "no", "on-failure", "always", "unless-stopped"
};

struct LogConfig {
    uint64_t maxSize = 0;  // bytes per file; 0 = unlimited
    int maxFile = 1;       // files kept, including the current one
};

struct Ulimit {
    std::string name;  // "nofile"
    int64_t soft = 0;
    int64_t hard = 0;
};

struct CreateOptions {
    std::string image;
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
    cgroup::Resources resources;
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
    // Networking (engine/network): "" = the default ("bridge" for root), "none", "host",
    // "bridge" or a user network's name.
    std::string network;
    std::string ipAddress;                    // --ip (user networks)
    std::vector<std::string> networkAliases;  // --network-alias
    std::vector<std::string> dns;             // --dns: nameservers for resolv.conf
    std::vector<std::string> addHosts;        // --add-host "name:ip"
    bool publishAll = false;                  // -P: every EXPOSEd port on an ephemeral host port
    std::vector<Ulimit> ulimits;
    std::map<std::string, std::string> labels;
};

// "64m", "1g", "512k", "1024" (bytes). Docker's binary units.
Result<int64_t> parseMemory(std::string_view text);
// "0.5" -> quota 50000 us for the 100000 us period.
Result<int64_t> parseCpus(std::string_view text, int64_t periodUs = 100000);
Result<RestartPolicy> parseRestartPolicy(std::string_view text);
// "max-size=10m" / "max-file=3" items, applied to `config`.
VoidResult parseLogOpt(std::string_view item, LogConfig& config);
// "[ip:][hostPort:]containerPort[/proto]"; a range "8000-8001:80-81" gives several.
Result<std::vector<PortBinding>> parsePortSpec(std::string_view text);
// "nofile=1024[:2048]".
Result<Ulimit> parseUlimit(std::string_view text);
// Lines of an --env-file: "K=V", "K" (taken from the caller's environment), # comments.
Result<std::vector<std::string>> readEnvFile(const std::string& path);
// "seccomp=FILE|unconfined", "no-new-privileges[:true|false]" applied to `options`.
VoidResult parseSecurityOpt(std::string_view text, CreateOptions& options);

} // namespace berth::container
