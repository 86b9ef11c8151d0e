// Listening sockets for the service (see service.h).
#include "berth/docker_api_service.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <grp.h>
#include <netdb.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace berth::dockerapi {

namespace {

std::string errnoText(const std::string& what) { return what + ": " + std::strerror(errno); }

std::unexpected<std::string> fail(const std::string& what) { return std::unexpected(errnoText(what)); }

// mkdir -p with `mode` for the directories it makes.
bool makeDirs(const std::filesystem::path& dir, mode_t mode) {
    if (dir.empty() || ::access(dir.c_str(), F_OK) == 0) return true;
    if (!makeDirs(dir.parent_path(), mode)) return false;
    return ::mkdir(dir.c_str(), mode) == 0 || errno == EEXIST;
}

// Is a live service answering on `addr`?
bool answers(const sockaddr_un& addr) {
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    bool live = ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    return live;
}

} // namespace

std::filesystem::path defaultSocketPath() {
    if (::geteuid() == 0) return "/run/berth/docker.sock";
    if (const char* x = std::getenv("XDG_RUNTIME_DIR"); x && *x) return std::filesystem::path(x) / "berth" / "docker.sock";
    return "/tmp/berth-" + std::to_string(::geteuid()) + "/docker.sock";
}

ServiceStatus serviceStatus() {
    ServiceStatus st;
    st.socket = defaultSocketPath();
    st.dockerHost = "unix://" + st.socket.string();
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (st.socket.string().size() < sizeof addr.sun_path) {
        std::memcpy(addr.sun_path, st.socket.c_str(), st.socket.string().size());
        st.listening = answers(addr);
    }
    // `systemctl enable` makes the sockets.target.wants link; no systemctl run needed.
    auto exists = [](const std::filesystem::path& p) { return ::access(p.c_str(), F_OK) == 0; };
    if (::geteuid() == 0) {
        for (const char* dir : {"/etc/systemd/system", "/usr/lib/systemd/system", "/lib/systemd/system",
                                "/usr/local/lib/systemd/system"})
            st.unitInstalled = st.unitInstalled || exists(std::filesystem::path(dir) / "berth.socket");
        st.enabled = exists("/etc/systemd/system/sockets.target.wants/berth.socket");
    } else {
        std::filesystem::path config;
        if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x) config = x;
        else if (const char* h = std::getenv("HOME"); h && *h) config = std::filesystem::path(h) / ".config";
        for (const std::filesystem::path& dir : {config / "systemd/user", std::filesystem::path("/etc/systemd/user"),
                                                 std::filesystem::path("/usr/lib/systemd/user"),
                                                 std::filesystem::path("/usr/local/lib/systemd/user")})
            st.unitInstalled = st.unitInstalled || exists(dir / "berth.socket");
        st.enabled = exists(config / "systemd/user/sockets.target.wants/berth.socket") ||
                     exists("/etc/systemd/user/sockets.target.wants/berth.socket");
    }
    return st;
}

std::expected<int, std::string> listenUnix(const std::filesystem::path& path) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.string().size() >= sizeof addr.sun_path)
        return std::unexpected("socket path `" + path.string() + "` is too long for a unix socket");
    std::memcpy(addr.sun_path, path.c_str(), path.string().size());

    bool root = ::geteuid() == 0;
    if (!makeDirs(path.parent_path(), root ? 0755 : 0700)) return fail("create `" + path.parent_path().string() + "`");
    struct stat st{};
    if (::lstat(path.c_str(), &st) == 0) {
        if (!S_ISSOCK(st.st_mode))
            return std::unexpected("`" + path.string() + "` exists and is not a socket: refusing to replace it");
        if (answers(addr)) return std::unexpected("another service is already listening on `" + path.string() + "`");
        if (::unlink(path.c_str()) != 0) return fail("remove the stale socket `" + path.string() + "`");
    }

    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return fail("socket");
    // Made 0600 and only then opened to the group: never wider for a moment.
    mode_t old = ::umask(0177);
    int rc = ::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
    ::umask(old);
    if (rc != 0) {
        auto err = fail("bind `" + path.string() + "`");
        ::close(fd);
        return err;
    }
    if (root) {
        if (const group* g = ::getgrnam("berth")) {
            if (::chown(path.c_str(), 0, g->gr_gid) != 0 || ::chmod(path.c_str(), 0660) != 0) {
                auto err = fail("give `" + path.string() + "` to group berth");
                ::close(fd);
                return err;
            }
        }
    }
    if (::listen(fd, 128) != 0) {
        auto err = fail("listen on `" + path.string() + "`");
        ::close(fd);
        return err;
    }
    return fd;
}

std::expected<int, std::string> listenTcp(std::string_view url) {
    std::string_view rest = url;
    if (!rest.starts_with("tcp://")) return std::unexpected("--host takes tcp://HOST:PORT or unix://PATH");
    rest.remove_prefix(6);
    size_t colon = rest.rfind(':');
    if (colon == std::string_view::npos || colon + 1 == rest.size())
        return std::unexpected("--host " + std::string(url) + ": no port (tcp://127.0.0.1:PORT)");
    std::string host(rest.substr(0, colon));
    std::string port(rest.substr(colon + 1));
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);

    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    if (host != "localhost") hints.ai_flags |= AI_NUMERICHOST;
    addrinfo* found = nullptr;
    if (int rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &found); rc != 0)
        return std::unexpected("--host " + std::string(url) + ": " + ::gai_strerror(rc));
    std::unique_ptr<addrinfo, void (*)(addrinfo*)> guard(found, ::freeaddrinfo);
    const addrinfo* ai = found;
    bool loopback = false;
    if (ai->ai_family == AF_INET) {
        auto* in = reinterpret_cast<const sockaddr_in*>(ai->ai_addr);
        loopback = (ntohl(in->sin_addr.s_addr) >> 24) == 127;
    } else if (ai->ai_family == AF_INET6) {
        auto* in6 = reinterpret_cast<const sockaddr_in6*>(ai->ai_addr);
        loopback = IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
    }
    if (!loopback)
        return std::unexpected("--host " + std::string(url) +
                               ": only loopback addresses (127.0.0.1, ::1, localhost) are served: whoever reaches the "
                               "API can run containers as this user");
    int fd = ::socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return fail("socket");
    int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || ::listen(fd, 128) != 0) {
        auto err = fail("listen on " + std::string(url));
        ::close(fd);
        return err;
    }
    return fd;
}

} // namespace berth::dockerapi
