#pragma once
// What the network layer tells its callers: networks, the containers attached to them and
// the host ports published for a container. Plain values, safe to copy across threads.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace berth::network {

// One container's attachment to one network (while the container runs).
struct EndpointInfo {
    std::string containerId;    // 64 hex
    std::string containerName;
    std::string ipAddress;      // "10.77.0.2" (no prefix; see NetworkInfo::subnet)
    int prefixLength = 0;       // 24
    std::string macAddress;     // "02:42:0a:4d:00:02"
    std::string hostInterface;  // the host end of the veth pair ("vb1a2b3c4d5e")
    std::vector<std::string> aliases;  // --network-alias, resolvable by peers
};

struct NetworkInfo {
    std::string name;     // "bridge", "host", "none", or a user network's name
    std::string id;       // 64 hex (fixed ids for the three built-in ones)
    std::string driver;   // "bridge", "host", "null"
    std::string subnet;   // "10.77.0.0/24"; "" for host/none
    std::string gateway;  // "10.77.0.1"; "" for host/none
    std::string bridge;   // host device ("berth0", "br-<id12>"); "" for host/none
    bool internal = false;  // no outbound traffic (no NAT, forwarding off the bridge dropped)
    bool builtin = false;   // bridge/host/none: cannot be removed
    std::string created;    // RFC 3339, UTC
    std::map<std::string, std::string> labels;
    // Running containers attached now (docker's "Containers" of `network inspect`).
    std::vector<EndpointInfo> containers;
    // Containers connected with `network connect` while stopped (joined at their next start),
    // plus the running ones: full ids.
    std::vector<std::string> members;
};

struct CreateNetworkOptions {
    std::string name;     // [a-zA-Z0-9][a-zA-Z0-9_.-]*; must not be taken
    std::string driver = "bridge";  // only "bridge"
    std::string subnet;   // "" = the next free /24 of the pool (networks.json "pool")
    std::string gateway;  // "" = the subnet's first address
    bool internal = false;
    std::map<std::string, std::string> labels;
};

struct ConnectOptions {
    std::vector<std::string> aliases;
    std::string ipAddress;  // "" = allocated
};

struct NetworkPruneReport {
    std::vector<std::string> removed;  // names
};

// A host port forwarded to a container port (after ephemeral ports were chosen).
struct PublishedPort {
    std::string hostIp;        // "" = every host address (0.0.0.0)
    uint16_t hostPort = 0;
    uint16_t containerPort = 0;
    std::string protocol = "tcp";  // "tcp" / "udp"
};

} // namespace berth::network
