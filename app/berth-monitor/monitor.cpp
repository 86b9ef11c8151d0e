#include "monitor.h"
#include "resident_pages.h"
#include "sys/spawn.h"

#include "container/lifecycle.h"
#include "container/monitor_protocol.h"
#include "network/endpoint_wiring.h"
#include "container/spec_builder.h"
#include "runtime/launcher.h"
#include "sys/fs.h"
#include "sys/scope_guard.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <malloc.h>
#include <cstring>

namespace berth::monitor {

using container::Status;
namespace protocol = container::protocol;

namespace {

// The monitor's own failures, one line each on its stderr: the container's monitor.log
// (ContainerService starts the monitor with it), whose last lines `berth inspect` shows.
template <class R>
void logged(std::string_view what, const R& result) {
    if (result) return;
    std::fprintf(stderr, "%s berth-monitor: %.*s: %s\n", container::formatTimeNano(container::nowNano()).c_str(),
                 int(what.size()), what.data(), result.error().message().c_str());
    std::fflush(stderr);
}

volatile sig_atomic_t g_stopRequested = 0;

void onSignal(int sig) {
    if (sig == SIGUSR1) g_stopRequested = 1;
}

const int kSignals[] = {SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGQUIT, SIGPIPE};

sigset_t handledSet() {
    sigset_t set;
    sigemptyset(&set);
    for (int s : kSignals) sigaddset(&set, s);
    return set;
}

} // namespace

Monitor::Monitor(store::StoreLayout layout, std::string id, int syncFd)
    : m_layout(layout), m_store(layout), m_id(std::move(id)), m_client(syncFd) {}

void Monitor::sendClient(char type, std::string_view payload) {
    if (m_client && !protocol::send(m_client.get(), protocol::Msg(type), payload)) m_client.reset();
    for (auto& c : m_attached)
        if (c && !protocol::send(c.get(), protocol::Msg(type), payload)) c.reset();
}

void Monitor::acceptClients() {
    while (true) {
        sys::UniqueFd c(::accept4(m_listen.get(), nullptr, nullptr, SOCK_CLOEXEC));
        if (!c) return;
        // Blocking, like the starter's socket: a slow reader slows the output down
        // rather than losing it.
        for (auto& slot : m_attached)
            if (!slot) {
                slot = std::move(c);
                break;
            }
        // More than kMaxAttached at once: the extra one is closed (it sees end of stream).
    }
}

void Monitor::resizePty() {
    if (!m_tty || !m_out[0] || m_rows == 0 || m_cols == 0) return;
    winsize ws{};
    ws.ws_row = m_rows;
    ws.ws_col = m_cols;
    ::ioctl(m_out[0].get(), TIOCSWINSZ, &ws);  // the kernel sends SIGWINCH to the pty's foreground group
}

void Monitor::applyQueuedResize() {
    // Only Resize messages can be queued before Started; anything else stays for later.
    while (m_client) {
        char type = 0;
        ssize_t n = ::recv(m_client.get(), &type, 1, MSG_PEEK | MSG_DONTWAIT);
        if (n != 1 || type != char(protocol::Msg::Resize)) return;
        handleClient(m_client, true);
    }
}

void Monitor::reportFailure(const Error& e, int exitCode) {
    if (m_client) logged("tell the starting client the start failed", protocol::send(m_client.get(), protocol::Msg::Failed, protocol::encodeFailure(e, exitCode)));
}

VoidResult Monitor::prepare() {
    // Handlers, not SIG_IGN: the container inherits ignored signals across exec, but
    // handlers are reset there. They are blocked and read from a signalfd, except around
    // launch() so the container's init starts with an empty mask.
    struct sigaction sa {};
    sa.sa_handler = onSignal;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    for (int s : kSignals) ::sigaction(s, &sa, nullptr);
    sigset_t set = handledSet();
    ::sigprocmask(SIG_BLOCK, &set, nullptr);
    m_signals.reset(::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK));
    if (!m_signals) return failErrno("signalfd");
    // Orphans of processes started with exec are reparented to us, not to the host's init.
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);

    m_config = BERTH_TRY(m_store.loadConfig(m_id));
    const auto& settings = m_store.layout().settings;  // resolved once, in main()
    m_spec = BERTH_TRY(container::buildSpec(m_config, m_store.dir(m_id), settings));
    m_cgroup = BERTH_TRY(cgroup::openHostManager(m_spec.cgroupPath, settings));
    m_tty = m_config.options.tty;
    m_log = std::make_unique<container::LogWriter>(m_store.dir(m_id) / "log.jsonl", m_config.options.log);
    BERTH_TRYV_CTX(m_log->open(), "open the container's log");
    m_listen = BERTH_TRY_CTX(protocol::listenAttach(m_store.dir(m_id)), "listen for attach");
    if (m_config.healthcheck) {
        auto kept = m_store.loadState(m_id);
        m_health = std::make_unique<HealthProbe>(m_store, m_config, *m_config.healthcheck,
                                                 kept ? kept->health : std::nullopt);
    }
    return {};
}

