// Hijacked connection <-> the engine's file descriptors (see stream_pump.h).
#include "stream_pump.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>

namespace berth::dockerapi {

namespace {

void closeFd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
}

bool makePipe(int& readEnd, int& writeEnd) {
    int p[2];
    if (::pipe2(p, O_CLOEXEC) != 0) return false;
    readEnd = p[0];
    writeEnd = p[1];
    return true;
}

// Writes all of `data` to a non-blocking fd, unless `cancel` fires first.
bool writeAll(int fd, std::string_view data, int cancel) {
    while (!data.empty()) {
        ssize_t n = ::write(fd, data.data(), data.size());
        if (n > 0) {
            data.remove_prefix(size_t(n));
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno != EAGAIN) return false;
        pollfd p[2] = {{fd, POLLOUT, 0}, {cancel, POLLIN, 0}};
        if (::poll(p, 2, -1) < 0 && errno != EINTR) return false;
        if (p[1].revents) return false;
        if (p[0].revents & (POLLERR | POLLHUP)) return false;
    }
    return true;
}

} // namespace

StreamPump::StreamPump(RawStream& raw, Options options) : m_raw(raw), m_options(options) {
    m_cancel = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (options.stdinOpen && makePipe(m_stdinRead, m_stdinWrite))
        ::fcntl(m_stdinWrite, F_SETFL, ::fcntl(m_stdinWrite, F_GETFL) | O_NONBLOCK);
    // Output the client did not ask for still needs a pipe (the engine writes it); it is
    // read and dropped.
    makePipe(m_stdoutRead, m_stdoutWrite);
    if (!options.tty) makePipe(m_stderrRead, m_stderrWrite);
    if (makePipe(m_controlRead, m_controlWrite))
        ::fcntl(m_controlWrite, F_SETFL, ::fcntl(m_controlWrite, F_GETFL) | O_NONBLOCK);
    // Only its size is used (TIOCSWINSZ here, TIOCGWINSZ in the engine): never unlocked,
    // never a terminal of anyone's.
    if (options.tty) m_ttyMaster = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
}

StreamPump::~StreamPump() {
    finish();
    closeControl();
    for (int* fd : {&m_stdinRead, &m_stdinWrite, &m_stdoutRead, &m_stdoutWrite, &m_stderrRead, &m_stderrWrite,
                    &m_cancel, &m_controlRead, &m_ttyMaster})
        closeFd(*fd);
}

AttachIo StreamPump::io() const {
    AttachIo io;
    io.stdinFd = stdinFd();
    io.stdoutFd = stdoutFd();
    io.stderrFd = stderrFd();
    io.signalFd = m_controlRead;
    io.ttyFd = m_ttyMaster;
    return io;
}

void StreamPump::closeControl() {
    std::lock_guard lock(m_controlMutex);
    closeFd(m_controlWrite);
}

void StreamPump::markGone() {
    m_clientGone = true;
    closeControl();  // the engine's attachment ends (see AttachIo::signalFd)
}

void StreamPump::resize(unsigned short rows, unsigned short cols) {
    std::lock_guard lock(m_controlMutex);
    if (m_ttyMaster < 0 || m_controlWrite < 0 || rows == 0 || cols == 0) return;
    winsize ws{};
    ws.ws_row = rows;
    ws.ws_col = cols;
    if (::ioctl(m_ttyMaster, TIOCSWINSZ, &ws) != 0) return;
    signalfd_siginfo info{};
    info.ssi_signo = SIGWINCH;
    (void)!::write(m_controlWrite, &info, sizeof info);  // a full pipe: a resize is pending anyway
}

void StreamPump::start() {
    m_output = std::thread([this] { pumpOutput(); });
    m_input = std::thread([this] { pumpInput(); });
}

void StreamPump::pumpOutput() {
    char buf[32768];
    int fds[2] = {m_stdoutRead, m_stderrRead};
    while (fds[0] >= 0 || fds[1] >= 0) {
        pollfd p[2] = {{fds[0], POLLIN, 0}, {fds[1], POLLIN, 0}};
        if (::poll(p, 2, -1) < 0) {
            if (errno == EINTR) continue;
            return;
        }
        for (int i = 0; i < 2; ++i) {
            if (fds[i] < 0 || !p[i].revents) continue;
            ssize_t n = ::read(fds[i], buf, sizeof buf);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                fds[i] = -1;  // that stream ended (all its writers closed)
                continue;
            }
            bool wanted = i == 0 ? m_options.stdoutOn : m_options.stderrOn;
            if (!wanted || m_clientGone) continue;
            std::string_view data(buf, size_t(n));
            bool ok = m_options.tty ? m_raw.write(data) : m_raw.write(frame(uint8_t(i + 1), data));
            if (!ok) markGone();  // keep draining so the engine never blocks on us
        }
    }
}

void StreamPump::pumpInput() {
    char buf[32768];
    while (m_stdinWrite >= 0) {
        if (!m_raw.hasPending()) {
            pollfd p[2] = {{m_raw.fd(), POLLIN, 0}, {m_cancel, POLLIN, 0}};
            if (::poll(p, 2, -1) < 0) {
                if (errno == EINTR) continue;
                break;
            }
            if (p[1].revents) break;
        }
        long n = m_raw.read(buf, sizeof buf);
        if (n < 0) markGone();
        if (n <= 0) break;  // half-close (stdin ended) or gone
        if (!writeAll(m_stdinWrite, std::string_view(buf, size_t(n)), m_cancel)) break;
    }
    closeFd(m_stdinWrite);  // the container reads EOF
    // Without stdin (or after its end) only watch for the hang-up: a unix socket whose
    // client closed it reports POLLHUP (a half-close does not).
    while (!m_clientGone) {
        pollfd p[2] = {{m_raw.fd(), 0, 0}, {m_cancel, POLLIN, 0}};
        if (::poll(p, 2, -1) < 0) {
            if (errno == EINTR) continue;
            return;
        }
        if (p[1].revents) return;
        if (p[0].revents & (POLLHUP | POLLERR)) markGone();
    }
}

void StreamPump::finish() {
    if (m_finished) return;
    m_finished = true;
    closeControl();
    // Our write ends: once the engine's are gone too, the output thread reads EOF.
    closeFd(m_stdoutWrite);
    closeFd(m_stderrWrite);
    if (m_output.joinable()) m_output.join();
    uint64_t one = 1;
    (void)!::write(m_cancel, &one, sizeof one);
    if (m_input.joinable()) m_input.join();
    m_raw.closeWrite();
}

} // namespace berth::dockerapi
