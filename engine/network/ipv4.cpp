#include "network/ipv4.h"

#include <fmt/format.h>

#include <charconv>

namespace berth::network {

std::string Ipv4::str() const {
    return fmt::format("{}.{}.{}.{}", value >> 24, (value >> 16) & 255, (value >> 8) & 255, value & 255);
}

std::string Subnet::str() const { return base.str() + "/" + std::to_string(prefix); }

bool Subnet::overlaps(const Subnet& o) const {
    int p = std::min(prefix, o.prefix);
    uint32_t m = p == 0 ? 0 : ~uint32_t(0) << (32 - p);
    return (base.value & m) == (o.base.value & m);
}

Result<Ipv4> parseIpv4(std::string_view text) {
    uint32_t v = 0;
    const char* p = text.data();
    const char* end = text.data() + text.size();
    for (int i = 0; i < 4; ++i) {
        if (i > 0) {
            if (p == end || *p != '.') return fail(Errc::InvalidArgument, "invalid IPv4 address `" + std::string(text) + "`");
            ++p;
        }
        unsigned octet = 0;
        auto [next, ec] = std::from_chars(p, end, octet);
        // No sign, no leading zeros ("010" is octal to inet_aton: refuse rather than guess).
        if (ec != std::errc() || next == p || octet > 255 || (next - p > 1 && *p == '0'))
            return fail(Errc::InvalidArgument, "invalid IPv4 address `" + std::string(text) + "`");
        v = v << 8 | octet;
        p = next;
    }
    if (p != end) return fail(Errc::InvalidArgument, "invalid IPv4 address `" + std::string(text) + "`");
    return Ipv4{v};
}

Result<Subnet> parseSubnet(std::string_view text) {
    auto slash = text.find('/');
    if (slash == std::string_view::npos)
        return fail(Errc::InvalidArgument, "invalid subnet `" + std::string(text) + "`: expected address/prefix, e.g. 10.90.0.0/24");
    auto addr = BERTH_TRY_CTX(parseIpv4(text.substr(0, slash)), "subnet `" + std::string(text) + "`");
    auto ptext = text.substr(slash + 1);
    int prefix = -1;
    auto [next, ec] = std::from_chars(ptext.data(), ptext.data() + ptext.size(), prefix);
    if (ec != std::errc() || next != ptext.data() + ptext.size() || ptext.empty() || prefix < 0 || prefix > 32)
        return fail(Errc::InvalidArgument, "invalid subnet `" + std::string(text) + "`: the prefix length must be 0 to 32");
    if (prefix > 30)
        return fail(Errc::InvalidArgument, "subnet `" + std::string(text) + "` is too small: at most /30");
    Subnet s{addr, prefix};
    if ((addr.value & s.mask()) != addr.value)
        return fail(Errc::InvalidArgument, "invalid subnet `" + std::string(text) + "`: host bits are set (did you mean " +
                                               Subnet{{addr.value & s.mask()}, prefix}.str() + "?)");
    return s;
}

Result<Ipv4> allocateAddress(const Subnet& subnet, Ipv4 gateway, const std::set<Ipv4>& used, Ipv4 after) {
    uint32_t lo = subnet.base.value + 1, hi = subnet.broadcast().value;  // host addresses: [lo, hi)
    if (hi > lo) {
        uint32_t count = hi - lo;
        uint32_t start = after.value >= lo && after.value < hi ? after.value + 1 - lo : 0;
        for (uint32_t i = 0; i < count; ++i) {
            Ipv4 a{lo + (start + i) % count};
            if (a == gateway || used.contains(a)) continue;
            return a;
        }
    }
    return fail(Errc::Conflict, "no free address left in subnet " + subnet.str());
}

std::string macForAddress(Ipv4 a) {
    uint32_t v = a.value;
    return fmt::format("02:42:{:02x}:{:02x}:{:02x}:{:02x}", v >> 24, (v >> 16) & 255, (v >> 8) & 255, v & 255);
}

} // namespace berth::network
