#pragma once
// Live statistics of one container: each sample reads every source once (the cgroup's
// files and the init's /proc/<pid>/net/dev) and derives CPU % from the previous sample.

#include "cgroup/cgroup_manager.h"

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <string_view>

namespace berth::cgroup {

struct Sample {
    Stats cgroup;
    uint64_t netRxBytes = 0;  // every interface but lo, as the container sees them
    uint64_t netTxBytes = 0;
    uint64_t wallNs = 0;      // monotonic time of the sample
    // Docker style: 100 = one core busy. Only set from the second sample on.
    std::optional<double> cpuPercent;
};

class StatsSampler {
public:
    using Clock = std::function<uint64_t()>;  // monotonic nanoseconds

    // `manager` must outlive the sampler. `procRoot` and `clock` are for tests.
    StatsSampler(const CgroupManager& manager, pid_t initPid,
                 std::filesystem::path procRoot = "/proc", Clock clock = {});

    // A NotFound error when the init has exited (its /proc entry is gone).
    Result<Sample> sample();

private:
    const CgroupManager& m_manager;
    pid_t m_pid;
    std::filesystem::path m_procRoot;
    Clock m_clock;
    std::optional<Sample> m_previous;
};

// Delta CPU time over delta wall time, x100; nullopt when no wall time has passed.
std::optional<double> cpuPercent(uint64_t prevCpuNs, uint64_t cpuNs, uint64_t prevWallNs,
                                 uint64_t wallNs);

// Sums receive and transmit bytes of /proc/<pid>/net/dev, leaving out "lo". False when
// the text is not in that format.
bool parseNetDev(std::string_view text, uint64_t& rx, uint64_t& tx);

} // namespace berth::cgroup
