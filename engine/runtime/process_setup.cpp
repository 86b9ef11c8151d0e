#include "runtime/process_setup.h"

#include "runtime/safe_path.h"

#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <csignal>
#include <cstring>
#include <filesystem>

namespace berth::runtime {

namespace {

constexpr const char* kDefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

VoidResult setCapabilitySets(const std::vector<int>& caps, const char* what) {
    __user_cap_header_struct header{};
    header.version = _LINUX_CAPABILITY_VERSION_3;
    header.pid = 0;
    __user_cap_data_struct data[2]{};
    for (int c : caps) {
        if (c < 0 || c >= 64) continue;
        data[c / 32].effective |= 1u << (c % 32);
        data[c / 32].permitted |= 1u << (c % 32);
    }
    // Inheritable stays empty (as Docker since 20.10.14): a non-root user gains nothing
    // through inheritable file capabilities.
    if (::syscall(SYS_capset, &header, data) != 0) return failErrno(what);
    return {};
}

bool hasCap(const std::vector<int>& caps, int c) { return std::find(caps.begin(), caps.end(), c) != caps.end(); }

std::string envValue(const std::vector<std::string>& env, const std::string& key) {
    for (const auto& kv : env)
        if (kv.size() > key.size() && kv.compare(0, key.size(), key) == 0 && kv[key.size()] == '=')
            return kv.substr(key.size() + 1);
    return {};
}

Error execError(const std::string& arg0, int e) {
    Errc code = Errc::System;
    if (e == ENOENT || e == ENOTDIR) code = Errc::CommandNotFound;
    else if (e == EACCES || e == EPERM || e == ENOEXEC || e == EISDIR) code = Errc::NotExecutable;
    return Error(code, fmt::format("exec `{}`: {}", arg0, std::strerror(e)), e);
}

} // namespace

VoidResult setupStdio(LaunchContext& ctx) {
    // The channel must not be overwritten by the dup2s below.
    if (ctx.channelFd < 3) {
        int moved = ::fcntl(ctx.channelFd, F_DUPFD_CLOEXEC, 3);
        if (moved < 0) return failErrno("move the launch channel");
        ::close(ctx.channelFd);
        ctx.channelFd = moved;
    }
    int sources[3] = {ctx.stdio.in, ctx.stdio.out, ctx.stdio.err};
    int nullFd = -1;
    if (std::find(std::begin(sources), std::end(sources), -1) != std::end(sources)) {
        nullFd = ::open("/dev/null", O_RDWR | O_CLOEXEC);
        if (nullFd < 0) return failErrno("open /dev/null for stdio");
    }
    // Two passes: a source may itself be 0, 1 or 2.
    int copies[3];
    for (int i = 0; i < 3; ++i) {
        copies[i] = ::fcntl(sources[i] >= 0 ? sources[i] : nullFd, F_DUPFD_CLOEXEC, 3);
        if (copies[i] < 0) return failErrno(fmt::format("duplicate stdio fd {}", sources[i]));
    }
    for (int i = 0; i < 3; ++i)
        if (::dup2(copies[i], i) < 0) return failErrno(fmt::format("dup2 onto fd {}", i));
    for (int c : copies) ::close(c);
    if (nullFd >= 0) ::close(nullFd);
    return {};
}

VoidResult resetSignals(LaunchContext&) {
    // The launcher's caller may ignore SIGPIPE or block signals; exec keeps both, and a
    // container's processes must start with the defaults.
    for (int sig = 1; sig < NSIG; ++sig) {
        if (sig == SIGKILL || sig == SIGSTOP) continue;
        ::signal(sig, SIG_DFL);
    }
    sigset_t none;
    sigemptyset(&none);
    if (::sigprocmask(SIG_SETMASK, &none, nullptr) != 0) return failErrno("unblock signals");
    ::umask(022);
    return {};
}

VoidResult unshareCgroupNamespace(LaunchContext&) {
    // After the parent put us in the container's cgroup: that cgroup becomes "/" inside.
    if (::unshare(CLONE_NEWCGROUP) != 0 && errno != EINVAL) return failErrno("unshare the cgroup namespace");
    return {};
}

VoidResult bringUpLoopback(LaunchContext& ctx) {
    // Private and None both get a new network namespace, and Docker's "none" has lo up too.
    if (ctx.spec.network == NetworkMode::Host) return {};
    int s = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0) return failErrno("socket for configuring loopback");
    ifreq ifr{};
    std::strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
    VoidResult result;
    if (::ioctl(s, SIOCGIFFLAGS, &ifr) != 0) {
        result = failErrno("read the flags of lo");
    } else {
        ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
        if (::ioctl(s, SIOCSIFFLAGS, &ifr) != 0) result = failErrno("bring lo up");
    }
    ::close(s);
    return result;
}

