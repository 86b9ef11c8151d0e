// runtime_probe: a tiny single-threaded launcher for the runtime tests (the launcher must
// not run inside the multi-threaded Qt test). It fills a ContainerSpec from its options,
// launches the container with stdio inherited, waits, and exits with the container's
// status (128+signal when killed), or prints the launch error and exits with Docker's
// code for it (125/126/127).
//
//   runtime_probe --rootfs DIR [options] -- command args...
//   --lower DIR (repeatable, bottom first) --upper DIR --work DIR   overlay root
//   --hostname H --user SPEC --cwd DIR --env K=V --readonly --privileged --nnp
//   --unconfined --seccomp FILE --tmpfs DEST --bind SRC:DEST[:ro] --net private|none|host
//   --cap-add C --cap-drop C --ulimit nofile=SOFT:HARD --hosts FILE --leak-fd N
//   --seccomp-cache DIR   cache compiled seccomp filters there
//   --tty    give the container a pty (relayed to stdout)
//   --cgroup-procs FILE   BeforeExec hook writes the pid there (joins that cgroup)
//   --fail-hook           BeforeExec hook fails
//   --fail-hook-after-exit  BeforeExec hook waits until the child has exited (a set-up step
//                         before "go" must fail, or it waits forever), then fails
//   --exec   run `sleep 1000` as init and the command through execIn(), then stop init
//   --exec-inspector PATH  with --exec: the init is `PATH inspect` (escape_probe, bound into
//                         the root by the caller) instead, and the BeforeExec hook of the
//                         exec asks it to attack the joining process there and then (read
//                         its environ, ptrace it, read its status); its report is printed
//                         after the command's output

#include "runtime/capabilities.h"
#include "runtime/launcher.h"
#include "runtime/user_lookup.h"
#include "sys/fs.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string_view>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

using namespace berth;

namespace {

[[noreturn]] void usage(const std::string& why) {
    std::fprintf(stderr, "runtime_probe: %s\n", why.c_str());
    std::exit(2);
}

int statusToExit(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return 255;
}

int waitFor(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return 255;
    }
    return statusToExit(status);
}

// The pid of host process `pid` in the innermost pid namespace it is in (NSpid's last).
Result<pid_t> innermostPid(pid_t pid) {
    auto status = BERTH_TRY(sys::readFile("/proc/" + std::to_string(pid) + "/status"));
    auto at = status.find("\nNSpid:");
    if (at == std::string::npos) return fail(Errc::Io, "no NSpid in /proc/<pid>/status");
    auto end = status.find('\n', at + 1);
    auto line = status.substr(at + 7, end - at - 7);
    auto last = line.find_last_of(" \t");
    return pid_t(std::atoi(line.substr(last + 1).c_str()));
}

// What `fd` gives until `marker` (included) or its end.
Result<std::string> readUntil(int fd, const std::string& marker) {
    std::string out;
    char buf[4096];
    while (out.find(marker) == std::string::npos) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return failErrno("read the inspector's report");
        if (n == 0) return fail(Errc::Io, "the inspector ended before its report: " + out);
        out.append(buf, size_t(n));
    }
    return out;
}

} // namespace

