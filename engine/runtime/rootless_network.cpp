#include "runtime/rootless_network.h"

#include "sys/fs.h"
#include "sys/spawn.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>

extern char** environ;

namespace berth::runtime {

namespace fs = std::filesystem;

namespace {

bool inPath(const std::string& name) {
    const char* path = std::getenv("PATH");
    std::string p = path && *path ? path : "/usr/local/bin:/usr/bin:/bin";
    size_t start = 0;
    while (start <= p.size()) {
        size_t end = p.find(':', start);
        if (end == std::string::npos) end = p.size();
        std::string candidate = p.substr(start, end - start) + "/" + name;
        if (::access(candidate.c_str(), X_OK) == 0) return true;
        start = end + 1;
    }
    return false;
}

int readIntFile(const char* path, int fallback) {
    auto text = sys::readFile(path, 4096);
    if (!text) return fallback;
    return std::atoi(text->c_str());
}

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
}

// The helper's own words on failure (pasta prints "Failed to bind port 8080: ..."),
// without the syslog noise it adds when started from a non-tty.
std::string helperOutput(const fs::path& file) {
    auto text = sys::readFile(file, 64 << 10);
    if (!text) return {};
    std::string out;
    size_t pos = 0;
    while (pos < text->size()) {
        size_t nl = text->find('\n', pos);
        if (nl == std::string::npos) nl = text->size();
        std::string line = text->substr(pos, nl - pos);
        pos = nl + 1;
        if (line.empty() || line.rfind("Failed to send", 0) == 0) continue;
        out += (out.empty() ? "" : "; ") + line;
    }
    return out;
}

Result<pid_t> spawn(const std::vector<std::string>& args, const fs::path& outputFile, int keepFd = -1) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, outputFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    if (keepFd >= 0) posix_spawn_file_actions_adddup2(&actions, keepFd, 3);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    // A default signal mask and dispositions: the monitor blocks what it reads from a signalfd.
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    pid_t pid = -1;
    int rc = ::posix_spawnp(&pid, args[0].c_str(), &actions, &attr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) return failErrno(fmt::format("start {}", args[0]), rc);
    return pid;
}

int waitExit(pid_t pid) { return sys::waitForExit(pid, -1); }

std::string pastaPortSpec(const RootlessPort& p) {
    std::string spec = p.hostIp.empty() || p.hostIp == "0.0.0.0" ? "" : p.hostIp + "/";
    return spec + fmt::format("{}:{}", p.hostPort, p.containerPort);
}

Result<RootlessNetwork> startPasta(pid_t pid, const std::vector<RootlessPort>& ports, const fs::path& stateDir) {
    fs::path pidFile = stateDir / "pasta.pid";
    fs::path output = stateDir / "pasta.log";
    (void)::unlink(pidFile.c_str());
    std::vector<std::string> args{"pasta", "--config-net", "-q", "-P", pidFile.string()};
    bool tcp = false, udp = false;
    for (const auto& p : ports) {
        args.push_back(p.protocol == "udp" ? "-u" : "-t");
        args.push_back(pastaPortSpec(p));
        (p.protocol == "udp" ? udp : tcp) = true;
    }
    // Nothing published means nothing forwarded (pasta's default would forward every
    // port the container binds), and the container does not reach the host's loopback.
    if (!tcp) args.insert(args.end(), {"-t", "none"});
    if (!udp) args.insert(args.end(), {"-u", "none"});
    args.insert(args.end(), {"-T", "none", "-U", "none", std::to_string(pid)});
    pid_t starter = BERTH_TRY(spawn(args, output));
    // pasta goes to the background once its listeners and the interface are ready.
    int rc = waitExit(starter);
    if (rc != 0)
        return fail(Errc::Network, fmt::format("pasta failed (exit status {}): {}", rc, trimmed(helperOutput(output))));
    auto text = sys::readFile(pidFile, 64);
    RootlessNetwork net{-1, "pasta"};
    if (text) net.helperPid = std::atoi(text->c_str());
    if (net.helperPid <= 0) return fail(Errc::Network, "pasta started but wrote no pid file");
    return net;
}

VoidResult slirpHostForward(const fs::path& socketPath, const RootlessPort& p) {
    int s = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0) return failErrno("socket");
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, socketPath.c_str(), sizeof addr.sun_path - 1);
    std::string what = fmt::format("publish port {}:{}/{} through slirp4netns", p.hostPort, p.containerPort, p.protocol);
    if (::connect(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        int e = errno;
        ::close(s);
        return failErrno(what + ": connect to its API socket", e);
    }
    std::string req = fmt::format(
        R"({{"execute":"add_hostfwd","arguments":{{"proto":"{}","host_addr":"{}","host_port":{},"guest_port":{}}}}})",
        p.protocol, p.hostIp.empty() ? "0.0.0.0" : p.hostIp, p.hostPort, p.containerPort);
    std::string reply;
    if (::write(s, req.data(), req.size()) == ssize_t(req.size())) {
        ::shutdown(s, SHUT_WR);
        char buf[1024];
        ssize_t n;
        while ((n = ::read(s, buf, sizeof buf)) > 0) reply.append(buf, size_t(n));
    }
    ::close(s);
    if (reply.find("\"error\"") != std::string::npos || reply.empty())
        return fail(Errc::Network, what + ": " + (reply.empty() ? "no reply" : trimmed(reply)));
    return {};
}

