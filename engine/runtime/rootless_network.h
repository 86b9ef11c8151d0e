#pragma once
// Networking for rootless containers: an ordinary user cannot make veth pairs or NAT
// rules, so a user-space network stack joins the container's network namespace (as the
// owner of its user namespace) and carries its traffic through ordinary host sockets:
// pasta (Debian's `passt`, preferred: it also listens on the host for published ports)
// or slirp4netns (outbound; published ports through its API socket, add_hostfwd).
//
// What this cannot do, and says so: host ports below net.ipv4.ip_unprivileged_port_start
// (1024 by default) cannot be published; ICMP (ping) from the container needs the user's
// group in net.ipv4.ping_group_range; both tools need /dev/net/tun open to the user.

#include "sys/error.h"

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace berth::runtime {

struct RootlessPort {
    std::string hostIp;  // "" = every address
    uint16_t hostPort = 0;
    uint16_t containerPort = 0;
    std::string protocol = "tcp";  // "tcp" / "udp"
};

struct RootlessNetwork {
    pid_t helperPid = -1;  // pasta or slirp4netns; killed at stop
    std::string tool;      // "pasta" / "slirp4netns"
};

// What this host lets an ordinary user do (for `berth info` and the errors below).
struct RootlessNetworkSupport {
    std::string tool;            // "pasta", "slirp4netns" or "" (none installed)
    bool tunUsable = false;      // /dev/net/tun can be opened read-write
    int unprivilegedPortStart = 1024;
    bool pingAllowed = false;    // our gid is inside net.ipv4.ping_group_range
};
// `tool`: the engine's choice (EngineSettings::runtime.rootlessNetwork, BERTH_ROOTLESS_NETWORK),
// "" = pasta, else slirp4netns, whichever is installed.
RootlessNetworkSupport detectRootlessNetwork(const std::string& tool);

// Refuses, before anything starts, a host port the user may not bind (below
// ip_unprivileged_port_start) with an error saying how to allow it.
VoidResult checkRootlessPorts(const std::vector<RootlessPort>& ports, int unprivilegedPortStart);

// Connects the network namespace of `pid` (whose user namespace we own) to the host:
// starts the helper, waits until it is ready (listeners bound, interface configured) and
// returns it. `stateDir` holds its pid file / API socket. Failure: a clear error and
// nothing left running.
Result<RootlessNetwork> startRootlessNetwork(const std::string& tool, pid_t pid, const std::vector<RootlessPort>& ports,
                                             const std::filesystem::path& stateDir);
// Kills the helper (idempotent); its listeners go with it.
void stopRootlessNetwork(RootlessNetwork& net);

} // namespace berth::runtime
