// The launch recipe. Each step is a named function (rootfs_setup.cpp, dev_setup.cpp,
// process_setup.cpp); the child runs them in this order and reports the first failure.

#include "runtime/launcher.h"

#include "runtime/capabilities.h"
#include "runtime/child_channel.h"
#include "runtime/launch_context.h"
#include "runtime/process_setup.h"
#include "runtime/rootfs_setup.h"
#include "runtime/seccomp_cache.h"
#include "runtime/seccomp_profile.h"

#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

namespace berth::runtime {

namespace {

// launch(): the container's init, from a fresh set of namespaces. The first
// kInitStepsBeforeGo steps need nothing from the parent: as root the child runs them while
// the parent joins it to the container's cgroups and wires its network (BeforeExec), whose
// first cgroup.procs write alone waits ~10 ms for an RCU grace period on a v1 host. What
// depends on that work (the cgroup namespace rooted at the container's cgroup, its
// /sys/fs/cgroup, lo, the /etc files the network wiring writes, user mounts over any of
// them) comes after "go". Rootless, the child can do nothing before its id maps are
// written, so it waits for "go" first and runs the whole list in this order (and stays
// dumpable until then: newuidmap wants /proc/<pid> to be the user's).
//
// From seccomp on, the order is the one every process entering a container keeps: the
// filter is loaded while the process is still root with the capabilities it was born with
// (so container root could not ptrace it even if it could see it), and only then does it
// become the container's user with the container's capabilities.
constexpr NamedStep kInitRecipe[] = {
    {"non-dumpable", makeNonDumpable},
    {"stdio", setupStdio},
    {"signals", resetSignals},
    {"private mounts", makeMountsPrivate},
    {"root filesystem", mountRootfs},
    {"volume copy-up", copyUpVolumes},
    {"/proc", mountProc},
    {"/sys", mountSys},
    {"/dev", mountDev},
    // ---- go ----
    {"cgroup namespace", unshareCgroupNamespace},
    {"loopback", bringUpLoopback},
    {"sysctls", writeSysctls},
    {"/sys/fs/cgroup", mountCgroups},
    {"/etc files", mountEtcFiles},
    {"user mounts", mountUserMounts},
    {"pivot_root", pivotRoot},
    {"working directory", enterWorkingDir},
    {"masked paths", maskPaths},
    {"read-only paths", makePathsReadonly},
    {"read-only root", remountRootReadonly},
    {"hostname", setHostname},
    {"rlimits", applyRlimits},
    {"session", startSession},
    {"no_new_privs", setNoNewPrivileges},
    {"close fds", closeExtraFds},
    {"seccomp", loadSeccomp},
    {"credentials", applyCredentials},
    {"command", resolveCommand},
    {"exec", execProcess},
};
constexpr size_t kInitStepsBeforeGo = 9;
// Two branches once each added a step before "go" and each raised the count to the same
// number: the first step after "go" is checked here, so a miscount does not build.
static_assert(kInitRecipe[kInitStepsBeforeGo - 1].run == mountDev &&
              kInitRecipe[kInitStepsBeforeGo].run == unshareCgroupNamespace);

// execIn(): a process joining a running container. The joiner enters the container's
// namespaces and root while it is still in the host's pid namespace, where nothing in the
// container can see it, and runs kJoinRecipe there: the process it then forks into the
// container's pid namespace is born non-dumpable, under its seccomp filter, as the
// container's user with the container's capabilities, its stdio already in place.
constexpr NamedStep kJoinRecipe[] = {
    {"stdio", setupStdio},
    {"signals", resetSignals},
    {"working directory", enterWorkingDir},
    {"no_new_privs", setNoNewPrivileges},
    {"close fds", closeExtraFds},
    {"seccomp", loadSeccomp},
    {"credentials", applyCredentials},
    {"command", resolveCommand},
};
// ...and that process, inside the container's pid namespace, once the parent said go.
constexpr NamedStep kEnterRecipe[] = {
    {"session", startSession},
    {"exec", execProcess},
};

// Runs recipe[first, last); the first failure is reported, named after its step ("seccomp:
// ...", "masked paths: ..."), and ends the child.
template <size_t N>
void runSteps(LaunchContext& ctx, const NamedStep (&recipe)[N], size_t first, size_t last) {
    for (size_t i = first; i < last && i < N; ++i) {
        auto r = recipe[i].run(ctx);
        if (!r) {
            Error e = std::move(r).error();
            if (!std::string_view(e.message()).starts_with(recipe[i].name)) e.addContext(recipe[i].name);
            reportError(ctx.channelFd, e);
            ::_exit(127);
        }
    }
}

template <size_t N>
[[noreturn]] void runRecipe(LaunchContext& ctx, const NamedStep (&recipe)[N], size_t first = 0) {
    runSteps(ctx, recipe, first, N);
    ::_exit(127);  // exec returned without an error: can't happen
}

// Capabilities and seccomp filter, computed in the parent where a bad profile or name is a
// clean error before anything exists.
struct Prepared {
    std::vector<int> capabilities;
    SeccompProgram seccomp;
    bool confined = false;
};

Result<uint64_t> permittedCapabilities() {
    __user_cap_header_struct header{};
    header.version = _LINUX_CAPABILITY_VERSION_3;
    __user_cap_data_struct data[2]{};
    if (::syscall(SYS_capget, &header, data) != 0) return failErrno("capget");
    return uint64_t(data[0].permitted) | (uint64_t(data[1].permitted) << 32);
}

uint64_t boundingCapabilities() {
    uint64_t set = 0;
    for (int c = 0; c < 64; ++c)
        if (::prctl(PR_CAPBSET_READ, c, 0, 0, 0) == 1) set |= uint64_t(1) << c;
    return set;
}

Result<Prepared> prepare(const ContainerSpec& spec, const ProcessSpec& proc) {
    Prepared p;
    std::vector<std::string> names = spec.privileged ? allCapabilities() : proc.capabilities;
    for (const auto& n : names) {
        int c = BERTH_TRY(capabilityNumber(n));
        if (std::find(p.capabilities.begin(), p.capabilities.end(), c) == p.capabilities.end())
            p.capabilities.push_back(c);
    }
    // Nobody can grant what it lacks (root here may run without CAP_SYS_RESOURCE): a
    // privileged container gets everything we hold; an explicit request must be held.
    // In its own user namespace the child holds every capability of the bounding set.
    uint64_t held = spec.userNamespace.empty() ? BERTH_TRY(permittedCapabilities()) : boundingCapabilities();
    auto isHeld = [&](int c) { return c < 64 && (held >> c) & 1; };
    if (spec.privileged) {
        std::erase_if(p.capabilities, [&](int c) { return !isHeld(c); });
    } else {
        for (int c : p.capabilities)
            if (!isHeld(c))
                return fail(Errc::PermissionDenied,
                            fmt::format("capability {} is not available to this process, so it can't be granted",
                                        capabilityName(c)));
    }
    if (proc.args.empty() || proc.args[0].empty()) return fail(Errc::InvalidArgument, "no command given");
    if (!spec.seccompUnconfined && !spec.privileged) {
        std::string profile = spec.seccompProfileJson;
        if (profile.empty()) profile = BERTH_TRY(defaultSeccompProfile(spec.engine.seccompProfile));
        std::vector<std::string> canonical;
        for (int c : p.capabilities) canonical.push_back(capabilityName(c));
        p.seccomp = BERTH_TRY(compileSeccompProfileCached(profile, canonical, spec.seccompCacheDir));
        p.confined = true;
    }
    return p;
}

pid_t rawClone(unsigned long flags) {
    // fork-like clone (no new stack): the caller is single-threaded, so the child may keep
    // using the heap and everything the parent prepared.
#if defined(__s390x__) || defined(__s390__)
    return pid_t(::syscall(SYS_clone, 0, flags, nullptr, nullptr, 0));
#else
    return pid_t(::syscall(SYS_clone, flags, nullptr, nullptr, nullptr, 0));
#endif
}

void killAndReap(pid_t pid) {
    ::kill(pid, SIGKILL);
    while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
}

// The parent's own step (`what`) failed while the child was already at work: a child whose
// set-up failed first (it reports, then exits, which can make the parent's step fail in
// turn) has the real reason waiting on the channel. Either way the child is gone after this.
Error launchFailure(int channelFd, pid_t pid, Error what) {
    auto child = pendingChildError(channelFd);
    killAndReap(pid);
    return child ? std::move(*child) : std::move(what);
}

// After "go": end-of-file means the child exec'd; an error report means it did not.
VoidResult awaitExec(int channelFd, pid_t pid) {
    auto report = receiveReport(channelFd);
    if (!report) {
        killAndReap(pid);
        return std::unexpected(report.error());
    }
    if (!*report) return {};
    if ((*report)->kind == ChildReport::Kind::Error) {
        while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
        }
        return std::unexpected(*(*report)->error);
    }
    killAndReap(pid);
    return fail(Errc::Internal, "unexpected report from the container process");
}

} // namespace

