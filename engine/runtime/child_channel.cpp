#include "runtime/child_channel.h"

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace berth::runtime {

namespace {

// Fixed-size record: one SEQPACKET message each, never split.
struct Wire {
    int32_t kind;
    int32_t code;
    int32_t sysErrno;
    int32_t pid;
    char message[2000];
};

void sendWire(int fd, const Wire& w) {
    for (;;) {
        ssize_t n = ::send(fd, &w, sizeof w, MSG_NOSIGNAL);
        if (n >= 0 || errno != EINTR) return;
    }
}

} // namespace

Result<ChannelPair> makeChannel() {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) != 0)
        return failErrno("socketpair for the launch channel");
    return ChannelPair{sys::UniqueFd(fds[0]), sys::UniqueFd(fds[1])};
}

VoidResult sendGo(int fd) {
    char go = 'g';
    for (;;) {
        ssize_t n = ::send(fd, &go, 1, MSG_NOSIGNAL);
        if (n == 1) return {};
        if (n < 0 && errno == EINTR) continue;
        return failErrno("tell the container process to go on");
    }
}

namespace {

Result<std::optional<ChildReport>> receive(int fd, int flags) {
    Wire w{};
    ssize_t n;
    bool resetSeen = false;
    for (;;) {
        n = ::recv(fd, &w, sizeof w, flags);
        if (n >= 0 || errno == EINTR) {
            if (n >= 0) break;
            continue;
        }
        // A child that fails before reading "go" exits with it unread: the kernel flags our
        // end with ECONNRESET, reported once, ahead of the error report still queued.
        if (errno == ECONNRESET && !resetSeen) {
            resetSeen = true;
            continue;
        }
        break;
    }
    if (n < 0) return failErrno("read the container process's report");
    // End-of-file means the exec happened, unless the child went with "go" unread: then it
    // died before its first step could report (killed, crashed) and never ran anything.
    if (n == 0 && resetSeen) return fail(Errc::Internal, "the container process exited before it started");
    if (n == 0) return std::optional<ChildReport>();
    if (size_t(n) != sizeof w) return fail(Errc::Internal, "truncated report from the container process");
    ChildReport r;
    if (w.kind == 1) {
        r.kind = ChildReport::Kind::Pid;
        r.pid = w.pid;
    } else {
        w.message[sizeof w.message - 1] = 0;
        r.kind = ChildReport::Kind::Error;
        r.error = Error(static_cast<Errc>(w.code), w.message, w.sysErrno);
    }
    return std::optional<ChildReport>(std::move(r));
}

} // namespace

Result<std::optional<ChildReport>> receiveReport(int fd) { return receive(fd, 0); }

std::optional<Error> pendingChildError(int fd) {
    auto report = receive(fd, MSG_DONTWAIT);
    if (!report || !*report || (*report)->kind != ChildReport::Kind::Error) return std::nullopt;
    return std::move((*report)->error);
}

void reportError(int fd, const Error& e) {
    Wire w{};
    w.kind = 0;
    w.code = static_cast<int32_t>(e.code());
    w.sysErrno = e.sysErrno();
    size_t len = std::min(e.message().size(), sizeof w.message - 1);
    std::memcpy(w.message, e.message().data(), len);
    sendWire(fd, w);
}

void reportPid(int fd, pid_t pid) {
    Wire w{};
    w.kind = 1;
    w.pid = pid;
    sendWire(fd, w);
}

bool waitForGo(int fd) {
    char c = 0;
    for (;;) {
        ssize_t n = ::recv(fd, &c, 1, 0);
        if (n == 1) return c == 'g';
        if (n < 0 && errno == EINTR) continue;
        return false;
    }
}

} // namespace berth::runtime
