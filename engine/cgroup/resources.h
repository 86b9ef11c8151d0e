#pragma once
// Resource limits and usage of one container's cgroup, independent of the cgroup version.

#include "berth/run_request.h"
#include "sys/error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace berth::cgroup {

// Docker's flag semantics (the public ResourceLimits of a RunRequest), plus what the engine
// adds; the managers translate them to each cgroup version's files.
struct Resources : ResourceLimits {
    Resources() = default;
    Resources(const ResourceLimits& limits) : ResourceLimits(limits) {}  // NOLINT: implicit on purpose
    // Only the devices of a container's minimal /dev may be opened (Docker's default list,
    // kDefaultDeviceRules); mknod of any node is allowed, opening it is not. false for
    // --privileged. Enforced at create: by the v1 devices controller (where mounted), by an
    // eBPF device program on v2 (skipped when rootless, where BPF is not allowed).
    bool restrictDevices = true;
    // --device: rules allowed on top of the default list ("c 10:229 rw"), same syntax.
    std::vector<std::string> deviceRules;
};

// Docker's default device allow list, in the v1 devices.allow syntax.
inline constexpr const char* kDefaultDeviceRules[] = {
    "c *:* m",    "b *:* m",                                   // mknod, not open
    "c 1:3 rwm",  "c 1:5 rwm", "c 1:7 rwm", "c 1:8 rwm", "c 1:9 rwm",  // null zero full random urandom
    "c 5:0 rwm",  "c 5:1 rwm", "c 5:2 rwm",                    // tty console ptmx
    "c 136:* rwm",                                              // pts
    "c 10:200 rwm",                                             // net/tun
};

struct Stats {
    uint64_t cpuUsageNs = 0;     // cumulative
    uint64_t memoryUsage = 0;    // bytes, without page cache where the kernel tells
    uint64_t memoryLimit = 0;    // 0 = unlimited
    uint64_t pids = 0;
    uint64_t blkioRead = 0;
    uint64_t blkioWrite = 0;
    uint64_t oomKills = 0;
    // Which counter oomKills came from: "memory.events oom_kill" (v2),
    // "memory.oom_control oom_kill" (v1), or "memory.failcnt" (old v1 kernels: counts
    // times the limit was hit, not kills). Empty when no counter was readable.
    std::string oomKillsSource;
};

// Rejects values no kernel would accept, before anything is created: non-positive memory,
// swap total below memory or without memory, quota/period out of the kernel's range,
// shares outside 2..262144, a malformed cpu list.
VoidResult validate(const Resources& res);

// v1 cpu.shares (2..262144) to v2 cpu.weight (1..10000), the mapping runc and crun use.
uint64_t sharesToWeight(uint64_t shares);

// Checks a cpu list such as "0-3,5" (what cpuset.cpus accepts).
bool isValidCpuList(std::string_view list);

} // namespace berth::cgroup
