#pragma once
// Resource limits and usage of one container's cgroup, independent of the cgroup version.

#include <cstdint>
#include <optional>
#include <string>

namespace berth::cgroup {

struct Resources {
    std::optional<int64_t> memoryBytes;      // --memory
    std::optional<int64_t> memorySwapBytes;  // --memory-swap: memory+swap total, -1 unlimited
    std::optional<int64_t> cpuQuotaUs;       // --cpus 0.5 -> quota 50000 with period 100000
    int64_t cpuPeriodUs = 100000;
    std::optional<uint64_t> cpuShares;       // --cpu-shares (v1 shares; mapped to v2 weight)
    std::optional<std::string> cpusetCpus;   // --cpuset-cpus "0-1"
    std::optional<int64_t> pidsLimit;        // --pids-limit
};

struct Stats {
    uint64_t cpuUsageNs = 0;     // cumulative
    uint64_t memoryUsage = 0;    // bytes, without page cache where the kernel tells
    uint64_t memoryLimit = 0;    // 0 = unlimited
    uint64_t pids = 0;
    uint64_t blkioRead = 0;
    uint64_t blkioWrite = 0;
    uint64_t oomKills = 0;
};

} // namespace berth::cgroup
