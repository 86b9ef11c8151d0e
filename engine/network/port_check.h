#pragma once
// Host ports: is one free (a bind succeeds), and which one the kernel would hand out.
// Published ports are DNAT rules, not listeners, so a process holding the port on the host
// would silently lose its traffic: refuse it before the container starts.

#include "sys/error.h"

#include <cstdint>
#include <string>

namespace berth::network {

VoidResult checkHostPortFree(const std::string& hostIp, uint16_t port, const std::string& protocol);
Result<uint16_t> ephemeralHostPort(const std::string& hostIp, const std::string& protocol);

} // namespace berth::network
