#include "cgroup/resources.h"

#include <charconv>

namespace berth::cgroup {

static constexpr uint64_t kMinShares = 2;
static constexpr uint64_t kMaxShares = 262144;

uint64_t sharesToWeight(uint64_t shares) {
    if (shares < kMinShares) shares = kMinShares;
    if (shares > kMaxShares) shares = kMaxShares;
    return 1 + ((shares - 2) * 9999) / 262142;
}

bool isValidCpuList(std::string_view list) {
    if (list.empty()) return false;
    auto number = [](std::string_view s, unsigned& out) {
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
        return !s.empty() && ec == std::errc() && p == s.data() + s.size() && out < 65536;
    };
    while (true) {
        size_t comma = list.find(',');
        std::string_view item = list.substr(0, comma);
        size_t dash = item.find('-');
        unsigned a = 0, b = 0;
        if (dash == std::string_view::npos) {
            if (!number(item, a)) return false;
        } else {
            if (!number(item.substr(0, dash), a) || !number(item.substr(dash + 1), b) || a > b)
                return false;
        }
        if (comma == std::string_view::npos) return true;
        list.remove_prefix(comma + 1);
    }
}

VoidResult validate(const Resources& res) {
    if (res.memoryBytes && *res.memoryBytes <= 0)
        return fail(Errc::InvalidArgument,
                    "memory limit must be positive, got " + std::to_string(*res.memoryBytes));
    if (res.memorySwapBytes) {
        int64_t swap = *res.memorySwapBytes;
        if (swap != -1) {
            if (swap <= 0)
                return fail(Errc::InvalidArgument,
                            "memory+swap limit must be positive or -1 (unlimited), got " +
                                std::to_string(swap));
            if (!res.memoryBytes)
                return fail(Errc::InvalidArgument,
                            "a memory+swap limit needs a memory limit as well");
            if (swap < *res.memoryBytes)
                return fail(Errc::InvalidArgument,
                            "memory+swap limit (" + std::to_string(swap) +
                                ") must not be smaller than the memory limit (" +
                                std::to_string(*res.memoryBytes) + ")");
        }
    }
    // The kernel's CFS bandwidth bounds: period 1 ms..1 s, quota at least 1 ms.
    if (res.cpuPeriodUs < 1000 || res.cpuPeriodUs > 1000000)
        return fail(Errc::InvalidArgument, "cpu period must be between 1000 and 1000000 us, got " +
                                               std::to_string(res.cpuPeriodUs));
    if (res.cpuQuotaUs && *res.cpuQuotaUs < 1000)
        return fail(Errc::InvalidArgument,
                    "cpu quota must be at least 1000 us (0.01 cpus with the default period), got " +
                        std::to_string(*res.cpuQuotaUs));
    if (res.cpuShares && (*res.cpuShares < kMinShares || *res.cpuShares > kMaxShares))
        return fail(Errc::InvalidArgument, "cpu shares must be between 2 and 262144, got " +
                                               std::to_string(*res.cpuShares));
    if (res.cpusetCpus && !isValidCpuList(*res.cpusetCpus))
        return fail(Errc::InvalidArgument,
                    "bad cpu list \"" + *res.cpusetCpus + "\" (expected e.g. \"0-3,5\")");
    if (res.pidsLimit && *res.pidsLimit < -1)
        return fail(Errc::InvalidArgument,
                    "pids limit must be positive, or 0 or -1 for unlimited, got " +
                        std::to_string(*res.pidsLimit));
    return {};
}

} // namespace berth::cgroup
