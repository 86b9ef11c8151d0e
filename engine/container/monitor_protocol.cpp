#include "container/monitor_protocol.h"

#include <sys/socket.h>

#include <charconv>

namespace berth::container::protocol {

VoidResult send(int fd, Msg type, std::string_view payload) {
    char buf[kMaxPayload + 1];
    while (true) {
        size_t n = std::min(payload.size(), kMaxPayload);
        buf[0] = char(type);
        std::copy(payload.begin(), payload.begin() + n, buf + 1);
        ssize_t r;
        do r = ::send(fd, buf, n + 1, MSG_NOSIGNAL);
        while (r < 0 && errno == EINTR);
        if (r < 0) return failErrno("send to monitor peer");
        payload.remove_prefix(n);
        if (payload.empty()) return {};
    }
}

Result<std::pair<Msg, std::string>> receive(int fd) {
    std::string buf(kMaxPayload + 1, '\0');
    ssize_t r;
    do r = ::recv(fd, buf.data(), buf.size(), 0);
    while (r < 0 && errno == EINTR);
    if (r < 0) {
        if (errno == ECONNRESET) return fail(Errc::NotFound, "monitor peer closed");
        return failErrno("receive from monitor peer");
    }
    if (r == 0) return fail(Errc::NotFound, "monitor peer closed");
    buf.resize(size_t(r));
    Msg type = Msg(buf[0]);
    return std::pair{type, buf.substr(1)};
}

std::string encodeFailure(const Error& e, int exitCode) {
    return std::to_string(exitCode) + "\n" + std::to_string(int(e.code())) + "\n" +
           std::to_string(e.sysErrno()) + "\n" + e.message();
}

Error decodeFailure(std::string_view payload, int& exitCode) {
    int fields[3] = {125, int(Errc::Internal), 0};
    for (int i = 0; i < 3; ++i) {
        auto nl = payload.find('\n');
        if (nl == std::string_view::npos) break;
        std::from_chars(payload.data(), payload.data() + nl, fields[i]);
        payload.remove_prefix(nl + 1);
    }
    exitCode = fields[0];
    return Error(Errc(fields[1]), std::string(payload), fields[2]);
}

} // namespace berth::container::protocol
