#pragma once
// NetworkService: the networks of one store (docker's `network` verbs). Built-in networks
// "bridge" (the default for root: device berth0, subnet from <root>/networks/config.json),
// "host" and "none" always exist; user networks are bridge networks with their own device,
// subnet and name resolution between their containers (written into each container's
// /etc/hosts). Definitions are durable under <root>/networks/; addresses leased to running
// containers live under <runroot>/networks/ (they end with the containers, also at reboot).
// Thread-safe; several processes may use one store (every mutation takes an flock).

#include "network/network_info.h"
#include "store/layout.h"
#include "sys/error.h"

#include <sys/types.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace berth::network {

// What the network layer needs to know of a container (it sits below the container layer:
// the Engine facade answers this from ContainerService).
struct ContainerRef {
    std::string id;    // 64 hex
    std::string name;
    pid_t pid = 0;     // the init's host pid while running, else 0
    std::string network;  // the one it was created on (--network; "" = the default bridge)
};
using ContainerResolver = std::function<Result<ContainerRef>(std::string_view ref)>;

// What a container asks of the network when it starts (built by the Engine facade from
// the container's record).
struct ContainerNetworkRequest {
    std::string id, name, hostname;
    std::string hostsFile;             // the container's hosts file on the host
    std::string network;               // "" / "bridge" / user network name ("none"/"host": nothing)
    std::string ipAddress;             // --ip
    std::vector<std::string> aliases;  // --network-alias
    std::vector<PublishedPort> ports;  // hostPort 0 = an ephemeral port
};

// A network a stopped container joins at its next start (its inspect's NetworkSettings).
struct PlannedAttachment {
    std::string networkName, networkId;
    std::vector<std::string> aliases;  // as it will have them there
};

class NetworkService {
public:
    explicit NetworkService(store::StoreLayout layout);
    ~NetworkService();

    // Set by the Engine facade: resolves a container name, id or id prefix.
    void setContainerResolver(ContainerResolver resolver);

    // A taken name is Errc::AlreadyExists; a subnet overlapping another network's (or an
    // address already on the host) Errc::Conflict; a bad subnet/gateway InvalidArgument.
    // Creates the bridge device and its NAT rules; nothing is left when it fails.
    Result<NetworkInfo> create(const CreateNetworkOptions& options);
    // Built-in networks first, then user networks by name.
    Result<std::vector<NetworkInfo>> list() const;
    // By name, full id or unique id prefix.
    Result<NetworkInfo> inspect(std::string_view ref) const;
    // Removes the device, its rules and the definition. Built-in networks and networks with
    // running or connected containers are refused (Errc::Conflict).
    VoidResult remove(std::string_view ref);
    // Connects a container: joined at its next start when stopped, wired now (veth, address,
    // /etc/hosts of it and its peers) when running. Already connected: Errc::Conflict.
    VoidResult connect(std::string_view network, std::string_view container, const ConnectOptions& options = {});
    // The reverse; `force` ignores a container that is not connected.
    VoidResult disconnect(std::string_view network, std::string_view container, bool force = false);
    // The networks `request`'s container joins when it starts: its own network first (none
    // for "none"/"host", the default bridge for ""), then those it was connected to. None
    // rootless (its containers use the rootless network mode).
    Result<std::vector<PlannedAttachment>> plannedAttachments(const ContainerNetworkRequest& request) const;
    // Removes every user network no container uses.
    Result<NetworkPruneReport> prune();

    // Host ports published for a running container (ephemeral ones resolved).
    Result<std::vector<PublishedPort>> ports(std::string_view containerId) const;

    // Before a container starts: leases its addresses, creates missing bridges, checks and
    // publishes its ports (a host port in use: Errc::Conflict, nothing kept). The monitor
    // then wires the endpoint (endpoint_wiring.h). Nothing to do for none/host.
    VoidResult prepareContainer(const ContainerNetworkRequest& request);
    // Everything prepareContainer and the monitor made for it, removed (idempotent).
    // `namespaceGone`: the container's processes are all gone (its monitor says so), so the
    // kernel removes its veth pairs with the namespace; otherwise they are deleted here.
    VoidResult releaseContainer(std::string_view containerId, bool namespaceGone = false);
    // Whether these ports could be published now (malformed host ip, port in use by
    // another container or a host process): for `create`/`run` before anything exists.
    VoidResult checkPorts(const std::vector<PublishedPort>& ports) const;

    // Cleans what containers that are no longer running left (a monitor killed, a crash):
    // leases, veths, port rules, /etc/hosts entries. Run by Engine::open.
    VoidResult reconcile();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace berth::network
