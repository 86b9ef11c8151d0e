#pragma once
// Deleting published ports' map elements from our nft table over nfnetlink directly, for
// berth-monitor: the monitor is static and single-threaded, libnftables is neither (and
// builds a context, fetches the ruleset and parses text for every command). One batch, one
// transaction; the keys are laid out as nft lays out a concatenation: each field in a
// 4-byte register, network byte order.

#include "network/network_store.h"
#include "sys/error.h"

#include <string>
#include <vector>

namespace berth::network::nftnl {

// Deletes the elements of `ports` from maps ports_any / ports_ip of table "ip <table>".
// A missing element (a second clean-up) is not an error: the batch is retried element by
// element so the others still go.
VoidResult removePorts(const std::string& table, const std::vector<PortMapping>& ports);

// The key of `p` in its map as the kernel stores it (for tests).
std::string portKeyBytes(const PortMapping& p);

} // namespace berth::network::nftnl
