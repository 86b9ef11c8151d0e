#pragma once
// IPv4 addresses and subnets as the network layer handles them: parsing ("10.77.0.0/24"),
// formatting, overlap, and the address allocation rule (IPAM) of a subnet.

#include "sys/error.h"

#include <cstdint>
#include <set>
#include <string>
#include <string_view>

namespace berth::network {

struct Ipv4 {
    uint32_t value = 0;  // host byte order
    auto operator<=>(const Ipv4&) const = default;
    std::string str() const;
};

struct Subnet {
    Ipv4 base;       // network address (host bits zero)
    int prefix = 0;  // 0..32
    uint32_t mask() const { return prefix == 0 ? 0 : ~uint32_t(0) << (32 - prefix); }
    bool contains(Ipv4 a) const { return (a.value & mask()) == base.value; }
    bool overlaps(const Subnet& o) const;
    Ipv4 first() const { return {base.value + 1}; }                // usual gateway
    Ipv4 broadcast() const { return {base.value | ~mask()}; }
    std::string str() const;  // "10.77.0.0/24"
};

Result<Ipv4> parseIpv4(std::string_view text);
// "a.b.c.d/n"; host bits set are refused (a typo as often as not: "10.0.0.1/24").
Result<Subnet> parseSubnet(std::string_view text);

// The first host address of `subnet` after `after` (wrapping around; 0 or an address
// outside the subnet: from the lowest) that is not `gateway`, not in `used`, and neither the
// network nor the broadcast address. Errc::Conflict when the subnet is full.
Result<Ipv4> allocateAddress(const Subnet& subnet, Ipv4 gateway, const std::set<Ipv4>& used, Ipv4 after = {});

// "02:42:" + the address's four bytes, as docker does: unique while the address is.
std::string macForAddress(Ipv4 a);

} // namespace berth::network
