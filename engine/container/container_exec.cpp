// `exec`: runs a process in a running container through a berth-monitor in exec mode,
// a direct child of the caller whose stdio IS the caller's streams. The runtime's execIn
// needs a single-threaded process (setns into a mount namespace), which the GUI is not.
#include "container/container_service.h"

#include "container/monitor_protocol.h"
#include "container/monitor_settings.h"
#include "sys/spawn.h"
#include "container/service_impl.h"
#include "sys/fs.h"

#include <fcntl.h>
#include <signal.h>
#include <poll.h>
#include <sys/signalfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace berth::container {

Result<int> ContainerService::exec(std::string_view ref, const ExecOptions& options, const AttachIo& io) {
    auto rec = BERTH_TRY(m_impl->find(ref));
    if (rec.state.status == Status::Paused)
        return fail(Errc::Conflict, "container " + rec.config.name + " is paused, unpause the container before exec");
    if (rec.state.status != Status::Running)
        return fail(Errc::Conflict, "container " + rec.config.name + " is not running");
    if (options.cmd.empty()) return fail(Errc::InvalidArgument, "exec: no command given");

    nlohmann::json j{{"cmd", options.cmd},        {"env", options.env},   {"user", options.user},
                     {"workingDir", options.workingDir}, {"tty", options.tty},
                     {"interactive", options.interactive}, {"detach", options.detach},
                     {"privileged", options.privileged}, {"detachKeys", options.detachKeys}};
    // A -t exec's pty starts at the caller's size ("rows cols"), before the process runs.
    if (options.tty) j["windowSize"] = terminalSize(io.ttyFd);
    // The request goes through a memfd, not the helper's argv: /proc/<pid>/cmdline is
    // readable by every host user, and by the container while the joining process (a copy
    // of the helper) enters it, and the request carries the exec's environment.
    sys::UniqueFd request(int(::syscall(SYS_memfd_create, "berth-exec-request", MFD_CLOEXEC)));
    if (!request) return failErrno("memfd_create for the exec request");
    BERTH_TRYV_CTX(sys::writeAll(request.borrow(), j.dump()), "write the exec request");
    if (::lseek(request.get(), 0, SEEK_SET) != 0) return failErrno("rewind the exec request");
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) return failErrno("socketpair for exec");
    sys::UniqueFd ours(sv[0]), theirs(sv[1]);
    // The engine's settings first: the exec helper does not resolve its own.
    BERTH_TRYV(sendSettings(ours.get(), m_impl->store.layout().settings));
    std::string program = monitorProgram(m_impl->store.layout().settings);
    std::vector<std::string> args{program, "--root", m_impl->store.layout().root.string(), "--id", rec.config.id,
                                  "--sync-fd", "3", "--exec-fd", "4"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    int devnull = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    if (devnull < 0) return failErrno("open /dev/null");
    sys::UniqueFd devnullFd(devnull);
    int in = options.interactive && io.stdinFd >= 0 ? io.stdinFd : devnull;
    int out = io.stdoutFd >= 0 ? io.stdoutFd : devnull;
    int err = io.stderrFd >= 0 ? io.stderrFd : devnull;
    int theirFd = theirs.get();
    int requestFd = request.get();

    pid_t child = ::fork();
    if (child < 0) return failErrno("fork exec helper");
    if (child == 0) {
        // Move the fds above 4 first so the dup2s below never clobber one another.
        int fds[5] = {::fcntl(in, F_DUPFD_CLOEXEC, 10), ::fcntl(out, F_DUPFD_CLOEXEC, 10),
                      ::fcntl(err, F_DUPFD_CLOEXEC, 10), ::fcntl(theirFd, F_DUPFD_CLOEXEC, 10),
                      ::fcntl(requestFd, F_DUPFD_CLOEXEC, 10)};
        for (int i = 0; i < 5; ++i) ::dup2(fds[i], i);
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        ::syscall(SYS_close_range, 5, ~0U, 0);
        ::execv(argv[0], argv.data());
        ::execvp(argv[0], argv.data());
        ::_exit(126);
    }
    theirs.reset();
    request.reset();
    auto reap = [&]() -> int { return sys::waitForExit(child, 126); };
    auto first = protocol::receive(ours.get());
    if (!first) {
        reap();
        return fail(Errc::Internal, "the exec helper (" + program + ") exited without starting the process");
    }
    if (first->first == protocol::Msg::Failed) {
        reap();
        int code = 126;
        return fail(protocol::decodeFailure(first->second, code));
    }
    if (options.onStarted) options.onStarted();
    // Running. The helper keeps its end open while it pumps a pty (it says Detached there);
    // otherwise the end of the socket is the end of the helper. Signals we are asked to
    // proxy go to the helper, which passes those from us (its parent) to the process.
    // With a tty the helper pumps the pty and passes nothing on: SIGWINCH makes it copy the
    // caller's terminal size (its stdin's) onto the pty, and we send it ttyFd's size too
    // (the Docker API's streams have a pty master of their own there, not a terminal on
    // stdin); SIGHUP ends it, which hangs the pty up (the process gets SIGHUP as from a
    // closed terminal). A caller without a real terminal (the window's Terminal tab)
    // resizes and closes a session this way; `berth exec -it` needs neither, its helper
    // shares the user's terminal and process group. A signal pipe whose writer closed (the
    // API's client went away) is no longer watched: the process runs on.
    sys::UniqueFd helper(int(::syscall(SYS_pidfd_open, child, 0)));
    bool sockOpen = true;
    bool signalsOpen = io.signalFd >= 0;
    while (sockOpen || (signalsOpen && helper)) {
        pollfd fds[3] = {{sockOpen ? ours.get() : -1, POLLIN, 0},
                         {signalsOpen ? io.signalFd : -1, POLLIN, 0},
                         {helper ? helper.get() : -1, POLLIN, 0}};
        int r = ::poll(fds, 3, -1);
        if (r < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (fds[1].revents) {
            signalfd_siginfo info[8];
            ssize_t n = ::read(io.signalFd, info, sizeof info);
            if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) signalsOpen = false;  // a pipe's writer gone
            for (ssize_t i = 0; n > 0 && i < n / ssize_t(sizeof info[0]); ++i) {
                int sig = int(info[i].ssi_signo);
                if (options.tty ? (sig == SIGWINCH || sig == SIGHUP) : sig != SIGWINCH) ::kill(child, sig);
                if (auto size = terminalSize(io.ttyFd); options.tty && sig == SIGWINCH && sockOpen && !size.empty())
                    (void)protocol::send(ours.get(), protocol::Msg::Resize, size);
            }
        }
        if (fds[0].revents) {
            auto msg = protocol::receive(ours.get());
            if (msg && msg->first == protocol::Msg::Detached) {
                reap();
                return kDetached;
            }
            if (!msg) sockOpen = false;
        }
        if (fds[2].revents) break;  // the helper exited (not yet reaped: kill() above stayed safe)
    }
    return reap();
}

} // namespace berth::container
