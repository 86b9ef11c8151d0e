// Attached clients: the copying loop between a client's fds and a monitor's socket
// (startAttached and attach), window-size and signal forwarding, detach keys.
#include "container/container_service.h"

#include "container/detach_keys.h"
#include "container/monitor_protocol.h"
#include "container/service_impl.h"
#include "sys/fs.h"

#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <termios.h>
#include <unistd.h>

namespace berth::container {

std::string terminalSize(int ttyFd) {
    winsize ws{};
    if (ttyFd < 0 || ::ioctl(ttyFd, TIOCGWINSZ, &ws) != 0 || ws.ws_row == 0 || ws.ws_col == 0) return {};
    return std::to_string(ws.ws_row) + " " + std::to_string(ws.ws_col);
}

Result<int> attachPump(int sock, const AttachIo& io, bool forwardStdin, bool tty, bool closeStdinAtEnd) {
    bool stdinOpen = forwardStdin && io.stdinFd >= 0;
    if (closeStdinAtEnd && forwardStdin && io.stdinFd < 0) (void)protocol::send(sock, protocol::Msg::StdinClose);
    DetachScanner detach(tty ? std::string_view(io.detachKeys) : std::string_view{});
    char buf[protocol::kMaxPayload];
    std::string forward;
    while (true) {
        pollfd fds[3] = {{sock, POLLIN, 0}, {stdinOpen ? io.stdinFd : -1, POLLIN, 0}, {io.signalFd, POLLIN, 0}};
        int r = ::poll(fds, 3, -1);
        if (r < 0) {
            if (errno == EINTR) continue;
            return failErrno("poll attached streams");
        }
        if (fds[2].revents) {
            signalfd_siginfo info[8];
            ssize_t n = ::read(io.signalFd, info, sizeof info);
            // A signal pipe whose writer closed: the caller went away (the API's client hung
            // up). Let go as the detach keys do; the container runs on.
            if (n == 0) return kDetached;
            for (ssize_t i = 0; n > 0 && i < n / ssize_t(sizeof info[0]); ++i) {
                int sig = int(info[i].ssi_signo);
                if (sig == SIGWINCH) {
                    if (auto size = terminalSize(io.ttyFd); tty && !size.empty())
                        (void)protocol::send(sock, protocol::Msg::Resize, size);
                } else {
                    (void)protocol::send(sock, protocol::Msg::Signal, std::to_string(sig));
                }
            }
        }
        if (fds[1].revents) {
            ssize_t n = ::read(io.stdinFd, buf, sizeof buf);
            if (n > 0) {
                forward.clear();
                bool detached = detach.feed(std::string_view(buf, size_t(n)), forward);
                if (!forward.empty()) (void)protocol::send(sock, protocol::Msg::Stdin, forward);
                if (detached) return kDetached;
            } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
                stdinOpen = false;
                if (closeStdinAtEnd) (void)protocol::send(sock, protocol::Msg::StdinClose);
            }
        }
        if (fds[0].revents) {
            auto msg = protocol::receive(sock);
            if (!msg) {
                if (msg.error().code() == Errc::NotFound)
                    return fail(Errc::Internal, "the container's monitor went away");
                return fail(msg.error());
            }
            auto& [type, payload] = *msg;
            int out = type == protocol::Msg::Stderr ? io.stderrFd : io.stdoutFd;
            if (type == protocol::Msg::Stdout || type == protocol::Msg::Stderr) {
                if (out >= 0) (void)sys::writeAll(sys::BorrowedFd(out), payload);
            } else if (type == protocol::Msg::Exited) {
                return std::atoi(payload.c_str());
            }
        }
    }
}

Result<int> ContainerService::attach(std::string_view ref, const AttachIo& io) {
    auto rec = BERTH_TRY(m_impl->find(ref));
    auto st = rec.state.status;
    if (st != Status::Running && st != Status::Paused && st != Status::Restarting)
        return fail(Errc::Conflict, "You cannot attach to a stopped container, start it first");
    auto sock = protocol::connectAttach(rec.dir);
    if (!sock) {
        // The monitor ended between our look at the state and the connect.
        auto again = BERTH_TRY(m_impl->find(ref));
        if (again.state.status == Status::Exited) return again.state.exitCode;
        return fail(sock.error());
    }
    bool tty = rec.config.options.tty;
    if (tty) {
        // Like docker: attaching resizes the container's terminal to ours.
        if (auto size = terminalSize(io.ttyFd); !size.empty())
            (void)protocol::send(sock->get(), protocol::Msg::Resize, size);
    }
    auto code = attachPump(sock->get(), io, rec.config.options.interactive, tty, false);
    if (!code && code.error().code() == Errc::Internal) {
        // The monitor went away without telling us (it exited as we connected): the
        // recorded exit is the answer.
        sock->reset();
        auto end = BERTH_TRY(wait(rec.config.id));
        return end;
    }
    return code;
}

} // namespace berth::container
