// Starting, stopping and signalling containers: the service's side of the monitor.
#include "container/container_service.h"

#include "berth/signals.h"

#include "cgroup/migration_warmup.h"
#include "container/monitor_protocol.h"
#include "container/monitor_settings.h"
#include "sys/spawn.h"
#include "container/service_impl.h"
#include "sys/fs.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <thread>

namespace berth::container {

namespace fs = std::filesystem;

sys::UniqueFd openPidFd(pid_t pid) {
    if (pid <= 0) return {};
    return sys::UniqueFd(int(::syscall(SYS_pidfd_open, pid, 0)));
}

bool waitPidFd(const sys::UniqueFd& fd, int timeoutMs) {
    if (!fd) return true;
    pollfd p{fd.get(), POLLIN, 0};
    int r;
    do r = ::poll(&p, 1, timeoutMs);
    while (r < 0 && errno == EINTR);
    return r > 0;
}

bool monitorAlive(pid_t pid, std::string_view id) {
    if (pid <= 0) return false;
    auto cmdline = sys::readFile("/proc/" + std::to_string(pid) + "/cmdline", 1 << 16);
    if (!cmdline) return false;
    return cmdline->find(id) != std::string::npos;
}

void reconcileState(ContainerRecord& rec) {
    auto& st = rec.state;
    bool active = st.status == Status::Running || st.status == Status::Paused ||
                  st.status == Status::Restarting;
    if (active && !monitorAlive(st.monitorPid, rec.config.id)) {
        // The monitor is gone without writing the end (killed, or the machine rebooted).
        st.status = Status::Dead;
        st.pid = 0;
    }
}

int signalNumber(std::string_view name) {
    std::string n(name);
    for (auto& ch : n) ch = char(std::toupper(ch));
    if (n.rfind("SIG", 0) == 0) n.erase(0, 3);
    if (!n.empty() && std::isdigit(static_cast<unsigned char>(n[0]))) {
        int v = std::atoi(n.c_str());
        return v > 0 && v < 65 ? v : -1;
    }
    static const std::pair<const char*, int> table[] = {
        {"HUP", SIGHUP},   {"INT", SIGINT},     {"QUIT", SIGQUIT},   {"ILL", SIGILL},
        {"TRAP", SIGTRAP}, {"ABRT", SIGABRT},   {"BUS", SIGBUS},     {"FPE", SIGFPE},
        {"KILL", SIGKILL}, {"USR1", SIGUSR1},   {"SEGV", SIGSEGV},   {"USR2", SIGUSR2},
        {"PIPE", SIGPIPE}, {"ALRM", SIGALRM},   {"TERM", SIGTERM},   {"STKFLT", SIGSTKFLT},
        {"CHLD", SIGCHLD}, {"CONT", SIGCONT},   {"STOP", SIGSTOP},   {"TSTP", SIGTSTP},
        {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU},   {"URG", SIGURG},     {"XCPU", SIGXCPU},
        {"XFSZ", SIGXFSZ}, {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF}, {"WINCH", SIGWINCH},
        {"IO", SIGIO},     {"PWR", SIGPWR},     {"SYS", SIGSYS}};
    for (auto& [k, v] : table)
        if (n == k) return v;
    return -1;
}

} // namespace berth::container

namespace berth {

Result<int> parseSignal(std::string_view name) {
    int n = container::signalNumber(name);
    if (n <= 0) return fail(Errc::InvalidArgument, "invalid signal: " + std::string(name));
    return n;
}

} // namespace berth

