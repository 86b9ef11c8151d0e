// The exec helper: joins a running container and runs one process there. Our stdio is
// the caller's (set up by ContainerService::exec); the process's is a pty or pipes of ours
// that we copy to and from it. Fd `syncFd` reports start or failure.
#include "monitor.h"

#include "container/detach_keys.h"
#include "sys/spawn.h"
#include "container/monitor_protocol.h"
#include "container/spec_builder.h"
#include "runtime/launcher.h"
#include "sys/fs.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

namespace berth::monitor {

namespace protocol = container::protocol;

static int waitExit(pid_t pid) { return sys::waitForExit(pid, 126); }

// Our terminal's size onto the pty: we share the CLI's process group, so a resize of the
// user's terminal sends SIGWINCH to us as well.
static void copyWindowSize(int master) {
    winsize ws{};
    for (int fd : {0, 1})
        if (::ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0) {
            ::ioctl(master, TIOCSWINSZ, &ws);
            return;
        }
}

// After the detach keys: the process runs on with its pty, so a child of ours keeps the
// master open (closing it would hang the process up) and drains it until the process's
// side closes. It leaves the caller's terminal and streams alone.
static void keepPtyInBackground(int master) {
    pid_t keeper = ::fork();
    if (keeper != 0) return;
    ::setsid();
    int devnull = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    for (int fd = 0; fd < 3; ++fd) ::dup2(devnull, fd);
    // Nothing else of ours: the caller's socket must see its end when we exit.
    if (master > 3) ::syscall(SYS_close_range, 3, master - 1, 0);
    ::syscall(SYS_close_range, master + 1, ~0U, 0);
    char buf[32768];
    while (true) {
        ssize_t n = ::read(master, buf, sizeof buf);
        if (n > 0 || (n < 0 && errno == EINTR)) continue;
        ::_exit(0);
    }
}

// Copies our stdin to the pty and the pty to our stdout until the process is done, or
// until the detach keys (then 0, after telling the caller so on `sync`). The pty's size
// follows our terminal (SIGWINCH) or the caller's Resize messages on `sync` (the Docker
// API's POST /exec/{id}/resize, where our stdio are pipes).
static int pumpPty(int master, pid_t pid, bool interactive, const std::string& detachKeys, int sync) {
    char buf[32768];
    bool inOpen = interactive;
    container::DetachScanner detach(interactive ? detachKeys : std::string());
    std::string forward;
    // SIGWINCH is blocked only now: the process started with our (empty) mask.
    sigset_t winch;
    sigemptyset(&winch);
    sigaddset(&winch, SIGWINCH);
    ::sigprocmask(SIG_BLOCK, &winch, nullptr);
    sys::UniqueFd resized(::signalfd(-1, &winch, SFD_CLOEXEC | SFD_NONBLOCK));
    copyWindowSize(master);  // a resize between the start and the line above
    bool syncOpen = true;
    while (true) {
        pollfd fds[4] = {{master, POLLIN, 0},
                         {inOpen ? 0 : -1, POLLIN, 0},
                         {resized ? resized.get() : -1, POLLIN, 0},
                         {syncOpen ? sync : -1, POLLIN, 0}};
        int r = ::poll(fds, 4, -1);
        if (r < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (fds[3].revents) {
            auto msg = protocol::receive(sync);
            winsize ws{};
            if (!msg) syncOpen = false;  // the caller is gone: the process runs on
            else if (msg->first == protocol::Msg::Resize && protocol::decodeWindowSize(msg->second, ws.ws_row, ws.ws_col))
                ::ioctl(master, TIOCSWINSZ, &ws);
        }
        if (fds[2].revents) {
            signalfd_siginfo info[4];
            while (::read(resized.get(), info, sizeof info) > 0) {}
            copyWindowSize(master);
        }
        if (fds[1].revents) {
            ssize_t n = ::read(0, buf, sizeof buf);
            if (n > 0) {
                forward.clear();
                bool detached = detach.feed(std::string_view(buf, size_t(n)), forward);
                if (!forward.empty()) (void)sys::writeAll(sys::BorrowedFd(master), forward);
                if (detached) {
                    keepPtyInBackground(master);
                    (void)protocol::send(sync, protocol::Msg::Detached);
                    return 0;
                }
            } else {
                inOpen = false;
            }
        }
        if (fds[0].revents) {
            ssize_t n = ::read(master, buf, sizeof buf);
            if (n <= 0) break;
            (void)sys::writeAll(sys::BorrowedFd(1), std::string_view(buf, size_t(n)));
        }
    }
    return waitExit(pid);
}

// Without a tty the process's stdio are pipes of ours, never the caller's fds: a terminal
// handed in would let the process push input into the caller's shell (TIOCSTI), read it
// or change its settings; a socket or file would be the host's. We copy between them.
struct Pipes {
    sys::UniqueFd childIn, childOut, childErr;  // the process's ends (closed once it runs)
    sys::UniqueFd in, out, err;                 // ours: write to its stdin, read its output
};

static Result<Pipes> makePipes(bool interactive) {
    Pipes p;
    int fds[2];
    if (interactive) {
        if (::pipe2(fds, O_CLOEXEC) < 0) return failErrno("pipe for the process's stdin");
        p.childIn.reset(fds[0]);
        p.in.reset(fds[1]);
        // Non-blocking: a process that does not read its input must not stop its output.
        ::fcntl(p.in.get(), F_SETFL, O_NONBLOCK);
    }
    if (::pipe2(fds, O_CLOEXEC) < 0) return failErrno("pipe for the process's stdout");
    p.out.reset(fds[0]);
    p.childOut.reset(fds[1]);
    if (::pipe2(fds, O_CLOEXEC) < 0) return failErrno("pipe for the process's stderr");
    p.err.reset(fds[0]);
    p.childErr.reset(fds[1]);
    return p;
}

// One read from `from` copied to `to`; false at its end, or when `to` is gone (then the
// process sees its pipe closed, as it would have seen the caller's).
static bool copyOnce(int from, int to) {
    char buf[32768];
    ssize_t n = ::read(from, buf, sizeof buf);
    if (n < 0) return errno == EINTR;
    if (n == 0) return false;
    return bool(sys::writeAll(sys::BorrowedFd(to), std::string_view(buf, size_t(n))));
}

// What the process wrote before it exited (all of it is in the pipe by then), without
// waiting for a background child of its that still holds the pipe: what is there now,
// bounded, so a child that keeps writing cannot keep us.
static void drain(sys::UniqueFd& from, int to) {
    if (!from) return;
    ::fcntl(from.get(), F_SETFL, O_NONBLOCK);
    for (int reads = 0; reads < 64 && copyOnce(from.get(), to); ++reads) {
    }
    from.reset();
}

// Docker's sig-proxy for exec without a tty: the caller (our parent) passes on what it
// receives; we send that to the process. The terminal's own signals (Ctrl-C reaches our
// whole process group, us too) are not forwarded twice: only those our parent sent count.
static const int kProxied[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2};

static void proxySignals(int signals, pid_t pid, pid_t parent) {
    signalfd_siginfo info[8];
    ssize_t n = ::read(signals, info, sizeof info);
    // Not reaped yet (we wait at the end), so `pid` is still the process.
    for (ssize_t i = 0; n > 0 && i < n / ssize_t(sizeof info[0]); ++i)
        if (pid_t(info[i].ssi_pid) == parent) ::kill(pid, int(info[i].ssi_signo));
}

// Copies our stdin into the process's and its stdout and stderr to ours, proxying
// signals (`signals`, or -1), until the process exits.
static int pumpPipes(Pipes& p, pid_t pid, int signals) {
    ::signal(SIGPIPE, SIG_IGN);  // a closed reader is an error from write, not our death
    sys::UniqueFd process(int(::syscall(SYS_pidfd_open, pid, 0)));
    pid_t parent = ::getppid();
    bool inOpen = bool(p.in);
    std::string pending;  // read from our stdin, not yet taken by the process
    while (process) {
        pollfd fds[6] = {{process.get(), POLLIN, 0},
                         {signals, POLLIN, 0},
                         {inOpen && pending.empty() ? 0 : -1, POLLIN, 0},
                         {p.in && !pending.empty() ? p.in.get() : -1, POLLOUT, 0},
                         {p.out ? p.out.get() : -1, POLLIN, 0},
                         {p.err ? p.err.get() : -1, POLLIN, 0}};
        if (::poll(fds, 6, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (fds[1].revents) proxySignals(signals, pid, parent);
        if (fds[2].revents) {
            char buf[32768];
            ssize_t n = ::read(0, buf, sizeof buf);
            if (n > 0) pending.assign(buf, size_t(n));
            else if (n == 0 || errno != EINTR) inOpen = false;
        }
        if (fds[3].revents) {
            ssize_t n = ::write(p.in.get(), pending.data(), pending.size());
            if (n > 0) pending.erase(0, size_t(n));
            else if (n < 0 && errno != EAGAIN && errno != EINTR) {
                pending.clear();  // the process closed its stdin
                inOpen = false;
            }
        }
        if (p.in && !inOpen && pending.empty()) p.in.reset();  // the process sees its end of input
        if (fds[4].revents && !copyOnce(p.out.get(), 1)) p.out.reset();
        if (fds[5].revents && !copyOnce(p.err.get(), 2)) p.err.reset();
        if (fds[0].revents) break;
    }
    drain(p.out, 1);
    drain(p.err, 2);
    return waitExit(pid);
}

int runExec(const store::StoreLayout& layout, const std::string& id, int syncFd, const std::string& json) {
    sys::UniqueFd sync(syncFd);
    auto failWith = [&](const Error& e, int code) {
        (void)protocol::send(sync.get(), protocol::Msg::Failed, protocol::encodeFailure(e, code));
        return code;
    };
    auto j = nlohmann::json::parse(json, nullptr, false);
    if (j.is_discarded()) return failWith(Error(Errc::InvalidArgument, "bad exec request"), 126);
    container::ContainerStore store(layout);
    auto rec = store.load(id);
    if (!rec) return failWith(rec.error(), 126);
    if (rec->state.status != container::Status::Running)
        return failWith(Error(Errc::Conflict, "container " + rec->config.name + " is not running"), 126);
    auto spec = container::buildSpec(rec->config, rec->dir, layout.settings);
    if (!spec) return failWith(spec.error(), 126);
    bool tty = j.value("tty", false), interactive = j.value("interactive", false);
    bool detach = j.value("detach", false);
    std::string cwd = j.value("workingDir", "");
    auto proc = container::buildProcess(rec->config, rec->dir, j.value("cmd", std::vector<std::string>{}),
                                        j.value("env", std::vector<std::string>{}),
                                        j.value("user", "").empty() ? rec->config.user : j.value("user", ""),
                                        cwd.empty() ? rec->config.workingDir : cwd, tty, j.value("privileged", false));
    if (!proc) return failWith(proc.error(), 126);
    auto cg = cgroup::openHostManager(spec->cgroupPath, layout.settings);
    if (!cg) return failWith(cg.error(), 126);

    runtime::Stdio stdio;
    sys::UniqueFd master, slave;
    Pipes pipes;
    if (tty) {
        master.reset(::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC));
        char name[128];
        if (!master || ::grantpt(master.get()) < 0 || ::unlockpt(master.get()) < 0 ||
            ::ptsname_r(master.get(), name, sizeof name) != 0)
            return failWith(Error::fromErrno("allocate a pseudo-terminal"), 126);
        slave.reset(::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC));
        if (!slave) return failWith(Error::fromErrno("open pty"), 126);
        copyWindowSize(master.get());  // before the process starts
        // The caller's size when our stdio are not its terminal (the Docker API's ConsoleSize).
        winsize ws{};
        if (protocol::decodeWindowSize(j.value("windowSize", ""), ws.ws_row, ws.ws_col))
            ::ioctl(master.get(), TIOCSWINSZ, &ws);
        stdio = {slave.get(), slave.get(), slave.get()};
    }
    // Without a tty the proxied signals are read from a signalfd; the process itself starts
    // with an empty mask (the exec recipe resets it).
    sys::UniqueFd proxied;
    if (!tty && !detach) {
        sigset_t set;
        sigemptyset(&set);
        for (int sig : kProxied) sigaddset(&set, sig);
        ::sigprocmask(SIG_BLOCK, &set, nullptr);
        proxied.reset(::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK));
    }
    if (!tty && !detach) {
        auto made = makePipes(interactive);
        if (!made) return failWith(made.error(), 126);
        pipes = std::move(*made);
        stdio = {pipes.childIn ? pipes.childIn.get() : -1, pipes.childOut.get(), pipes.childErr.get()};
    }
    // Detached: every stream is /dev/null (execIn opens the host's).
    auto launched = runtime::execIn(rec->state.pid, *spec, *proc, stdio,
                                    [&](pid_t pid) { return (*cg)->addProcess(pid); });
    if (!launched) return failWith(launched.error(), runtime::exitCodeForLaunchError(launched.error()));
    (void)protocol::send(sync.get(), protocol::Msg::Started, std::to_string(launched->pid));
    if (detach) return 0;
    if (tty) {
        // The socket stays open: it carries Detached when the user types the detach keys.
        slave.reset();
        return pumpPty(master.get(), launched->pid, interactive, j.value("detachKeys", ""), sync.get());
    }
    sync.reset();
    pipes.childIn.reset();
    pipes.childOut.reset();
    pipes.childErr.reset();
    return pumpPipes(pipes, launched->pid, proxied ? proxied.get() : -1);
}

} // namespace berth::monitor
