#pragma once
// Between a hijacked connection and the engine's attach/exec, which take file descriptors:
// the container's stdout and stderr arrive on pipes and leave as docker's multiplexed
// frames (stream 1 and 2), or raw with a tty; what the client sends goes into the stdin
// pipe, and the client's half-close closes it (the container sees EOF on stdin) while its
// output keeps flowing. finish() drains what the engine wrote and ends our side.
// The engine's signal input is a pipe of ours (AttachIo::signalFd): resize() sends it a
// SIGWINCH after setting the size on a pty master of ours (AttachIo::ttyFd), and the
// client's hang-up closes it, which ends an attachment (an exec runs on).

#include "exchange.h"

#include "berth/containers.h"

#include <atomic>
#include <mutex>
#include <thread>

namespace berth::dockerapi {

class StreamPump {
public:
    struct Options {
        bool tty = false;     // raw stream, one pipe for everything
        bool stdinOpen = false;
        bool stdoutOn = true;
        bool stderrOn = true;
    };
    StreamPump(RawStream& raw, Options options);
    ~StreamPump();
    StreamPump(const StreamPump&) = delete;
    StreamPump& operator=(const StreamPump&) = delete;

    // The ends the engine writes to and reads from (-1: not attached). They stay ours:
    // finish() closes them.
    int stdinFd() const { return m_stdinRead; }
    int stdoutFd() const { return m_stdoutWrite; }
    int stderrFd() const { return m_options.tty ? m_stdoutWrite : m_stderrWrite; }

    // The fds above as the engine's AttachIo.
    AttachIo io() const;

    // Starts copying both ways (and watching for the client's hang-up).
    void start();
    // The engine call has returned: no more writes to our pipes. Sends what is left, stops
    // reading the client, and closes our side of the connection.
    void finish();
    // The client went away (a write failed).
    bool clientGone() const { return m_clientGone; }
    // POST /containers/{id}/resize, /exec/{id}/resize: the tty's new size (a no-op without
    // a tty, or once the client is gone).
    void resize(unsigned short rows, unsigned short cols);

private:
    void pumpOutput();
    void pumpInput();

    RawStream& m_raw;
    Options m_options;
    int m_stdinRead = -1, m_stdinWrite = -1;
    int m_stdoutRead = -1, m_stdoutWrite = -1;
    int m_stderrRead = -1, m_stderrWrite = -1;
    int m_cancel = -1;  // eventfd: stop reading the client
    std::mutex m_controlMutex;             // guards m_controlWrite (resize vs. hang-up)
    int m_controlRead = -1, m_controlWrite = -1;  // signalfd_siginfo records for the engine
    int m_ttyMaster = -1;                  // with a tty: a pty whose size the engine copies
    void markGone();
    void closeControl();
    std::thread m_output, m_input;
    std::atomic<bool> m_clientGone{false};
    bool m_finished = false;
};

} // namespace berth::dockerapi