VoidResult writeSysctls(LaunchContext& ctx) {
    if (ctx.spec.sysctls.empty()) return {};
    // The container's own /proc (mounted in its namespaces; /proc/sys/{net,kernel,fs/mqueue}
    // show the opener's network and IPC namespaces), opened beneath the root without
    // symlinks; each key beneath that, never a host path.
    auto procSys = BERTH_TRY_CTX(openInRoot(ctx.rootFd.get(), "/proc/sys", Symlinks::Refuse, O_DIRECTORY | O_RDONLY),
                                 "open the container's /proc/sys");
    for (const auto& [key, value] : ctx.spec.sysctls) {
        std::string what = fmt::format("sysctl {}={}", key, value);
        std::string rel = "/" + key;
        std::replace(rel.begin(), rel.end(), '.', '/');
        auto fd = openInRoot(procSys.get(), rel, Symlinks::Refuse, O_WRONLY);
        if (!fd && fd.error().sysErrno() == ENOENT)
            return fail(Error(Errc::InvalidArgument, what + ": the kernel has no such sysctl here", ENOENT));
        if (!fd) return std::unexpected(fd.error().withContext(what));
        ssize_t n = ::write(fd->get(), value.data(), value.size());
        if (n < 0) return failErrno(what + ": the kernel refused it");
        if (size_t(n) != value.size()) return fail(Errc::System, what + ": the kernel took only part of the value");
    }
    return {};
}

VoidResult setHostname(LaunchContext& ctx) {
    const auto& name = ctx.spec.hostname;
    if (name.empty()) return {};
    if (::sethostname(name.data(), name.size()) != 0) return failErrno(fmt::format("sethostname `{}`", name));
    return {};
}

VoidResult applyRlimits(LaunchContext& ctx) {
    for (const auto& rl : ctx.process.rlimits) {
        rlimit want{rl.soft, rl.hard};
        if (::setrlimit(rl.resource, &want) == 0) continue;
        if (errno != EPERM) return failErrno(fmt::format("setrlimit {} to {}/{}", rl.resource, rl.soft, rl.hard));
        // Raising a hard limit needs CAP_SYS_RESOURCE, which even root may lack: keep the
        // current hard limit and fit the soft one under it.
        rlimit cur{};
        if (::getrlimit(rl.resource, &cur) != 0) return failErrno(fmt::format("getrlimit {}", rl.resource));
        rlimit clamped{std::min(rl.soft, std::min(rl.hard, cur.rlim_max)), std::min(rl.hard, cur.rlim_max)};
        if (::setrlimit(rl.resource, &clamped) != 0)
            return failErrno(fmt::format("setrlimit {} to {}/{}", rl.resource, clamped.rlim_cur, clamped.rlim_max));
    }
    return {};
}

VoidResult makeNonDumpable(LaunchContext&) {
    // Until execve (which makes it dumpable again) the process is a copy of the monitor or
    // exec helper: its environ, exe, fds and memory are the host's. Non-dumpable, /proc/<pid>
    // is root's and ptrace needs CAP_SYS_PTRACE where the host's mm lives, so nothing in
    // the container can read or seize it (runc's CVE-2016-9962).
    if (::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) return failErrno("prctl PR_SET_DUMPABLE 0");
    return {};
}

VoidResult startSession(LaunchContext& ctx) {
    // Every process gets a session of its own, so none keeps a controlling terminal of the
    // host's (open("/dev/tty") then fails with ENXIO, and TIOCSTI has no terminal to reach).
    if (::setsid() < 0) return failErrno("setsid");
    if (ctx.process.terminal && ::ioctl(0, TIOCSCTTY, 0) != 0) return failErrno("make the pty the controlling terminal");
    return {};
}

VoidResult enterWorkingDir(LaunchContext& ctx) {
    std::string cwd = ctx.process.cwd.empty() ? "/" : ctx.process.cwd;
    if (cwd[0] != '/')
        return fail(Errc::InvalidArgument, fmt::format("working directory `{}` must be an absolute path", cwd));
    if (ctx.isInit) {
        // Like Docker, a missing working directory is created (we are inside the new root,
        // so nothing here can reach the host).
        std::error_code ec;
        std::filesystem::create_directories(cwd, ec);
        if (ec) return failErrno(fmt::format("create working directory `{}`", cwd), ec.value());
    }
    if (::chdir(cwd.c_str()) != 0) return failErrno(fmt::format("chdir to working directory `{}`", cwd));
    return {};
}

