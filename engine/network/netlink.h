#pragma once
// Links, addresses and routes through rtnetlink (libnl-route-3), never the `ip` program:
// the bridge of a network, the veth pair of a container (its inside end created directly in
// the container's network namespace) and the address and default route inside.
// Safe in berth-monitor (single-threaded, statically linked) and in threaded callers: the
// namespace switch to open a socket inside a container is per thread.

#include "network/ipv4.h"
#include "sys/error.h"

#include <sys/types.h>

#include <string>
#include <vector>

namespace berth::network::netlink {

bool linkExists(const std::string& name);
// Creates bridge `name` with `gateway`/`prefix` and brings it up when missing; also sets
// route_localnet on it (published ports on 127.0.0.1) and net.ipv4.ip_forward.
// Returns true when it created the device.
Result<bool> ensureBridge(const std::string& name, Ipv4 gateway, int prefix);
// Deletes a link by name; a missing one is not an error.
VoidResult deleteLink(const std::string& name);
// A veth pair: `hostName` enslaved to `bridge` and up on the host, its peer `innerName`
// (with `mac`) created inside the network namespace of process `pid`.
VoidResult createVeth(const std::string& hostName, const std::string& bridge, pid_t pid,
                      const std::string& innerName, const std::string& mac);
// Hairpin mode on bridge port `name`: frames may leave by the port they came in by.
VoidResult setHairpin(const std::string& name);
// Inside the netns of `pid`: `ifname` up with `ip/prefix`; a default route through
// `gateway` when `defaultRoute`.
VoidResult configureInside(pid_t pid, const std::string& ifname, Ipv4 ip, int prefix, Ipv4 gateway,
                           bool defaultRoute);
// Deletes `ifname` inside the netns of `pid` (disconnect of a running container).
VoidResult deleteInside(pid_t pid, const std::string& ifname);

struct HostAddress {
    std::string device;
    Ipv4 address;
    int prefix = 0;
};
Result<std::vector<HostAddress>> hostAddresses();
Result<std::vector<std::string>> linkNames();

} // namespace berth::network::netlink
