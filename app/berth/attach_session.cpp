#include "attach_session.h"

#include "cli_context.h"
#include "berth/run_flags.h"

#include <sys/signalfd.h>
#include <unistd.h>

#include <cstdio>

namespace berth::cli {

std::string detachKeyBytes(const std::string& spec) {
    auto keys = parseDetachKeys(spec);
    if (!keys) throw CliError{keys.error().message(), 125};
    return *keys;
}

AttachSession::AttachSession(const AttachSettings& s) {
    m_io.stdinFd = s.stdinAttached ? 0 : -1;
    m_io.stdoutFd = 1;
    m_io.stderrFd = 2;
    if (s.tty) {
        // Our terminal, whichever of stdin/stdout is one: its size is the container's.
        m_io.ttyFd = ::isatty(0) ? 0 : ::isatty(1) ? 1 : -1;
        // Docker's default detach keys; they only mean something with our stdin attached.
        if (s.stdinAttached) m_io.detachKeys = s.detachKeys;
    }
    sigemptyset(&m_blocked);
    if (s.tty) sigaddset(&m_blocked, SIGWINCH);
    if (s.sigProxy)
        for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2}) sigaddset(&m_blocked, sig);
    // Blocked signals stay pending until the engine reads them from the signalfd; the
    // monitor and exec helper unblock everything in their child before exec.
    ::sigprocmask(SIG_BLOCK, &m_blocked, &m_savedMask);
    m_signals = ::signalfd(-1, &m_blocked, SFD_CLOEXEC | SFD_NONBLOCK);
    m_io.signalFd = m_signals;

    // With -it on a terminal, keys go to the container as bytes (Ctrl-C included).
    if (s.tty && s.stdinAttached && ::isatty(0) && ::tcgetattr(0, &m_savedTerm) == 0) {
        termios raw = m_savedTerm;
        ::cfmakeraw(&raw);
        raw.c_oflag |= OPOST;  // keep output processing; the container's pty does the rest
        if (::tcsetattr(0, TCSANOW, &raw) == 0) m_raw = true;
    }
    std::fflush(stdout);
}

AttachSession::~AttachSession() {
    if (m_raw) ::tcsetattr(0, TCSANOW, &m_savedTerm);
    if (m_signals >= 0) ::close(m_signals);
    // Signals that arrived after the container ended are dropped, not delivered to us now
    // (a SIGINT would turn the container's exit code into ours).
    timespec zero{};
    while (::sigtimedwait(&m_blocked, nullptr, &zero) > 0) {}
    ::sigprocmask(SIG_SETMASK, &m_savedMask, nullptr);
}

} // namespace berth::cli
