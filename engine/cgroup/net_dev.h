#pragma once
// A container's network counters, from /proc/<pid>/net/dev of a process in its network
// namespace (the cgroup has none). The engine's stats (container_observe.cpp) read them
// beside the cgroup's; CPU % is berth::cpuPercent's (berth/containers.h), the one formula.

#include <cstdint>
#include <string_view>

namespace berth::cgroup {

// Sums receive and transmit bytes of /proc/<pid>/net/dev, leaving out "lo". False when
// the text is not in that format.
bool parseNetDev(std::string_view text, uint64_t& rx, uint64_t& tx);

} // namespace berth::cgroup