VoidResult applyCredentials(LaunchContext& ctx) {
    const auto& p = ctx.process;
    for (int c = 0; c < 64; ++c) {
        if (hasCap(ctx.capabilities, c)) continue;
        if (::prctl(PR_CAPBSET_DROP, c, 0, 0, 0) != 0 && errno != EINVAL)
            return failErrno(fmt::format("drop capability {} from the bounding set", c));
    }
    if (::prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0) return failErrno("prctl PR_SET_KEEPCAPS");
    if (::setgroups(p.additionalGids.size(), p.additionalGids.data()) != 0) {
        // A single-id user namespace has setgroups denied (and nothing to set).
        bool deniedInUserns = errno == EPERM && p.additionalGids.empty() && !ctx.spec.userNamespace.empty();
        if (!deniedInUserns) return failErrno(fmt::format("setgroups ({} groups)", p.additionalGids.size()));
    }
    if (::setresgid(p.gid, p.gid, p.gid) != 0) return failErrno(fmt::format("setgid {}", p.gid));
    if (::setresuid(p.uid, p.uid, p.uid) != 0) return failErrno(fmt::format("setuid {}", p.uid));
    if (::prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) != 0) return failErrno("prctl PR_SET_KEEPCAPS off");
    if (::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL)
        return failErrno("clear ambient capabilities");
    return setCapabilitySets(ctx.capabilities, "set the process's capabilities");
}

VoidResult resolveCommand(LaunchContext& ctx) {
    const auto& args = ctx.process.args;
    if (args.empty() || args[0].empty()) return fail(Errc::InvalidArgument, "no command given");
    const std::string& arg0 = args[0];
    if (arg0.find('/') != std::string::npos) {
        struct stat st{};
        if (::stat(arg0.c_str(), &st) != 0) return fail(execError(arg0, errno));
        if (S_ISDIR(st.st_mode)) return fail(execError(arg0, EISDIR));
        if (::access(arg0.c_str(), X_OK) != 0) return fail(execError(arg0, errno));
        ctx.executable = arg0;
    } else {
        std::string path = envValue(ctx.process.env, "PATH");
        if (path.empty()) path = kDefaultPath;
        bool sawNotExecutable = false;
        size_t start = 0;
        while (start <= path.size() && ctx.executable.empty()) {
            size_t end = path.find(':', start);
            if (end == std::string::npos) end = path.size();
            std::string dir = path.substr(start, end - start);
            start = end + 1;
            std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + arg0;
            struct stat st{};
            if (::stat(candidate.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
            if (::access(candidate.c_str(), X_OK) == 0) ctx.executable = candidate;
            else sawNotExecutable = true;
        }
        if (ctx.executable.empty()) {
            if (sawNotExecutable) return fail(execError(arg0, EACCES));
            return fail(Error(Errc::CommandNotFound, fmt::format("exec `{}`: executable file not found in $PATH", arg0), ENOENT));
        }
    }
    ctx.argv.clear();
    for (const auto& a : args) ctx.argv.push_back(const_cast<char*>(a.c_str()));
    ctx.argv.push_back(nullptr);
    ctx.envp.clear();
    for (const auto& e : ctx.process.env) ctx.envp.push_back(const_cast<char*>(e.c_str()));
    ctx.envp.push_back(nullptr);
    return {};
}

VoidResult setNoNewPrivileges(LaunchContext& ctx) {
    if (!ctx.process.noNewPrivileges) return {};
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return failErrno("prctl PR_SET_NO_NEW_PRIVS");
    return {};
}

VoidResult closeExtraFds(LaunchContext& ctx) {
    // Everything but stdio and the (close-on-exec) channel: a leaked fd of the caller's
    // would be a way out of the container.
    unsigned keep = unsigned(ctx.channelFd);
    auto closeRange = [](unsigned first, unsigned last) -> VoidResult {
        if (first > last) return {};
        if (::syscall(SYS_close_range, first, last, 0) == 0) return {};
        if (errno != ENOSYS) return failErrno("close_range");
        long max = ::sysconf(_SC_OPEN_MAX);
        for (long fd = first; fd <= std::min<long>(last, max < 0 ? 65536 : max); ++fd) ::close(int(fd));
        return {};
    };
    if (keep >= 3) {
        BERTH_TRYV(closeRange(3, keep - 1));
        BERTH_TRYV(closeRange(keep + 1, ~0u));
    } else {
        BERTH_TRYV(closeRange(3, ~0u));
    }
    return {};
}

VoidResult loadSeccomp(LaunchContext& ctx) {
    // Loaded before the credentials change: without no_new_privs it needs CAP_SYS_ADMIN,
    // which the process still holds here, and once the process is the container's user
    // with the container's capabilities (what container root would need to ptrace it) it
    // is already filtered. The steps after it make only calls Docker's profile allows
    // (setgroups, setresgid, setresuid, prctl, capset, stat, access, execve).
    if (!ctx.seccomp || ctx.seccomp->empty()) return {};
    if (int e = loadSeccompProgram(*ctx.seccomp); e != 0) return failErrno("load the seccomp filter", e);
    return {};
}

VoidResult execProcess(LaunchContext& ctx) {
    ::execve(ctx.executable.c_str(), ctx.argv.data(), ctx.envp.data());
    return fail(execError(ctx.process.args[0], errno));
}

} // namespace berth::runtime
