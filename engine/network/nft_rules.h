#pragma once
// NAT and published ports through libnftables, never the `nft` program. Everything lives in
// one table of our own, "ip <table>" (config: nftTable, default "berth"), whose rules are
// fixed at creation and only look things up in sets and maps; a network or a container
// adds and removes ELEMENTS, so removal is exact and leaves no stray rule:
//   set  nat_nets        subnets masqueraded on the way out (non-internal networks)
//   set  bridges         our bridge devices (loopback-sourced DNAT traffic is masqueraded)
//   set  internal_bridges bridges whose traffic may not leave them (--internal)
//   map  ports_any       proto . host port          -> container ip . port
//   map  ports_ip        host ip . proto . host port -> container ip . port
// DNAT runs in prerouting (other hosts, containers) and output (the host itself, including
// 127.0.0.1: route_localnet on the bridges lets such packets be routed there). A published
// port reached from a container (hairpin: its own, through a host address) is masqueraded
// to the bridge's address on the way in, so the answer returns through the host.
// Not used by berth-monitor (libnftables is a shared library; the monitor is static).

#include "network/ipv4.h"
#include "network/network_store.h"
#include "sys/error.h"

#include <string>
#include <vector>

namespace berth::network::nft {

// Creates the table with its chains, sets and maps when missing, and replaces its rules by
// the current ones (a table made by an older berth); elements are kept.
VoidResult ensureTable(const std::string& table);
// Deletes the whole table (tests; `berth system reset`-like clean-up).
VoidResult deleteTable(const std::string& table);

VoidResult addNetwork(const std::string& table, const Subnet& subnet, const std::string& bridge, bool internal);
VoidResult removeNetwork(const std::string& table, const Subnet& subnet, const std::string& bridge, bool internal);

VoidResult addPorts(const std::string& table, const std::vector<PortMapping>& ports);
// Missing elements are not an error (a half-done start, a second clean-up).
VoidResult removePorts(const std::string& table, const std::vector<PortMapping>& ports);

// The table as `nft list table` prints it ("" when it does not exist): for tests.
Result<std::string> listTable(const std::string& table);

} // namespace berth::network::nft
