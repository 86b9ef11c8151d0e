#pragma once
// Docker's default masked and read-only paths: the one place Berth keeps them. Used when a
// container's spec leaves its lists empty (every container but --privileged ones).

#include <string>
#include <string_view>
#include <vector>

namespace berth::runtime {

// Masked: an empty read-only tmpfs over a directory, /dev/null over a file. Includes one
// /sys/devices/system/cpu/cpuN/thermal_throttle per possible CPU of this host.
const std::vector<std::string>& defaultMaskedPaths();
// Read-only: bound onto themselves and remounted read-only.
const std::vector<std::string>& defaultReadonlyPaths();

// The CPU numbers of a sysfs cpu list ("0-3,8,10-11"); empty when it does not parse.
std::vector<int> parseCpuList(std::string_view text);

} // namespace berth::runtime
