#include "container/monitor_protocol.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <charconv>

namespace berth::container::protocol {

bool decodeWindowSize(std::string_view payload, unsigned short& rows, unsigned short& cols) {
    unsigned r = 0, c = 0;
    size_t space = payload.find(' ');
    if (space == std::string_view::npos) return false;
    auto number = [](std::string_view text, unsigned& v) {
        auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        return ec == std::errc() && p == text.data() + text.size() && v > 0 && v < 65536;
    };
    if (!number(payload.substr(0, space), r) || !number(payload.substr(space + 1), c)) return false;
    rows = (unsigned short)r;
    cols = (unsigned short)c;
    return true;
}

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

namespace {

// "/proc/self/fd/N/attach.sock" for an O_PATH descriptor of the container's directory.
Result<std::pair<sys::UniqueFd, sockaddr_un>> attachAddress(const std::filesystem::path& dir) {
    sys::UniqueFd d(::open(dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!d) return failErrno("open " + dir.string());
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::string path = "/proc/self/fd/" + std::to_string(d.get()) + "/" + kAttachSocketName;
    std::copy(path.begin(), path.end(), addr.sun_path);
    return std::pair{std::move(d), addr};
}

} // namespace

Result<sys::UniqueFd> listenAttach(const std::filesystem::path& containerDir) {
    auto [dir, addr] = BERTH_TRY(attachAddress(containerDir));
    sys::UniqueFd s(::socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (!s) return failErrno("socket for attach");
    ::unlinkat(dir.get(), kAttachSocketName, 0);  // a dead monitor's leftover
    // Only the store's owner may attach (the socket carries the container's stdin): 0600
    // from the start, through the umask, restored at once (the container inherits ours).
    mode_t old = ::umask(0177);
    int r = ::bind(s.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    int err = errno;
    ::umask(old);
    if (r < 0) return fail(Error::fromErrno("bind " + (containerDir / kAttachSocketName).string(), err));
    if (::listen(s.get(), 8) < 0) return failErrno("listen on " + (containerDir / kAttachSocketName).string());
    return s;
}

Result<sys::UniqueFd> connectAttach(const std::filesystem::path& containerDir) {
    auto [dir, addr] = BERTH_TRY(attachAddress(containerDir));
    sys::UniqueFd s(::socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0));
    if (!s) return failErrno("socket for attach");
    int r;
    do r = ::connect(s.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    while (r < 0 && errno == EINTR);
    if (r < 0) return failErrno("connect to " + (containerDir / kAttachSocketName).string());
    return s;
}

} // namespace berth::container::protocol
