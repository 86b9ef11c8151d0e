#pragma once
// A container's network counters, from /proc/<pid>/net/dev of a process in its network
// namespace (the cgroup has none). The engine's stats (container_observe.cpp) read them
// beside the cgroup's; CPU % is berth::cpuPercent's (berth/containers.h), the one formula.

#include <cstdint>
#include <string_view>

namespace berth::cgroup {

// The sums over a namespace's interfaces, "lo" left out.
struct NetDevCounters {
    uint64_t rxBytes = 0, rxPackets = 0, rxErrors = 0, rxDropped = 0;
    uint64_t txBytes = 0, txPackets = 0, txErrors = 0, txDropped = 0;
};

// Sums the receive and transmit counters of /proc/<pid>/net/dev into `out` (zeroed
// first). False when the text is not in that format.
bool parseNetDev(std::string_view text, NetDevCounters& out);

} // namespace berth::cgroup
