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
#include <string>
#include <vector>

namespace berth::network {

// The host end of a container's veth pair: "vb" + 10 hex of the container id + 3 random
// hex (15 bytes, the most a device name takes). A new name for every life: the previous
// life's pair may still exist while the kernel tears its namespace down.
std::string hostLinkName(const std::string& containerId);

// Called from the launcher's BeforeExec hook with the container's init pid: veth pairs,
// addresses, default route, /etc/hosts. No prepared endpoint: nothing to do.
VoidResult wireContainer(const store::StoreLayout& layout, const std::string& containerId, pid_t pid);

// What becomes of the host ends of a dropped endpoint's veth pairs.
enum class HostLinks {
    Delete,        // deleted now: the container's namespace may still be alive (a crash, reconcile)
    LeaveToKernel  // its namespace is dying (the init was reaped): the kernel deletes both ends
};

// Removes the container's endpoint from the state, gives its address leases back, deals
// with its veths as `links` says, and drops its entries from its peers' /etc/hosts.
// Returns the endpoint removed (nullopt when none): the caller removes its published ports
// (nft) when it has any. Holds the networks' lock itself.
Result<std::optional<Endpoint>> dropEndpoint(const store::StoreLayout& layout, const std::string& containerId,
                                             HostLinks links = HostLinks::Delete);

// The monitor's end of a container (its init reaped, so its network namespace is dying):
// its endpoint is dropped here, its published ports' map elements deleted over nfnetlink
// (nft_netlink.h); should that fail, `berth network release` does it (libnftables), and
// the engine's reconcile if that cannot run either. Returns the host veth ends that still exist: the kernel removes them
// with the namespace, asynchronously; reapHostLinksInBackground makes sure of it.
std::vector<std::string> releaseFromMonitor(const store::StoreLayout& layout, const std::string& containerId);

// Unregistering a device waits for RCU grace periods (~15-30 ms): never on a container's
// start or exit path. A detached child waits for the kernel to remove `links` with their
// dying namespace and deletes any still there after a few seconds (a namespace kept alive
// from outside berth: a bind mount of it, a process that entered it). Nothing to do: no child.
// The child runs `berth-monitor --reap-links NAME...` (this program: only the monitor calls it).
void reapHostLinksInBackground(std::vector<std::string> links);
// What that child does: waits for `links` to go, deletes the ones still there after ~5 s.
void reapHostLinks(std::vector<std::string> links);

// /etc/hosts of every container of the endpoints in `state` that shares a network with
// `containerId` (and its own) rewritten from the state. `skipSelf` when it is leaving.
void refreshHosts(const RuntimeState& state, const std::string& containerId);

// The lines berth writes at the end of a container's hosts file (self and peers).
std::string hostsSection(const RuntimeState& state, const Endpoint& self);
// Replaces the berth section of hosts text `text` with `section` (and drops the
// "127.0.1.1 hostname" line when the container has a real address).
std::string replaceHostsSection(const std::string& text, const std::string& section, bool dropLoopbackName);

} // namespace berth::network