int main(int argc, char** argv) {
    runtime::ContainerSpec spec;
    spec.id = "probe";
    spec.process.env = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/"};
    std::string user;
    std::vector<std::string> capAdd, capDrop;
    bool execMode = false, tty = false, failHook = false, failHookAfterExit = false;
    std::string cgroupProcs, inspector;
    int leakFd = -1;

    int i = 1;
    auto value = [&](const char* opt) -> std::string {
        if (i + 1 >= argc) usage(std::string(opt) + " needs a value");
        return argv[++i];
    };
    for (; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--") {
            ++i;
            break;
        }
        if (a == "--rootfs") spec.rootfs = value("--rootfs");
        else if (a == "--lower") spec.lowerDirs.push_back(value("--lower"));
        else if (a == "--upper") spec.upperDir = value("--upper");
        else if (a == "--work") spec.workDir = value("--work");
        else if (a == "--hostname") spec.hostname = value("--hostname");
        else if (a == "--user") user = value("--user");
        else if (a == "--cwd") spec.process.cwd = value("--cwd");
        else if (a == "--env") spec.process.env.push_back(value("--env"));
        else if (a == "--readonly") spec.readonlyRoot = true;
        else if (a == "--privileged") spec.privileged = true;
        else if (a == "--nnp") spec.process.noNewPrivileges = true;
        else if (a == "--unconfined") spec.seccompUnconfined = true;
        else if (a == "--seccomp") {
            auto text = sys::readFile(value("--seccomp"));
            if (!text) usage(text.error().message());
            spec.seccompProfileJson = *text;
        } else if (a == "--tmpfs") {
            spec.mounts.push_back({"tmpfs", value("--tmpfs"), "tmpfs", {"nosuid", "nodev", "size=16m"}});
        } else if (a == "--bind") {
            std::string v = value("--bind");
            auto c1 = v.find(':');
            if (c1 == std::string::npos) usage("--bind SRC:DEST[:ro]");
            auto c2 = v.find(':', c1 + 1);
            runtime::MountSpec m{v.substr(0, c1), v.substr(c1 + 1, c2 == std::string::npos ? std::string::npos : c2 - c1 - 1), "bind", {}};
            if (c2 != std::string::npos) m.options.push_back(v.substr(c2 + 1));
            spec.mounts.push_back(m);
        } else if (a == "--net") {
            std::string n = value("--net");
            spec.network = n == "host" ? runtime::NetworkMode::Host
                         : n == "none" ? runtime::NetworkMode::None : runtime::NetworkMode::Private;
        } else if (a == "--cap-add") capAdd.push_back(value("--cap-add"));
        else if (a == "--cap-drop") capDrop.push_back(value("--cap-drop"));
        else if (a == "--ulimit") {
            std::string v = value("--ulimit");
            unsigned long long soft = 0, hard = 0;
            if (std::sscanf(v.c_str(), "nofile=%llu:%llu", &soft, &hard) != 2) usage("--ulimit nofile=SOFT:HARD");
            spec.process.rlimits.push_back({RLIMIT_NOFILE, rlim_t(soft), rlim_t(hard)});
        } else if (a == "--hosts") spec.hostsFile = value("--hosts");
        else if (a == "--leak-fd") leakFd = std::atoi(value("--leak-fd").c_str());
        else if (a == "--exec") execMode = true;
        else if (a == "--exec-inspector") inspector = value("--exec-inspector");
        else if (a == "--tty") tty = true;
        else if (a == "--fail-hook") failHook = true;
        else if (a == "--fail-hook-after-exit") failHookAfterExit = true;
        else if (a == "--cgroup-procs") cgroupProcs = value("--cgroup-procs");
        else if (a == "--seccomp-cache") spec.seccompCacheDir = value("--seccomp-cache");
        else usage("unknown option " + a);
    }
    std::vector<std::string> command(argv + i, argv + argc);
    if (command.empty()) usage("no command (after --)");
    if (spec.rootfs.empty()) usage("--rootfs is required");

    auto caps = runtime::resolveCapabilities(capAdd, capDrop);
    if (!caps) usage(caps.error().message());
    spec.process.capabilities = *caps;

    // The image's /etc/passwd: the ready rootfs, or the top layer that has one.
    std::filesystem::path userRoot = spec.rootfs;
    if (!spec.lowerDirs.empty()) userRoot = spec.lowerDirs.back();
    auto resolved = runtime::lookupUser(userRoot, user);
    if (!resolved) {
        std::fprintf(stderr, "runtime_probe: %s\n", resolved.error().message().c_str());
        return 125;
    }
    spec.process.uid = resolved->uid;
    spec.process.gid = resolved->gid;
    spec.process.additionalGids = resolved->additionalGids;

    if (leakFd >= 0) {
        // An fd the caller forgot to mark close-on-exec: it must not reach the container.
        int fd = ::open("/", O_RDONLY | O_DIRECTORY);
        if (fd < 0 || ::dup2(fd, leakFd) < 0) usage("cannot set up --leak-fd");
        ::close(fd);
    }
    std::fflush(stdout);
    std::fflush(stderr);

    runtime::Stdio stdio{0, 1, 2};
    runtime::BeforeExec hook = [&](pid_t pid) -> VoidResult {
        if (failHook) return fail(Errc::Io, "the test hook failed on purpose");
        if (failHookAfterExit) {
            // Like a hook that fails because the child is gone: wait for its exit (without
            // reaping it), then fail.
            siginfo_t info{};
            while (::waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0 && errno == EINTR) {
            }
            return fail(Errc::Io, "the test hook failed after the child had gone");
        }
        if (cgroupProcs.empty()) return {};
        return sys::writeAll(BERTH_TRY(sys::openFile(cgroupProcs, O_WRONLY)).borrow(), std::to_string(pid));
    };
    if (!execMode) {
        spec.process.args = command;
        int master = -1;
        if (tty) {
            master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
            if (master < 0 || ::grantpt(master) != 0 || ::unlockpt(master) != 0) usage("cannot open a pty");
            int slave = ::open(::ptsname(master), O_RDWR | O_NOCTTY | O_CLOEXEC);
            if (slave < 0) usage("cannot open the pty slave");
            spec.process.terminal = true;
            stdio = {slave, slave, slave};
        }
        auto launched = runtime::launch(spec, stdio, hook);
        if (tty) ::close(stdio.in);
        if (!launched) {
            std::fprintf(stderr, "runtime_probe: %s\n", launched.error().message().c_str());
            return runtime::exitCodeForLaunchError(launched.error());
        }
        if (tty) {
            // Relay until the last holder of the slave is gone (EIO).
            char buf[4096];
            for (;;) {
                ssize_t n = ::read(master, buf, sizeof buf);
                if (n < 0 && errno == EINTR) continue;
                if (n <= 0) break;
                (void)sys::writeAll(sys::BorrowedFd(1), std::string_view(buf, size_t(n)));
            }
        }
        return waitFor(launched->pid);
    }

    // The inspector: the container's init, talked to through two pipes.
    int toInspector[2] = {-1, -1}, fromInspector[2] = {-1, -1};
    runtime::Stdio initStdio;
    spec.process.args = {"sleep", "1000"};
    if (!inspector.empty()) {
        if (::pipe2(toInspector, O_CLOEXEC) != 0 || ::pipe2(fromInspector, O_CLOEXEC) != 0) usage("pipe");
        spec.process.args = {inspector, "inspect"};
        initStdio = {toInspector[0], fromInspector[1], 2};
    }
    auto init = runtime::launch(spec, initStdio);
    if (!init) {
        std::fprintf(stderr, "runtime_probe: init: %s\n", init.error().message().c_str());
        return runtime::exitCodeForLaunchError(init.error());
    }
    std::string report;
    runtime::BeforeExec execHook;
    if (!inspector.empty()) {
        ::close(toInspector[0]);
        ::close(fromInspector[1]);
        execHook = [&](pid_t pid) -> VoidResult {
            auto nsPid = BERTH_TRY(innermostPid(pid));
            BERTH_TRYV(sys::writeAll(sys::BorrowedFd(toInspector[1]), std::to_string(nsPid) + "\n"));
            report += BERTH_TRY(readUntil(fromInspector[0], "END " + std::to_string(nsPid) + "\n"));
            return {};
        };
    }
    runtime::ProcessSpec proc = spec.process;
    proc.args = command;
    auto execd = runtime::execIn(init->pid, spec, proc, stdio, execHook);
    int code;
    if (!execd) {
        std::fprintf(stderr, "runtime_probe: %s\n", execd.error().message().c_str());
        code = runtime::exitCodeForLaunchError(execd.error());
    } else {
        code = waitFor(execd->pid);
    }
    std::fputs(report.c_str(), stdout);
    ::kill(init->pid, SIGKILL);
    waitFor(init->pid);
    return code;
}
