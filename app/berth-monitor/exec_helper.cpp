// The exec helper: joins a running container and runs one process there. Our stdio is
// the caller's (set up by ContainerService::exec); fd `syncFd` reports start or failure.
#include "monitor.h"

#include "container/detach_keys.h"
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

static int waitExit(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) return 126;
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return 126;
}

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
// until the detach keys (then 0, after telling the caller so on `sync`).
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
    while (true) {
        pollfd fds[3] = {{master, POLLIN, 0}, {inOpen ? 0 : -1, POLLIN, 0}, {resized ? resized.get() : -1, POLLIN, 0}};
        int r = ::poll(fds, 3, -1);
        if (r < 0) {
            if (errno == EINTR) continue;
            break;
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

// Docker's sig-proxy for exec without a tty: the caller (our parent) passes on what it
// receives; we send that to the process. The terminal's own signals (Ctrl-C reaches our
// whole process group, us too) are not forwarded twice: only those our parent sent count.
static const int kProxied[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2};

static int waitProxyingSignals(pid_t pid, int signals) {
    sys::UniqueFd process(int(::syscall(SYS_pidfd_open, pid, 0)));
    pid_t parent = ::getppid();
    while (process) {
        pollfd fds[2] = {{process.get(), POLLIN, 0}, {signals, POLLIN, 0}};
        int r = ::poll(fds, 2, -1);
        if (r < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (fds[1].revents) {
            signalfd_siginfo info[8];
            ssize_t n = ::read(signals, info, sizeof info);
            // Not reaped yet (we wait below), so `pid` is still the process.
            for (ssize_t i = 0; n > 0 && i < n / ssize_t(sizeof info[0]); ++i)
                if (pid_t(info[i].ssi_pid) == parent) ::kill(pid, int(info[i].ssi_signo));
        }
        if (fds[0].revents) break;
    }
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
    auto spec = container::buildSpec(rec->config, rec->dir);
    if (!spec) return failWith(spec.error(), 126);
    bool tty = j.value("tty", false), interactive = j.value("interactive", false);
    bool detach = j.value("detach", false);
    std::string cwd = j.value("workingDir", "");
    auto proc = container::buildProcess(rec->config, rec->dir, j.value("cmd", std::vector<std::string>{}),
                                        j.value("env", std::vector<std::string>{}),
                                        j.value("user", "").empty() ? rec->config.user : j.value("user", ""),
                                        cwd.empty() ? rec->config.workingDir : cwd, tty, j.value("privileged", false));
    if (!proc) return failWith(proc.error(), 126);
    auto cg = cgroup::openHostManager(spec->cgroupPath);
    if (!cg) return failWith(cg.error(), 126);

    runtime::Stdio stdio{0, 1, 2};
    sys::UniqueFd master, slave;
    if (tty) {
        master.reset(::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC));
        char name[128];
        if (!master || ::grantpt(master.get()) < 0 || ::unlockpt(master.get()) < 0 ||
            ::ptsname_r(master.get(), name, sizeof name) != 0)
            return failWith(Error::fromErrno("allocate a pseudo-terminal"), 126);
        slave.reset(::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC));
        if (!slave) return failWith(Error::fromErrno("open pty"), 126);
        copyWindowSize(master.get());  // before the process starts
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
    if (detach) {
        int devnull = ::open("/dev/null", O_RDWR | O_CLOEXEC);
        stdio = {devnull, devnull, devnull};
    }
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
    if (proxied) return waitProxyingSignals(launched->pid, proxied.get());
    return waitExit(launched->pid);
}

} // namespace berth::monitor