// Rootless: the container's network namespace reaches the host through pasta or
// slirp4netns (runtime/rootless_network.h). Published ports must work or the start fails;
// without any, a missing helper or /dev/net/tun leaves the container on loopback only
// (`berth info` says why) rather than refusing to run it.
VoidResult Monitor::connectRootlessNetwork(pid_t pid) {
    if (m_spec.userNamespace.empty() || m_spec.network != runtime::NetworkMode::Private) return {};
    std::vector<runtime::RootlessPort> ports;
    for (const auto& p : m_config.options.ports)
        if (p.hostPort != 0 || p.containerPort != 0) ports.push_back({p.hostIp, p.hostPort, p.containerPort, p.protocol});
    auto net = runtime::startRootlessNetwork(m_spec.engine.rootlessNetwork, pid, ports, m_store.dir(m_id));
    if (!net) {
        if (!ports.empty()) return std::unexpected(net.error().withContext("publish ports (rootless)"));
        return {};
    }
    m_rootlessNet = *net;
    return {};
}

Result<int> Monitor::startOnce() {
    BERTH_TRYV_CTX(m_cgroup->create(m_spec.resources), "create cgroup");
    // Whichever step below fails, no cgroup is left behind.
    sys::ScopeGuard cgroupGuard([this] { logged("remove the cgroup of a failed start", m_cgroup->destroy()); });
    runtime::Stdio stdio;
    sys::UniqueFd childIn, childOut, childErr;
    bool interactive = m_config.options.interactive;
    if (m_tty) {
        sys::UniqueFd master(::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC));
        if (!master || ::grantpt(master.get()) < 0 || ::unlockpt(master.get()) < 0)
            return failErrno("allocate a pseudo-terminal");
        char name[128];
        if (::ptsname_r(master.get(), name, sizeof name) != 0) return failErrno("ptsname");
        childOut.reset(::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC));
        if (!childOut) return failErrno(std::string("open ") + name);
        stdio = {childOut.get(), childOut.get(), childOut.get()};
        if (interactive) m_stdin.reset(::fcntl(master.get(), F_DUPFD_CLOEXEC, 3));
        m_out[0] = std::move(master);
        // The size is set before the process starts: it may ask for it first thing.
        applyQueuedResize();
        resizePty();
    } else {
        int p[2];
        if (::pipe2(p, O_CLOEXEC) < 0) return failErrno("pipe");
        m_out[0].reset(p[0]);
        childOut.reset(p[1]);
        if (::pipe2(p, O_CLOEXEC) < 0) return failErrno("pipe");
        m_out[1].reset(p[0]);
        childErr.reset(p[1]);
        if (interactive) {
            if (::pipe2(p, O_CLOEXEC) < 0) return failErrno("pipe");
            childIn.reset(p[0]);
            m_stdin.reset(p[1]);
        }
        stdio = {childIn ? childIn.get() : -1, childOut.get(), childErr.get()};
    }

    if (!m_spec.upperDir.empty() && !m_spec.volatileUpper && !m_overlayLock) {
        // A previous run's overlay may still be tearing down (syncing) in a child of the
        // monitor before us: one overlay per upper and work dir at a time.
        m_overlayLock = BERTH_TRY(sys::openFile(m_store.dir(m_id) / "overlay.lock", O_RDWR | O_CREAT, 0600));
        while (::flock(m_overlayLock.get(), LOCK_EX) < 0)
            if (errno != EINTR) return failErrno("lock overlay.lock");
    }
    sigset_t set = handledSet();
    ::sigprocmask(SIG_UNBLOCK, &set, nullptr);
    auto launched = runtime::launch(m_spec, stdio, [this](pid_t pid) -> VoidResult {
        BERTH_TRYV(m_cgroup->addProcess(pid));
        // veth pairs, addresses and /etc/hosts for the endpoints the engine prepared.
        BERTH_TRYV(network::wireContainer(m_layout, m_id, pid));
        return connectRootlessNetwork(pid);
    });
    ::sigprocmask(SIG_BLOCK, &set, nullptr);
    if (g_stopRequested) m_stopRequested = true;
    if (!launched) {
        m_out[0].reset();
        m_out[1].reset();
        m_stdin.reset();
        // Removed before the client hears of the failure, so it finds nothing left over.
        cgroupGuard.dismiss();
        logged("remove the cgroup of a failed start", m_cgroup->destroy());
        return fail(launched.error());
    }
    cgroupGuard.dismiss();
    m_initPid = launched->pid;
    m_initExited = false;
    holdMountNamespace(m_initPid);
    m_startedNano = container::nowNano();
    logged("start", lifecycle().recordStart(m_initPid, ::getpid(), m_startedNano, m_restartCount));
    if (m_health) m_health->containerStarted(m_initPid, m_startedNano);
    return 0;
}