Result<RootlessNetwork> startSlirp(pid_t pid, const std::vector<RootlessPort>& ports, const fs::path& stateDir) {
    fs::path apiSocket = stateDir / "slirp.sock";
    fs::path output = stateDir / "slirp4netns.log";
    (void)::unlink(apiSocket.c_str());
    int ready[2];
    if (::pipe2(ready, O_CLOEXEC) != 0) return failErrno("pipe");
    std::vector<std::string> args{"slirp4netns", "--configure", "--mtu=65520", "--disable-host-loopback",
                                  "--ready-fd=3", "--api-socket", apiSocket.string(),
                                  "--userns-path", fmt::format("/proc/{}/ns/user", pid), std::to_string(pid), "tap0"};
    auto started = spawn(args, output, ready[1]);
    ::close(ready[1]);
    if (!started) {
        ::close(ready[0]);
        return std::unexpected(started.error());
    }
    RootlessNetwork net{*started, "slirp4netns"};
    char c = 0;
    pollfd pfd{ready[0], POLLIN, 0};
    int polled = ::poll(&pfd, 1, 10000);
    ssize_t n = polled > 0 ? ::read(ready[0], &c, 1) : 0;
    ::close(ready[0]);
    if (n != 1 || c != '1') {
        stopRootlessNetwork(net);
        return fail(Errc::Network, fmt::format("slirp4netns did not become ready: {}", trimmed(helperOutput(output))));
    }
    for (const auto& p : ports) {
        if (auto fwd = slirpHostForward(apiSocket, p); !fwd) {
            stopRootlessNetwork(net);
            return std::unexpected(fwd.error());
        }
    }
    return net;
}

} // namespace

RootlessNetworkSupport detectRootlessNetwork(const std::string& tool) {
    RootlessNetworkSupport s;
    if (!tool.empty()) s.tool = inPath(tool) ? tool : "";
    else if (inPath("pasta")) s.tool = "pasta";
    else if (inPath("slirp4netns")) s.tool = "slirp4netns";
    int fd = ::open("/dev/net/tun", O_RDWR | O_CLOEXEC);
    s.tunUsable = fd >= 0;
    if (fd >= 0) ::close(fd);
    s.unprivilegedPortStart = readIntFile("/proc/sys/net/ipv4/ip_unprivileged_port_start", 1024);
    if (auto range = sys::readFile("/proc/sys/net/ipv4/ping_group_range", 4096)) {
        long lo = 1, hi = 0;
        if (std::sscanf(range->c_str(), "%ld %ld", &lo, &hi) == 2) s.pingAllowed = long(::getgid()) >= lo && long(::getgid()) <= hi;
    }
    return s;
}

VoidResult checkRootlessPorts(const std::vector<RootlessPort>& ports, int unprivilegedPortStart) {
    for (const auto& p : ports) {
        if (p.hostPort == 0)
            return fail(Errc::InvalidArgument,
                        fmt::format("port {}/{}: rootless publishing needs an explicit host port", p.containerPort, p.protocol));
        if (p.hostPort < unprivilegedPortStart)
            return fail(Errc::PermissionDenied,
                        fmt::format("host port {} is below {} (net.ipv4.ip_unprivileged_port_start), which rootless "
                                    "containers cannot publish; use a higher port, or allow it with `sudo sysctl "
                                    "net.ipv4.ip_unprivileged_port_start={}`",
                                    p.hostPort, unprivilegedPortStart, p.hostPort));
    }
    return {};
}

Result<RootlessNetwork> startRootlessNetwork(const std::string& tool, pid_t pid, const std::vector<RootlessPort>& ports,
                                             const fs::path& stateDir) {
    auto support = detectRootlessNetwork(tool);
    BERTH_TRYV(checkRootlessPorts(ports, support.unprivilegedPortStart));
    if (support.tool.empty())
        return fail(Errc::NotFound, "rootless networking needs pasta (Debian package `passt`) or slirp4netns");
    if (!support.tunUsable)
        return fail(Errc::PermissionDenied,
                    fmt::format("rootless networking with {} needs /dev/net/tun readable and writable by this user "
                                "(it is not here; Debian's default is mode 0666)", support.tool));
    BERTH_TRYV(sys::makeDirs(stateDir));
    if (support.tool == "slirp4netns") return startSlirp(pid, ports, stateDir);
    return startPasta(pid, ports, stateDir);
}

void stopRootlessNetwork(RootlessNetwork& net) {
    if (net.helperPid <= 0) return;
    ::kill(net.helperPid, SIGTERM);
    // slirp4netns is our child (reap it); pasta daemonized and is not, unless we are its
    // subreaper: a non-blocking reap covers both.
    for (int i = 0; i < 50; ++i) {
        pid_t r = ::waitpid(net.helperPid, nullptr, WNOHANG);
        if (r == net.helperPid || (r < 0 && errno == ECHILD && ::kill(net.helperPid, 0) != 0)) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    net.helperPid = -1;
}

} // namespace berth::runtime
