#pragma once
// TerminalSession: one interactive shell in a running container, `berth exec -it` for the
// window. A pseudo-terminal of ours stands in for the user's terminal: its slave end is the
// exec's stdin and stdout (raw, so bytes pass through untouched), its master is read by a
// QSocketNotifier on the GUI thread and written with what the user types. The exec itself
// blocks, so it runs on a thread of its own (EngineClient::startSession); the GUI never
// waits on it. A resize sets the master's window size and tells the exec (a SIGWINCH record
// in the pipe given as AttachIo::signalFd); closing sends SIGHUP the same way, which hangs
// the container's pty up and ends the shell.

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QStringList>

#include <atomic>
#include <thread>

class QSocketNotifier;

namespace berth::ui {

class EngineClient;

class TerminalSession : public QObject {
    Q_OBJECT
public:
    explicit TerminalSession(QObject* parent = nullptr);
    // Hangs the shell up and waits for the exec to return (it does at once after SIGHUP).
    ~TerminalSession() override;

    // Starts `command` in container `id` with a tty of rows x cols; false (and `error` set)
    // when no pseudo-terminal could be made. Failures of the exec arrive as finished().
    bool start(EngineClient* client, const QString& id, const QStringList& command, int rows, int cols, QString* error);
    bool isRunning() const { return m_running; }
    void write(const QByteArray& bytes);
    void resize(int rows, int cols);
    // Ends the shell (SIGHUP through its pty); finished() follows.
    void hangUp();

signals:
    void output(const QByteArray& bytes);
    // The exec returned: the shell's exit code, or `error` when it could not run.
    void finished(int exitCode, const QString& error);

private:
    void readMaster();
    void flushInput();
    void sendSignal(int sig);
    void onExecDone(int exitCode, const QString& error);
    void closeFds();

    int m_master = -1, m_slave = -1;
    int m_signalRead = -1, m_signalWrite = -1;  // a pipe standing in for a signalfd
    QSocketNotifier* m_readNotifier = nullptr;
    QSocketNotifier* m_writeNotifier = nullptr;
    QByteArray m_pending;  // typed, not yet taken by the pty
    std::thread m_thread;
    bool m_running = false;
};

} // namespace berth::ui
