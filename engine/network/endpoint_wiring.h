#pragma once
// The part of container networking that runs in berth-monitor (single-threaded, static,
// no libnftables): wiring the endpoints the engine prepared (addresses leased, ports
// published) into the container's fresh network namespace, writing its /etc/hosts and its
// peers', and giving everything back when the container is done.

#include "network/network_store.h"
#include "store/layout.h"
#include "sys/error.h"

#include <sys/types.h>

#include <optional>

namespace berth::network {

// Called from the launcher's BeforeExec hook with the container's init pid: veth pairs,
// addresses, default route, /etc/hosts. No prepared endpoint: nothing to do.
VoidResult wireContainer(const store::StoreLayout& layout, const std::string& containerId, pid_t pid);

// Removes the container's endpoint from the state (its leases), its veths, and its entries
// from its peers' /etc/hosts. Returns the endpoint removed (nullopt when none): the caller
// removes its published ports (nft) when it has any. Holds the networks' lock itself.
Result<std::optional<Endpoint>> dropEndpoint(const store::StoreLayout& layout, const std::string& containerId);

// The monitor's end of a container: an endpoint without published ports is dropped here;
// one with ports is handed to `berth network release` (libnftables is not in the monitor),
// and left to the engine's reconcile if that cannot run.
void releaseFromMonitor(const store::StoreLayout& layout, const std::string& containerId);

// /etc/hosts of every container of the endpoints in `state` that shares a network with
// `containerId` (and its own) rewritten from the state. `skipSelf` when it is leaving.
void refreshHosts(const RuntimeState& state, const std::string& containerId);

// The lines berth writes at the end of a container's hosts file (self and peers).
std::string hostsSection(const RuntimeState& state, const Endpoint& self);
// Replaces the berth section of hosts text `text` with `section` (and drops the
// "127.0.1.1 hostname" line when the container has a real address).
std::string replaceHostsSection(const std::string& text, const std::string& section, bool dropLoopbackName);

} // namespace berth::network