Result<Launched> launch(const ContainerSpec& spec, const Stdio& stdio, const BeforeExec& beforeExec) {
    auto prepared = BERTH_TRY_CTX(prepare(spec, spec.process), "start container");
    auto channel = BERTH_TRY_CTX(makeChannel(), "start container");

    unsigned long flags = CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | SIGCHLD;
    if (spec.network != NetworkMode::Host) flags |= CLONE_NEWNET;
    if (!spec.userNamespace.empty()) flags |= CLONE_NEWUSER;  // created first; owns the others
    pid_t pid = rawClone(flags);
    if (pid < 0) return failErrno("start container: clone the container's namespaces");
    if (pid == 0) {
        channel.parent.reset();
        LaunchContext ctx{spec, spec.process, stdio, channel.child.release()};
        ctx.seccomp = prepared.confined ? &prepared.seccomp : nullptr;
        ctx.capabilities = prepared.capabilities;
        ctx.isInit = true;
        size_t first = 0;
        if (spec.userNamespace.empty()) {
            runSteps(ctx, kInitRecipe, 0, kInitStepsBeforeGo);
            first = kInitStepsBeforeGo;
        }
        if (!waitForGo(ctx.channelFd)) ::_exit(127);
        runRecipe(ctx, kInitRecipe, first);
    }
    channel.child.reset();
    int ch = channel.parent.get();
    if (!spec.userNamespace.empty()) {
        if (auto mapped = sys::writeIdMapping(pid, spec.userNamespace); !mapped)
            return std::unexpected(launchFailure(ch, pid, mapped.error())
                                       .withContext("start container: write the user namespace's id maps"));
    }
    if (beforeExec) {
        auto hooked = beforeExec(pid);
        if (!hooked) return std::unexpected(launchFailure(ch, pid, std::move(hooked).error()).withContext("start container"));
    }
    if (auto go = sendGo(ch); !go)
        return std::unexpected(launchFailure(ch, pid, go.error()).withContext("start container"));
    BERTH_TRYV_CTX(awaitExec(channel.parent.get(), pid), "start container");
    return Launched{pid};
}

