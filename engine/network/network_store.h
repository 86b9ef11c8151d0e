#pragma once
// Where networks live on disk, and the types stored there.
//   <root>/networks/config.json    optional settings (default bridge device and subnet,
//                                  the pool user networks get subnets from, nft table name)
//   <root>/networks/<id>.json      one user network (durable)
//   <root>/networks/lock           flock taken by every change, definitions and leases alike
//   <runroot>/networks/endpoints/<id>.json     a running container's endpoint: addresses,
//                                  veth names, published ports (gone at reboot, like it)
//   <runroot>/networks/endpoints/<id>.monitor  the pid of the monitor that wired it
//   <runroot>/networks/hints/<bridge>          the address this store leased there last
// One file per endpoint, each written once (a new file, renamed into a free name) and
// unlinked at the end: replacing a file by rename makes ext4 flush the new one's data
// first (auto_da_alloc), milliseconds on a busy disk, three times per container life with
// one shared state file. Address leases themselves are host-wide (lease_registry.h).

#include "network/ipv4.h"
#include "network/network_info.h"
#include "store/layout.h"
#include "sys/error.h"
#include "sys/file_lock.h"

#include <sys/types.h>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace berth::network {

struct NetworkConfig {
    std::string bridgeName = "berth0";                  // device of the default "bridge" network
    Subnet bridgeSubnet{{0x0a4d0000}, 16};              // 10.77.0.0/16
    Subnet pool{{0x0a4e0000}, 16};                      // 10.78.0.0/16: user networks' subnets
    int poolPrefix = 24;                                // ... as /24s
    std::string nftTable = "berth";                     // table "ip <nftTable>"
};

struct Member {  // a container connected with `network connect` (durable)
    std::vector<std::string> aliases;
    std::string ipAddress;
};

struct NetworkDef {
    std::string id, name, driver = "bridge", bridge;
    Subnet subnet;
    Ipv4 gateway;
    bool internal = false;
    bool builtin = false;
    std::string created;
    std::map<std::string, std::string> labels;
    std::map<std::string, Member> members;  // by container id
    // Containers created on this network (--network) and disconnected from it since: they
    // do not join it at their next start (docker removes it from their settings).
    std::set<std::string> departed;
};

// One container's leg on one network while it runs.
struct Attachment {
    std::string networkId, networkName, bridge;
    Ipv4 ip;
    int prefix = 0;
    Ipv4 gateway;
    std::string mac;
    std::string hostIf;   // host end of the veth
    std::string ifname;   // inside: eth0, eth1...
    std::vector<std::string> aliases;
    bool resolvesPeers = false;  // user networks: peers' names go into /etc/hosts
    bool internal = false;
};

struct PortMapping {
    PublishedPort port;
    Ipv4 target;  // container address the port is forwarded to
};

struct Endpoint {
    std::string containerId, name, hostname;
    std::string hostsFile;  // the container's /etc/hosts on the host (bind-mounted)
    std::vector<Attachment> attachments;
    std::vector<PortMapping> ports;
    pid_t monitorPid = 0;   // set once the monitor wired the container
    pid_t preparerPid = 0;  // the process that leased the addresses
    int64_t preparedAt = 0; // unix seconds
};

struct RuntimeState {
    std::map<std::string, Endpoint> endpoints;  // by container id
    // The address this store last leased on each bridge: the next lease starts after it
    // (round robin, as docker's IPAM), so an address just given back is not handed out
    // while the kernel may still be tearing down the namespace that had it.
    std::map<std::string, Ipv4> lastLeased;

    // What loadState read: saveState writes only what changed since (and updates these).
    std::map<std::string, std::string> loadedText;  // endpoint file text by id
    std::map<std::string, pid_t> loadedMonitor;
    std::map<std::string, Ipv4> loadedHints;
    bool legacyFile = false;  // read from <runroot>/networks/state.json (older berth)
};

// Fixed ids of the built-in networks (docker's are random per host; ours need no file).
std::string builtinId(std::string_view name);

class NetworkStore {
public:
    explicit NetworkStore(store::StoreLayout layout) : m_layout(std::move(layout)) {}
    const store::StoreLayout& layout() const { return m_layout; }

    Result<sys::FileLock> lock() const;
    Result<NetworkConfig> config() const;
    // The default "bridge" network (from the config) and every user network.
    Result<std::vector<NetworkDef>> definitions() const;
    VoidResult save(const NetworkDef& def) const;
    VoidResult erase(const std::string& id) const;

    // Every endpoint of the store (a torn or foreign file is skipped, not fatal).
    Result<RuntimeState> loadState() const;
    // Writes what changed since `state` was loaded; the networks' lock must be held across
    // both. Atomic per file, not synced: the state describes running containers, which a
    // machine crash ends anyway.
    VoidResult saveState(RuntimeState& state) const;
    // Whether this store ever had network state (the monitor's fast path when it had none).
    static bool hasState(const store::StoreLayout& layout);
    static std::filesystem::path endpointFile(const std::filesystem::path& runRoot, const std::string& containerId);

private:
    std::filesystem::path dir() const { return m_layout.root / "networks"; }
    store::StoreLayout m_layout;
};

} // namespace berth::network
