#include "network/port_check.h"

#include "network/ipv4.h"
#include "sys/unique_fd.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

namespace berth::network {

static Result<sys::UniqueFd> bound(const std::string& hostIp, uint16_t port, const std::string& protocol) {
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    if (!hostIp.empty()) sa.sin_addr.s_addr = htonl(BERTH_TRY(parseIpv4(hostIp)).value);
    bool udp = protocol == "udp";
    sys::UniqueFd fd(::socket(AF_INET, (udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0));
    if (!fd) return failErrno("socket");
    if (!udp) {
        // A port whose last connection is in TIME_WAIT is free for a new listener.
        int one = 1;
        ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    }
    std::string where = (hostIp.empty() ? std::string("0.0.0.0") : hostIp) + ":" + std::to_string(port) + "/" + protocol;
    if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&sa), sizeof sa) < 0) {
        int e = errno;
        if (e == EADDRINUSE)
            return fail(Error(Errc::Conflict, "host port " + where + " is already in use", e));
        if (e == EADDRNOTAVAIL)
            return fail(Error(Errc::InvalidArgument, "cannot publish on " + where + ": " + (hostIp.empty() ? "" : hostIp) +
                                                         " is not an address of this host", e));
        return failErrno("bind " + where, e);
    }
    if (!udp && ::listen(fd.get(), 1) < 0) {
        int e = errno;
        if (e == EADDRINUSE) return fail(Error(Errc::Conflict, "host port " + where + " is already in use", e));
        return failErrno("listen on " + where, e);
    }
    return fd;
}

VoidResult checkHostPortFree(const std::string& hostIp, uint16_t port, const std::string& protocol) {
    BERTH_TRY(bound(hostIp, port, protocol));
    return {};
}

Result<uint16_t> ephemeralHostPort(const std::string& hostIp, const std::string& protocol) {
    auto fd = BERTH_TRY(bound(hostIp, 0, protocol));
    sockaddr_in sa{};
    socklen_t len = sizeof sa;
    if (::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&sa), &len) < 0) return failErrno("getsockname");
    return ntohs(sa.sin_port);
}

} // namespace berth::network