Result<Launched> execIn(pid_t initPid, const ContainerSpec& spec, const ProcessSpec& proc, const Stdio& stdio,
                        const BeforeExec& beforeExec) {
    auto prepared = BERTH_TRY_CTX(prepare(spec, proc), "exec in container");

    // Namespaces in the order setns needs: mount last (it changes root and cwd).
    struct Ns {
        const char* name;
        int type;
    };
    constexpr Ns kNamespaces[] = {{"ipc", CLONE_NEWIPC}, {"uts", CLONE_NEWUTS}, {"net", CLONE_NEWNET},
                                  {"pid", CLONE_NEWPID}, {"cgroup", CLONE_NEWCGROUP}, {"mnt", CLONE_NEWNS}};
    std::vector<sys::UniqueFd> nsFds;
    // Rootless: the container's user namespace first, which gives us the capabilities to
    // join the others (we own it: it was created by our uid).
    sys::UniqueFd userNsFd;
    if (!spec.userNamespace.empty()) {
        std::string path = fmt::format("/proc/{}/ns/user", initPid);
        userNsFd.reset(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
        if (!userNsFd) return failErrno(fmt::format("exec in container: open `{}`", path));
    }
    for (const auto& ns : kNamespaces) {
        std::string path = fmt::format("/proc/{}/ns/{}", initPid, ns.name);
        int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) return failErrno(fmt::format("exec in container: open `{}`", path));
        nsFds.emplace_back(fd);
    }
    std::string rootPath = fmt::format("/proc/{}/root", initPid);
    int rfd = ::open(rootPath.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (rfd < 0) return failErrno(fmt::format("exec in container: open `{}`", rootPath));
    sys::UniqueFd rootFd(rfd);

    // A missing stream is the host's /dev/null, opened here: the joiner runs before the
    // process is in the container's cgroup (its device rules), so it must not open a
    // /dev/null that container root may have replaced with another device.
    Stdio streams = stdio;
    sys::UniqueFd devNull;
    if (streams.in < 0 || streams.out < 0 || streams.err < 0) {
        devNull.reset(::open("/dev/null", O_RDWR | O_CLOEXEC));
        if (!devNull) return failErrno("exec in container: open /dev/null");
        for (int* fd : {&streams.in, &streams.out, &streams.err})
            if (*fd < 0) *fd = devNull.get();
    }

    auto channel = BERTH_TRY_CTX(makeChannel(), "exec in container");
    pid_t joiner = ::fork();
    if (joiner < 0) return failErrno("exec in container: fork");
    if (joiner == 0) {
        // Joins the namespaces and the root, becomes what the process must be (kJoinRecipe),
        // then forks it into the container's pid namespace as a sibling (CLONE_PARENT: the
        // caller reaps it) and leaves.
        channel.parent.reset();
        LaunchContext ctx{spec, proc, streams, channel.child.release()};
        ctx.seccomp = prepared.confined ? &prepared.seccomp : nullptr;
        ctx.capabilities = prepared.capabilities;
        ctx.isInit = false;
        auto failWith = [&](const Error& e) {
            reportError(ctx.channelFd, e);
            ::_exit(127);
        };
        // Before the first setns: the forked process inherits it.
        if (auto r = makeNonDumpable(ctx); !r) failWith(r.error());
        if (userNsFd && ::setns(userNsFd.get(), CLONE_NEWUSER) != 0) failWith(Error::fromErrno("setns user"));
        for (size_t i = 0; i < nsFds.size(); ++i) {
            if (::setns(nsFds[i].get(), kNamespaces[i].type) != 0) {
                // Same namespace as ours (e.g. host network) can't be a reason to fail.
                if (errno == EINVAL && kNamespaces[i].type == CLONE_NEWCGROUP) continue;
                failWith(Error::fromErrno(fmt::format("setns {}", kNamespaces[i].name)));
            }
        }
        if (::fchdir(rootFd.get()) != 0 || ::chroot(".") != 0 || ::chdir("/") != 0)
            failWith(Error::fromErrno("enter the container's root"));
        userNsFd.reset();
        nsFds.clear();
        rootFd.reset();
        runSteps(ctx, kJoinRecipe, 0, std::size(kJoinRecipe));
        pid_t child = rawClone(CLONE_PARENT | SIGCHLD);
        if (child < 0) failWith(Error::fromErrno("fork into the container's pid namespace"));
        if (child > 0) {
            reportPid(ctx.channelFd, child);
            ::_exit(0);
        }
        if (!waitForGo(ctx.channelFd)) ::_exit(127);
        runRecipe(ctx, kEnterRecipe);
    }
    channel.child.reset();
    nsFds.clear();
    userNsFd.reset();
    rootFd.reset();

    auto first = receiveReport(channel.parent.get());
    int joinerStatus = 0;
    while (::waitpid(joiner, &joinerStatus, 0) < 0 && errno == EINTR) {
    }
    if (!first) return std::unexpected(first.error().withContext("exec in container"));
    if (!*first) return fail(Errc::Internal, "exec in container: the joining process died without a word");
    if ((*first)->kind == ChildReport::Kind::Error)
        return std::unexpected((*first)->error->withContext("exec in container"));
    pid_t pid = (*first)->pid;

    if (beforeExec) {
        auto hooked = beforeExec(pid);
        if (!hooked) {
            killAndReap(pid);
            return std::unexpected(std::move(hooked).error().withContext("exec in container"));
        }
    }
    if (auto go = sendGo(channel.parent.get()); !go) {
        killAndReap(pid);
        return std::unexpected(go.error().withContext("exec in container"));
    }
    BERTH_TRYV_CTX(awaitExec(channel.parent.get(), pid), "exec in container");
    return Launched{pid};
}

int exitCodeForLaunchError(const Error& e) {
    // Only the command step gives these codes; a missing bind source (also ENOENT) is the
    // engine's failure: 125.
    if (e.code() == Errc::CommandNotFound) return 127;
    if (e.code() == Errc::NotExecutable) return 126;
    return 125;
}

} // namespace berth::runtime
