#include "cgroup/stats_sampler.h"

#include "cgroup/control_files.h"

#include <charconv>
#include <ctime>

namespace berth::cgroup {

static uint64_t monotonicNs() {
    timespec ts;
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return uint64_t(ts.tv_sec) * 1000000000ull + uint64_t(ts.tv_nsec);
}

std::optional<double> cpuPercent(uint64_t prevCpuNs, uint64_t cpuNs, uint64_t prevWallNs,
                                 uint64_t wallNs) {
    if (wallNs <= prevWallNs) return std::nullopt;
    // A counter that went backwards (cgroup recreated by a restart) counts as no use.
    if (cpuNs < prevCpuNs) return 0.0;
    return double(cpuNs - prevCpuNs) / double(wallNs - prevWallNs) * 100.0;
}

bool parseNetDev(std::string_view text, uint64_t& rx, uint64_t& tx) {
    // Two header lines, then "  eth0: rxbytes rxpackets errs drop fifo frame compressed
    // multicast txbytes ...": field 0 is received bytes, field 8 transmitted bytes.
    rx = tx = 0;
    int line = 0;
    while (!text.empty()) {
        size_t nl = text.find('\n');
        std::string_view l = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
        if (line++ < 2) {
            if (l.find('|') == std::string_view::npos) return false;
            continue;
        }
        size_t colon = l.find(':');
        if (colon == std::string_view::npos) continue;
        std::string_view name = l.substr(0, colon);
        while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
        if (name == "lo") continue;
        std::string_view rest = l.substr(colon + 1);
        uint64_t fields[9] = {};
        int n = 0;
        const char* p = rest.data();
        const char* end = rest.data() + rest.size();
        while (n < 9 && p < end) {
            while (p < end && *p == ' ') ++p;
            if (p >= end) break;
            auto [q, ec] = std::from_chars(p, end, fields[n]);
            if (ec != std::errc()) return false;
            p = q;
            ++n;
        }
        if (n < 9) return false;
        rx += fields[0];
        tx += fields[8];
    }
    return line >= 2;
}

StatsSampler::StatsSampler(const CgroupManager& manager, pid_t initPid,
                           std::filesystem::path procRoot, Clock clock)
    : m_manager(manager), m_pid(initPid), m_procRoot(std::move(procRoot)),
      m_clock(clock ? std::move(clock) : Clock(monotonicNs)) {}

Result<Sample> StatsSampler::sample() {
    Sample s;
    auto netPath = m_procRoot / std::to_string(m_pid) / "net" / "dev";
    auto net = BERTH_TRY(detail::readControl(netPath));
    if (!net)
        return fail(Errc::NotFound, "stats: process " + std::to_string(m_pid) + " has exited");
    if (!parseNetDev(*net, s.netRxBytes, s.netTxBytes))
        return fail(Errc::Corrupt, "stats: cannot parse `" + netPath.string() + "`");
    s.cgroup = BERTH_TRY_CTX(m_manager.stats(), "stats " + m_manager.describe());
    s.wallNs = m_clock();
    if (m_previous)
        s.cpuPercent = cpuPercent(m_previous->cgroup.cpuUsageNs, s.cgroup.cpuUsageNs,
                                  m_previous->wallNs, s.wallNs);
    m_previous = s;
    return s;
}

} // namespace berth::cgroup
