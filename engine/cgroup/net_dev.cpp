#include "cgroup/net_dev.h"

#include <charconv>

namespace berth::cgroup {

bool parseNetDev(std::string_view text, NetDevCounters& out) {
    // Two header lines, then "  eth0: rxbytes rxpackets errs drop fifo frame compressed
    // multicast txbytes txpackets errs drop ...": fields 0-3 are received bytes, packets,
    // errors, drops; 8-11 the same transmitted.
    out = {};
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
        constexpr int kFields = 12;
        uint64_t fields[kFields] = {};
        int n = 0;
        const char* p = rest.data();
        const char* end = rest.data() + rest.size();
        while (n < kFields && p < end) {
            while (p < end && *p == ' ') ++p;
            if (p >= end) break;
            auto [q, ec] = std::from_chars(p, end, fields[n]);
            if (ec != std::errc()) return false;
            p = q;
            ++n;
        }
        if (n < kFields) return false;
        out.rxBytes += fields[0];
        out.rxPackets += fields[1];
        out.rxErrors += fields[2];
        out.rxDropped += fields[3];
        out.txBytes += fields[8];
        out.txPackets += fields[9];
        out.txErrors += fields[10];
        out.txDropped += fields[11];
    }
    return line >= 2;
}

} // namespace berth::cgroup
