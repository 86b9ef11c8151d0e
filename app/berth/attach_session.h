#pragma once
// What an attached CLI (run without -d, start -a, attach) sets up around the engine's
// copying loop: raw terminal for -it, a signalfd carrying SIGWINCH (with -t) and, with
// docker's --sig-proxy, SIGINT/TERM/HUP/QUIT/USR1/USR2 for the container's init, and the
// detach keys (ctrl-p ctrl-q for a tty). Everything is undone by the destructor.

#include "berth/containers.h"

#include <signal.h>
#include <string>
#include <termios.h>

namespace berth::cli {

struct AttachSettings {
    bool stdinAttached = false;  // forward our stdin (-i / not --no-stdin)
    bool tty = false;            // the container has a pty (-t)
    bool sigProxy = true;
    std::string detachKeys = "\x10\x11";  // bytes (detachKeyBytes); docker's ctrl-p ctrl-q
};

// The bytes of a --detach-keys spec ("" = docker's default); a bad spec throws CliError
// with exit code 125, before anything is created or started.
std::string detachKeyBytes(const std::string& spec);

class AttachSession {
public:
    explicit AttachSession(const AttachSettings& s);
    ~AttachSession();
    AttachSession(const AttachSession&) = delete;
    AttachSession& operator=(const AttachSession&) = delete;

    const AttachIo& io() const { return m_io; }

private:
    AttachIo m_io;
    int m_signals = -1;  // the signalfd, closed by the destructor
    sigset_t m_blocked{};
    sigset_t m_savedMask{};
    termios m_savedTerm{};
    bool m_raw = false;
};

} // namespace berth::cli