namespace berth::container {

void ContainerService::setStartHooks(StartHooks hooks) { m_impl->startHooks = std::move(hooks); }

void ContainerService::prepareToStart() { cgroup::warmUpMigration(); }

Result<sys::UniqueFd> ContainerService::Impl::startMonitor(const ContainerRecord& rec, const std::string& initialSize) {
    // The network is prepared first (a host port in use fails here, before anything runs)
    // and given back if the monitor then fails to start the container.
    if (startHooks.prepare) BERTH_TRYV(startHooks.prepare(rec));
    auto started = startMonitorProcess(rec, initialSize);
    if (!started && startHooks.undo) startHooks.undo(rec);
    return started;
}

Result<sys::UniqueFd> ContainerService::Impl::startMonitorProcess(const ContainerRecord& rec, const std::string& initialSize) {
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
        return failErrno("socketpair for the monitor");
    sys::UniqueFd ours(sv[0]), theirs(sv[1]);
    // The engine's settings first: the monitor does not resolve its own.
    BERTH_TRYV(sendSettings(ours.get(), store.layout().settings));
    if (!initialSize.empty()) BERTH_TRYV(protocol::send(ours.get(), protocol::Msg::Resize, initialSize));

    // Everything the child needs is prepared before fork: a threaded caller (the GUI) may
    // only make async-signal-safe calls in the child.
    std::string program = ContainerService::monitorProgram(store.layout().settings);
    // --root names the store for ps/pgrep (tests and the soak script find a store's monitors
    // by it); the monitor checks it against the settings it receives.
    std::vector<std::string> args{program, "--root", store.layout().root.string(), "--id", rec.config.id,
                                  "--sync-fd", "3"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    int devnull = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    if (devnull < 0) return failErrno("open /dev/null");
    sys::UniqueFd devnullFd(devnull);
    // The monitor's own failures (its stderr) go to the container's monitor.log, which
    // `berth inspect` shows; started afresh once it grew past 256 KiB.
    sys::UniqueFd monitorLog(::open((rec.dir / "monitor.log").c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
    if (!monitorLog) return failErrno("open " + (rec.dir / "monitor.log").string());
    struct stat logSize {};
    if (::fstat(monitorLog.get(), &logSize) == 0 && logSize.st_size > (256 << 10)) (void)!::ftruncate(monitorLog.get(), 0);
    int logFd = monitorLog.get();
    int theirFd = theirs.get();

    // Double fork: the monitor is re-parented away from us (no zombie in a long-lived GUI)
    // and leads its own session (a terminal's hang-up never reaches it).
    pid_t child = ::fork();
    if (child < 0) return failErrno("fork the monitor");
    if (child == 0) {
        ::setsid();
        pid_t grandchild = ::fork();
        if (grandchild != 0) ::_exit(grandchild < 0 ? 1 : 0);
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        for (int s = 1; s < 32; ++s)
            if (s != SIGKILL && s != SIGSTOP) ::signal(s, SIG_DFL);
        ::dup2(devnull, 0);
        ::dup2(devnull, 1);
        ::dup2(logFd, 2);
        ::dup2(theirFd, 3);  // dup2 clears close-on-exec on the copy
        ::syscall(SYS_close_range, 4, ~0U, 0);
        ::execv(argv[0], argv.data());
        ::execvp(argv[0], argv.data());
        ::_exit(127);
    }
    theirs.reset();
    if (sys::waitForExit(child, -1) != 0) return fail(Errc::System, "could not fork the monitor");

    auto first = protocol::receive(ours.get());
    if (!first)
        return fail(Errc::Internal, "the monitor (" + program + ") exited before starting the container: "
                                    "is berth-monitor installed? set BERTH_MONITOR");
    if (first->first == protocol::Msg::Failed) {
        int code = 125;
        return fail(protocol::decodeFailure(first->second, code));
    }
    if (first->first != protocol::Msg::Started)
        return fail(Errc::Internal, "unexpected first message from the monitor");
    return ours;
}

VoidResult ContainerService::start(std::string_view ref) {
    auto rec = BERTH_TRY(m_impl->find(ref));
    auto st = rec.state.status;
    if (st == Status::Running || st == Status::Restarting)
        return fail(Errc::NotModified, "container " + rec.config.name + " is already running");
    if (st == Status::Paused)
        return fail(Errc::Conflict, "cannot start a paused container, try unpause instead");
    auto fd = BERTH_TRY(m_impl->startMonitor(rec));
    return {};
}

Result<int> ContainerService::startAttached(std::string_view ref, const AttachIo& io) {
    auto rec = BERTH_TRY(m_impl->find(ref));
    auto st = rec.state.status;
    if (st == Status::Running || st == Status::Restarting || st == Status::Paused)
        return fail(Errc::Conflict, "container " + rec.config.name + " is already running");
    bool tty = rec.config.options.tty;
    auto fd = BERTH_TRY(m_impl->startMonitor(rec, tty ? terminalSize(io.ttyFd) : std::string()));
    return attachPump(fd.get(), io, rec.config.options.interactive, tty, true);
}

VoidResult ContainerService::Impl::stopRunning(const ContainerRecord& rec, int signal, int timeoutSeconds) {
    auto& st = rec.state;
    auto monitor = openPidFd(st.monitorPid);
    if (!monitor || !monitorAlive(st.monitorPid, rec.config.id)) return {};
    // First tell the monitor this exit is wanted (no restart), then signal the init. The
    // journal says so before the death it causes (docker's "kill" with the signal), so a
    // follower (the desktop's notifications) can tell a requested stop from a crash.
    ::kill(st.monitorPid, SIGUSR1);
    if (st.status == Status::Paused) {
        if (auto cg = cgroupFor(rec.config.id)) (void)(*cg)->freeze(false);
    }
    if (st.pid > 0 && st.status != Status::Restarting) {
        event(rec.config, "kill", {{"signal", std::to_string(signal)}});
        ::kill(st.pid, signal);
    }
    if (waitPidFd(monitor, signal == SIGKILL ? 30000 : timeoutSeconds * 1000)) return {};
    // Still running after the grace period: kill it (the monitor state may have a newer
    // pid if it restarted meanwhile).
    auto now = store.loadState(rec.config.id);
    pid_t pid = now ? now->pid : st.pid;
    if (pid > 0) {
        event(rec.config, "kill", {{"signal", std::to_string(SIGKILL)}});
        ::kill(pid, SIGKILL);
    }
    if (!waitPidFd(monitor, 30000))
        return fail(Errc::Timeout, "container " + rec.config.name + " did not stop after SIGKILL");
    return {};
}

VoidResult ContainerService::stop(std::string_view ref, int timeoutSeconds) {
    auto rec = BERTH_TRY(m_impl->find(ref));
    auto st = rec.state.status;
    if (st != Status::Running && st != Status::Paused && st != Status::Restarting)
        return fail(Errc::NotModified, "container " + rec.config.name + " is not running");
    int sig = signalNumber(rec.config.stopSignal);
    if (sig < 0) sig = SIGTERM;
    if (timeoutSeconds < 0) timeoutSeconds = rec.config.options.stopTimeout.value_or(10);
    // --stop-timeout -1: no limit (a day); `stop -t` past a day waits a day too (in ms it
    // would overflow an int).
    if (timeoutSeconds < 0 || timeoutSeconds > 24 * 3600) timeoutSeconds = 24 * 3600;
    BERTH_TRYV(m_impl->stopRunning(rec, timeoutSeconds == 0 ? SIGKILL : sig, timeoutSeconds));
    m_impl->event(rec.config, "stop");  // after the die, as docker orders them
    return {};
}

VoidResult ContainerService::restart(std::string_view ref, int timeoutSeconds) {
    if (auto stopped = stop(ref, timeoutSeconds); !stopped && stopped.error().code() != Errc::NotModified)
        return stopped;
    return start(ref);
}

VoidResult ContainerService::kill(std::string_view ref, int signal) {
    auto rec = BERTH_TRY(m_impl->find(ref));
    if (rec.state.status != Status::Running && rec.state.status != Status::Paused)
        return fail(Errc::Conflict, "cannot kill container " + rec.config.name + ": container is not running");
    if (signal <= 0 || signal > 64) return fail(Errc::InvalidArgument, "invalid signal " + std::to_string(signal));
    // Journaled before the signal: a death it causes comes after it in the journal.
    m_impl->event(rec.config, "kill", {{"signal", std::to_string(signal)}});
    if (::kill(rec.state.pid, signal) < 0) return failErrno("kill container " + rec.config.name);
    if (rec.state.status == Status::Paused && signal == SIGKILL)
        if (auto cg = m_impl->cgroupFor(rec.config.id)) (void)(*cg)->freeze(false);
    if (signal == SIGKILL) {
        // Return once it is gone, as docker does for KILL.
        auto monitor = openPidFd(rec.state.monitorPid);
        (void)monitor;
    }
    return {};
}

VoidResult ContainerService::pause(std::string_view ref) {
    auto rec = BERTH_TRY(m_impl->find(ref));
    if (rec.state.status == Status::Paused)
        return fail(Errc::Conflict, "container " + rec.config.name + " is already paused");
    if (rec.state.status != Status::Running)
        return fail(Errc::Conflict, "container " + rec.config.name + " is not running");
    auto cg = BERTH_TRY(m_impl->cgroupFor(rec.config.id));
    BERTH_TRYV_CTX(cg->freeze(true), "pause " + rec.config.name);
    BERTH_TRYV(m_impl->store.updateState(rec.config.id, [](ContainerState& s) {
        if (s.status == Status::Running) s.status = Status::Paused;
    }));
    m_impl->event(rec.config, "pause");
    return {};
}

VoidResult ContainerService::unpause(std::string_view ref) {
    auto rec = BERTH_TRY(m_impl->find(ref));
    if (rec.state.status != Status::Paused)
        return fail(Errc::Conflict, "container " + rec.config.name + " is not paused");
    auto cg = BERTH_TRY(m_impl->cgroupFor(rec.config.id));
    BERTH_TRYV_CTX(cg->freeze(false), "unpause " + rec.config.name);
    BERTH_TRYV(m_impl->store.updateState(rec.config.id, [](ContainerState& s) {
        if (s.status == Status::Paused) s.status = Status::Running;
    }));
    m_impl->event(rec.config, "unpause");
    return {};
}

Result<int> ContainerService::wait(std::string_view ref, std::stop_token stop) const {
    auto id = BERTH_TRY(m_impl->store.resolve(ref));
    sys::UniqueFd ino(::inotify_init1(IN_CLOEXEC | IN_NONBLOCK));
    if (!ino) return failErrno("inotify_init1");
    auto dir = m_impl->store.dir(id);
    if (::inotify_add_watch(ino.get(), dir.c_str(), IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF) < 0)
        return failErrno("watch " + dir.string());
    bool sawRunning = false;
    while (!stop.stop_requested()) {
        auto rec = m_impl->store.load(id);
        if (!rec) return fail(Errc::NotFound, "no such container: " + std::string(ref));
        reconcileState(*rec);
        auto s = rec->state.status;
        bool active = s == Status::Running || s == Status::Paused || s == Status::Restarting;
        if (!active) return rec->state.exitCode;
        sawRunning = true;
        // Wake on a state change, on the monitor's exit, or once a second for `stop`.
        auto mon = openPidFd(rec->state.monitorPid);
        pollfd fds[2] = {{ino.get(), POLLIN, 0}, {mon ? mon.get() : -1, POLLIN, 0}};
        int r = ::poll(fds, 2, 1000);
        if (r > 0 && fds[0].revents) {
            char buf[4096];
            while (::read(ino.get(), buf, sizeof buf) > 0) {}
        }
    }
    (void)sawRunning;
    return fail(Errc::Cancelled, "wait cancelled");
}

} // namespace berth::container