void Monitor::handleSignals() {
    signalfd_siginfo info[16];
    while (true) {
        ssize_t n = ::read(m_signals.get(), info, sizeof info);
        if (n <= 0) break;
        for (size_t i = 0; i < size_t(n) / sizeof(signalfd_siginfo); ++i) {
            int sig = int(info[i].ssi_signo);
            if (sig == SIGUSR1) m_stopRequested = true;
            // The host shutting down (or someone stopping the monitor): pass it on.
            if ((sig == SIGTERM || sig == SIGINT || sig == SIGQUIT) && m_initPid > 0 && !m_initExited)
                ::kill(m_initPid, sig);
        }
    }
    // Reap every child: the init, and orphans re-parented to us.
    while (true) {
        int status = 0;
        pid_t pid = ::waitpid(-1, &status, WNOHANG);
        if (pid <= 0) break;
        if (m_health && m_health->reaped(pid, status)) continue;
        if (pid == m_initPid) {
            m_initExited = true;
            m_exitCode = sys::exitCodeOf(status, 255);
        }
    }
}

void Monitor::pumpOutput(int index) {
    char buf[protocol::kMaxPayload];
    ssize_t n = ::read(m_out[index].get(), buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
    if (n <= 0) {  // EOF, or EIO on a pty whose other side is gone
        m_out[index].reset();
        return;
    }
    std::string_view data(buf, size_t(n));
    logged("write the container's log", m_log->write(index, data));
    sendClient(index == 0 ? 'O' : 'E', data);
}

void Monitor::handleClient(sys::UniqueFd& client, bool starter) {
    auto msg = protocol::receive(client.get());
    if (!msg) {
        // The client went away (detached start, detach keys, or the CLI was killed): the
        // container lives on with its stdin open, so a later `attach` can still write
        // (docker keeps a -i container's stdin open for a detached run too).
        client.reset();
        return;
    }
    auto& [type, payload] = *msg;
    switch (type) {
    case protocol::Msg::Stdin:
        if (m_stdin && !sys::writeAll(m_stdin.borrow(), payload)) m_stdin.reset();
        break;
    case protocol::Msg::StdinClose:
        if (!starter) break;  // an attach client's end of input is its own
        if (m_tty && m_stdin) {
            // A pty has no end-of-file; EOT at the start of a line is its equivalent.
            (void)sys::writeAll(m_stdin.borrow(), "\x04");
        }
        m_stdin.reset();
        break;
    case protocol::Msg::Resize:
        if (protocol::decodeWindowSize(payload, m_rows, m_cols)) resizePty();
        break;
    case protocol::Msg::Signal: {
        // Docker's sig-proxy: what the attached CLI received goes to the init.
        int sig = std::atoi(payload.c_str());
        if (sig > 0 && sig < 65 && m_initPid > 0 && !m_initExited) ::kill(m_initPid, sig);
        break;
    }
    default: break;
    }
}

int Monitor::supervise() {
    // After the first second without work, the start-up's code pages go (resident_pages.h).
    bool releasePending = true;
    // An init that exited while signals were unblocked around launch() raised its SIGCHLD
    // through the handler, not the signalfd: reap once before waiting, or it never is.
    handleSignals();
    while (true) {
        pollfd fds[6 + kMaxAttached] = {{m_signals.get(), POLLIN, 0},
                                        {m_out[0] ? m_out[0].get() : -1, POLLIN, 0},
                                        {m_out[1] ? m_out[1].get() : -1, POLLIN, 0},
                                        {m_client ? m_client.get() : -1, POLLIN, 0},
                                        {m_listen ? m_listen.get() : -1, POLLIN, 0},
                                        {m_health ? m_health->fd() : -1, POLLIN, 0}};
        for (int i = 0; i < kMaxAttached; ++i) fds[6 + i] = {m_attached[i] ? m_attached[i].get() : -1, POLLIN, 0};
        if (m_initExited && !m_out[0] && !m_out[1]) break;
        // Once the init is gone the kernel kills the rest of its pid namespace and the
        // pipes close; a pipe still open after that (passed to a process outside) is cut.
        int wait = m_initExited ? 2000 : releasePending ? 1000 : -1;
        bool healthDue = false;  // the wait ends for the healthcheck's schedule, not the above
        if (int due = m_health && !m_initExited ? m_health->msUntilDue() : -1; due >= 0 && (wait < 0 || due < wait)) {
            wait = due;
            healthDue = true;
        }
        int r = ::poll(fds, 6 + kMaxAttached, wait);
        if (r < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (r == 0 && m_initExited) break;
        if (r == 0 && releasePending && !healthDue) {
            releaseStartupPages();
            releasePending = false;
            continue;
        }
        if (fds[0].revents) handleSignals();
        if (fds[5].revents && m_health) m_health->readOutput();
        if (m_health && !m_initExited) m_health->tick(m_spec, *m_cgroup);
        for (int i = 0; i < 2; ++i)
            if (fds[1 + i].revents && m_out[i]) pumpOutput(i);
        if (fds[3].revents && m_client) handleClient(m_client, true);
        if (fds[4].revents) acceptClients();
        for (int i = 0; i < kMaxAttached; ++i)
            if (fds[6 + i].revents && m_attached[i]) handleClient(m_attached[i], false);
    }
    m_out[0].reset();
    m_out[1].reset();
    m_stdin.reset();
    if (m_health) m_health->containerStopped();
    logged("write the container's log", m_log->flush());
    return m_exitCode;
}

void Monitor::refreshConfig() {
    auto fresh = m_store.loadConfig(m_id);
    if (!fresh) {
        logged("read the container's record again", VoidResult(std::unexpected(fresh.error())));
        return;
    }
    m_config.name = fresh->name;
    m_config.options.restart = fresh->options.restart;
    m_config.options.resources = fresh->options.resources;
    static_cast<ResourceLimits&>(m_spec.resources) = fresh->options.resources;
}

void Monitor::finishRun(int exitCode, bool restarting) {
    bool oom = false;
    if (auto st = m_cgroup->stats(); st && st->oomKills > 0) oom = true;
    logged("remove the cgroup", m_cgroup->destroy());
    runtime::stopRootlessNetwork(m_rootlessNet);
    logged("exit", lifecycle().recordExit(exitCode, oom, restarting, m_restartCount));
}

void Monitor::holdMountNamespace(pid_t init) {
    // Only a kept container's overlay syncs at unmount (--rm ones are volatile).
    if (m_spec.upperDir.empty() || m_spec.volatileUpper) return;
    m_mountNs.reset(::open(("/proc/" + std::to_string(init) + "/ns/mnt").c_str(), O_RDONLY | O_CLOEXEC));
}

void Monitor::releaseMountNamespaceInBackground() {
    if (!m_mountNs) return;
    // Closing the last reference unmounts the overlay, and its unmount syncs the upper
    // layer's filesystem: still done for every kept container, by a child that holds
    // overlay.lock until it is over, so a new start of this container waits for it.
    pid_t child = ::fork();
    if (child == 0) {
        int keep[2] = {m_mountNs.get(), m_overlayLock ? m_overlayLock.get() : -1};
        for (int fd = 0; fd < 1024; ++fd)
            if (fd != keep[0] && fd != keep[1]) ::close(fd);
        ::setsid();
        ::close(keep[0]);
        ::_exit(0);
    }
    if (child < 0) m_mountNs.reset();  // no child: the unmount happens here, as before
}

void Monitor::cleanupAndExit(int exitCode) {
    // Leases, peers' /etc/hosts entries and published ports go with the container; its
    // veths go with its namespace (the kernel's work, checked after the client is told).
    auto hostLinks = network::releaseFromMonitor(m_layout, m_id);
    if (m_config.options.autoRemove) {
        if (auto lock = m_store.lockStore()) {
            // docker run --rm removes the container's anonymous volumes too.
            auto removed = lifecycle().remove(true);
            logged("remove the container (--rm)", removed);
            if (removed) logged("journal the removal", lifecycle().removed());
        }
    }
    // No new attach from here on; the connected ones hear the exit code.
    if (m_listen) {
        std::error_code ec;
        std::filesystem::remove(m_store.dir(m_id) / protocol::kAttachSocketName, ec);
        m_listen.reset();
    }
    sendClient('X', std::to_string(exitCode));  // the container's code goes to the clients;
    releaseMountNamespaceInBackground();         // the monitor's own status has no reader
    network::reapHostLinksInBackground(std::move(hostLinks));  // (double-forked: nobody waits)
    ::_exit(0);
}

int Monitor::run() {
    if (auto r = prepare(); !r) {
        reportFailure(r.error(), 125);
        return 1;
    }
    int64_t backoffMs = 100;
    bool first = true;
    while (true) {
        auto started = startOnce();
        if (!started) {
            int code = runtime::exitCodeForLaunchError(started.error());
            logged("start the container", started);
            logged("start", lifecycle().recordFailedStart(started.error(), code, first));
            if (first) {
                reportFailure(started.error(), code);
                m_client.reset();
            }
            cleanupAndExit(code);
        }
        if (first) sendClient('S', std::to_string(m_initPid));
        ::malloc_trim(0);  // the spec and config are parsed: hand the heap back (one per container)
        first = false;
        int code = supervise();
        refreshConfig();
        int64_t ranMs = (container::nowNano() - m_startedNano) / 1000000;
        bool restart = lifecycle().shouldRestart(code, m_restartCount, m_stopRequested);
        finishRun(code, restart);
        if (restart) m_mountNs.reset();  // the next run mounts the same upper dir: unmount (and sync) now
        if (!restart) cleanupAndExit(code);

        // Docker's back-off: 100 ms doubling per restart, reset after 10 s of running.
        if (ranMs >= 10000) backoffMs = 100;
        ++m_restartCount;
        logged("restart", lifecycle().recordRestartCount(m_restartCount));
        int64_t deadline = container::nowNano() / 1000000 + backoffMs;
        while (!m_stopRequested) {
            int64_t left = deadline - container::nowNano() / 1000000;
            if (left <= 0) break;
            pollfd p[2] = {{m_signals.get(), POLLIN, 0}, {m_client ? m_client.get() : -1, POLLIN, 0}};
            if (::poll(p, 2, int(left)) > 0) {
                if (p[0].revents) handleSignals();
                if (p[1].revents && m_client) handleClient(m_client, true);
            }
        }
        backoffMs = std::min<int64_t>(backoffMs * 2, 60000);
        if (m_stopRequested) {
            logged("stop", lifecycle().recordStopDuringBackoff());
            cleanupAndExit(code);
        }
    }
}

} // namespace berth::monitor
