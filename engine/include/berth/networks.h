#pragma once
// Networks: docker's `network` verbs over the store's networks. Built-in "bridge" (the
// default as root), "host" and "none" always exist; user networks are bridges with their
// own device, subnet and name resolution. Reached through berth::Engine::networks().

#include "berth/error.h"
#include "berth/run_request.h"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace berth {

// One running container's attachment to one network.
struct EndpointInfo {
    std::string containerId;    // 64 hex
    std::string containerName;
    std::string ipAddress;      // "10.77.0.2" (no prefix)
    int prefixLength = 0;       // 24
    std::string macAddress;     // "02:42:0a:4d:00:02"
    std::string hostInterface;  // the host end of the veth pair
    std::vector<std::string> aliases;  // --network-alias, resolvable by peers
};

struct NetworkInfo {
    std::string name;     // "bridge", "host", "none", or a user network's name
    std::string id;       // 64 hex (fixed ids for the three built-in ones)
    std::string driver;   // "bridge", "host", "null"
    std::string subnet;   // "10.77.0.0/24"; "" for host/none
    std::string gateway;  // "10.77.0.1"; "" for host/none
    std::string bridge;   // host device ("berth0", "br-<id12>"); "" for host/none
    bool internal = false;  // no outbound traffic
    bool builtin = false;   // bridge/host/none: cannot be removed
    std::string created;    // RFC 3339, UTC
    std::map<std::string, std::string> labels;
    std::vector<EndpointInfo> containers;  // running containers attached now
    // Containers connected (joined at their next start when stopped) plus the running ones.
    std::vector<std::string> members;
};

// `berth network inspect`, the window's network details and GET /networks/{id}.
struct NetworkDetails {
    NetworkInfo info;
    std::string json;  // docker network inspect's object
};

struct CreateNetworkOptions {
    std::string name;     // [a-zA-Z0-9][a-zA-Z0-9_.-]*; must not be taken
    std::string driver = "bridge";  // only "bridge"
    std::string subnet;   // "" = the next free /24 of the pool
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

class Networks {
public:
    virtual ~Networks() = default;
    // A taken name is Errc::AlreadyExists; an overlapping subnet Errc::Conflict.
    virtual Result<NetworkInfo> create(const CreateNetworkOptions& options) = 0;
    virtual Result<std::vector<NetworkInfo>> list() = 0;  // built-in first, then by name
    virtual Result<NetworkDetails> inspect(std::string_view ref) = 0;  // name, id or id prefix
    // Built-in networks and networks with containers are refused (Errc::Conflict).
    virtual VoidResult remove(std::string_view ref) = 0;
    virtual VoidResult connect(std::string_view network, std::string_view container,
                               const ConnectOptions& options = {}) = 0;
    virtual VoidResult disconnect(std::string_view network, std::string_view container, bool force = false) = 0;
    virtual Result<NetworkPruneReport> prune() = 0;
    // What a stopped container's network left (leases, port rules, veths): released. The
    // monitor does this itself; `berth network release` is its fallback.
    virtual VoidResult releaseContainer(std::string_view containerId, bool namespaceGone = false) = 0;
};

} // namespace berth
