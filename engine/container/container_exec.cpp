// `exec`: runs a process in a running container through a berth-monitor in exec mode,
// a direct child of the caller whose stdio IS the caller's streams. The runtime's execIn
// needs a single-threaded process (setns into a mount namespace), which the GUI is not.
#include "container/container_service.h"

#include "container/monitor_protocol.h"
#include "container/service_impl.h"

#include <fcntl.h>
#include <signal.h>
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
                     {"privileged", options.privileged}};
    std::string spec = j.dump();
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) return failErrno("socketpair for exec");
    sys::UniqueFd ours(sv[0]), theirs(sv[1]);
    std::string program = monitorProgram();
    std::vector<std::string> args{program, "--root", m_impl->store.layout().root.string(), "--runroot",
                                  m_impl->store.layout().runRoot.string(), "--id", rec.config.id,
                                  "--sync-fd", "3", "--exec", spec};
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

    pid_t child = ::fork();
    if (child < 0) return failErrno("fork exec helper");
    if (child == 0) {
        // Move the fds above 3 first so the dup2s below never clobber one another.
        int fds[4] = {::fcntl(in, F_DUPFD_CLOEXEC, 10), ::fcntl(out, F_DUPFD_CLOEXEC, 10),
                      ::fcntl(err, F_DUPFD_CLOEXEC, 10), ::fcntl(theirFd, F_DUPFD_CLOEXEC, 10)};
        for (int i = 0; i < 4; ++i) ::dup2(fds[i], i);
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        ::syscall(SYS_close_range, 4, ~0U, 0);
        ::execv(argv[0], argv.data());
        ::execvp(argv[0], argv.data());
        ::_exit(126);
    }
    theirs.reset();
    auto reap = [&]() -> int {
        int status = 0;
        while (::waitpid(child, &status, 0) < 0)
            if (errno != EINTR) return 126;
        if (WIFEXITED(status)) return WEXITSTATUS(status);
        if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
        return 126;
    };
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
    return reap();
}

} // namespace berth::container
