#include "terminalsession.h"

#include "engineclient.h"

#include "berth/containers.h"

#include <QSocketNotifier>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <termios.h>
#include <unistd.h>

namespace berth::ui {

TerminalSession::TerminalSession(QObject* parent) : QObject(parent) {}

TerminalSession::~TerminalSession() {
    if (m_running) hangUp();
    if (m_thread.joinable()) m_thread.join();
    closeFds();
}

static void setWindowSize(int fd, int rows, int cols) {
    winsize ws{};
    ws.ws_row = (unsigned short)std::max(rows, 1);
    ws.ws_col = (unsigned short)std::max(cols, 1);
    ::ioctl(fd, TIOCSWINSZ, &ws);
}

bool TerminalSession::start(EngineClient* client, const QString& id, const QStringList& command, int rows, int cols,
                            QString* error) {
    if (m_running || m_thread.joinable()) return false;
    auto failed = [&](const char* what) {
        if (error) *error = tr("%1: %2").arg(QString::fromUtf8(what), QString::fromLocal8Bit(std::strerror(errno)));
        closeFds();
        return false;
    };
    m_master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
    if (m_master < 0) return failed("posix_openpt");
    char name[128];
    if (::grantpt(m_master) != 0 || ::unlockpt(m_master) != 0 || ::ptsname_r(m_master, name, sizeof name) != 0)
        return failed("unlockpt");
    m_slave = ::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (m_slave < 0) return failed("open pty");
    // Raw: the container's own pty does the line discipline; ours only carries bytes.
    termios t{};
    if (::tcgetattr(m_slave, &t) == 0) {
        ::cfmakeraw(&t);
        ::tcsetattr(m_slave, TCSANOW, &t);
    }
    setWindowSize(m_master, rows, cols);
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return failed("pipe");
    m_signalRead = fds[0];
    m_signalWrite = fds[1];
    ::fcntl(m_signalWrite, F_SETFL, O_NONBLOCK);

    m_readNotifier = new QSocketNotifier(m_master, QSocketNotifier::Read, this);
    connect(m_readNotifier, &QSocketNotifier::activated, this, &TerminalSession::readMaster);
    m_writeNotifier = new QSocketNotifier(m_master, QSocketNotifier::Write, this);
    m_writeNotifier->setEnabled(false);
    connect(m_writeNotifier, &QSocketNotifier::activated, this, &TerminalSession::flushInput);

    ExecRequest request;
    for (const QString& arg : command) request.cmd.push_back(arg.toStdString());
    request.tty = true;
    request.interactive = true;  // no detach keys: the window never leaves a shell behind
    AttachIo io;
    io.stdinFd = io.stdoutFd = io.stderrFd = io.ttyFd = m_slave;
    io.signalFd = m_signalRead;
    m_running = true;
    m_thread = client->startSession([this, ref = id.toStdString(), request, io](Engine& engine) {
        auto code = engine.containers().exec(ref, request, io);
        const int exitCode = code ? *code : -1;
        const QString message = code ? QString() : QString::fromStdString(code.error().message());
        QMetaObject::invokeMethod(this, [this, exitCode, message] { onExecDone(exitCode, message); }, Qt::QueuedConnection);
    });
    return true;
}

void TerminalSession::readMaster() {
    QByteArray out;
    char buf[65536];
    while (true) {
        ssize_t n = ::read(m_master, buf, sizeof buf);
        if (n > 0) {
            out.append(buf, qsizetype(n));
            if (out.size() >= (1 << 20)) break;  // the rest on the next activation: keep painting
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n == 0 || (n < 0 && errno != EAGAIN)) m_readNotifier->setEnabled(false);
        break;
    }
    if (!out.isEmpty()) emit output(out);
}

void TerminalSession::write(const QByteArray& bytes) {
    if (!m_running) return;
    m_pending += bytes;
    flushInput();
}

void TerminalSession::flushInput() {
    while (!m_pending.isEmpty() && m_master >= 0) {
        ssize_t n = ::write(m_master, m_pending.constData(), size_t(m_pending.size()));
        if (n > 0) {
            m_pending.remove(0, qsizetype(n));
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno != EAGAIN) m_pending.clear();
        break;
    }
    if (m_writeNotifier) m_writeNotifier->setEnabled(!m_pending.isEmpty());
}

void TerminalSession::sendSignal(int sig) {
    if (m_signalWrite < 0) return;
    signalfd_siginfo info{};
    info.ssi_signo = uint32_t(sig);
    (void)!::write(m_signalWrite, &info, sizeof info);
}

void TerminalSession::resize(int rows, int cols) {
    if (m_master < 0) return;
    setWindowSize(m_master, rows, cols);
    sendSignal(SIGWINCH);
}

void TerminalSession::hangUp() {
    if (m_running) sendSignal(SIGHUP);
}

void TerminalSession::onExecDone(int exitCode, const QString& error) {
    m_running = false;
    if (m_thread.joinable()) m_thread.join();
    if (m_master >= 0) readMaster();  // what the shell wrote last
    closeFds();
    emit finished(exitCode, error);
}

void TerminalSession::closeFds() {
    delete m_readNotifier;
    m_readNotifier = nullptr;
    delete m_writeNotifier;
    m_writeNotifier = nullptr;
    for (int* fd : {&m_master, &m_slave, &m_signalRead, &m_signalWrite}) {
        if (*fd >= 0) ::close(*fd);
        *fd = -1;
    }
    m_pending.clear();
}

} // namespace berth::ui
