#include "registry_fixture.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

extern char** environ;

namespace berth::test {

namespace fs = std::filesystem;

int freeTcpPort() {
    int s = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    if (::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) < 0) {
        ::close(s);
        return 0;
    }
    socklen_t len = sizeof a;
    ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(s);
    return ntohs(a.sin_port);
}

static int connectLoopback(int port) {
    int s = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(uint16_t(port));
    if (::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) < 0) {
        ::close(s);
        return -1;
    }
    timeval tv{30, 0};
    ::setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return s;
}

static bool sendAll(int fd, const char* p, size_t n) {
    while (n > 0) {
        ssize_t w = ::send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        p += w;
        n -= size_t(w);
    }
    return true;
}

bool waitForRegistry(int port, int timeoutMs) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (std::chrono::steady_clock::now() < deadline) {
        int s = connectLoopback(port);
        if (s >= 0) {
            std::string req = "GET /v2/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
            sendAll(s, req.data(), req.size());
            char buf[64];
            ssize_t n = ::recv(s, buf, sizeof buf, 0);
            ::close(s);
            if (n > 8 && std::string_view(buf, 5) == "HTTP/") return true;
        }
        ::usleep(100 * 1000);
    }
    return false;
}

RegistryProcess::RegistryProcess(const fs::path& dir, const std::string& htpasswdLine,
                                 const fs::path& tlsCert, const fs::path& tlsKey, const fs::path& clientCa)
    : m_dir(dir) {
    fs::create_directories(dir / "data");
    m_port = freeTcpPort();
    std::ostringstream cfg;
    cfg << "version: 0.1\n"
        << "log:\n  level: warn\n"
        << "storage:\n  filesystem:\n    rootdirectory: " << (dir / "data").string() << "\n"
        << "  delete:\n    enabled: true\n"
        << "http:\n  addr: 127.0.0.1:" << m_port << "\n";
    if (!tlsCert.empty())
        cfg << "  tls:\n    certificate: " << tlsCert.string() << "\n    key: " << tlsKey.string() << "\n";
    if (!tlsCert.empty() && !clientCa.empty())
        cfg << "    clientcas:\n      - " << clientCa.string() << "\n";
    if (!htpasswdLine.empty()) {
        std::ofstream(dir / "htpasswd") << htpasswdLine << "\n";
        cfg << "auth:\n  htpasswd:\n    realm: berth-test\n    path: " << (dir / "htpasswd").string() << "\n";
    }
    std::ofstream(dir / "config.yml") << cfg.str();
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    std::string logPath = (dir / "registry.log").string();
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, logPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    std::string cfgPath = (dir / "config.yml").string();
    std::vector<char*> argv{const_cast<char*>("docker-registry"), const_cast<char*>("serve"),
                            cfgPath.data(), nullptr};
    int rc = ::posix_spawnp(&m_pid, "docker-registry", &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        m_pid = -1;
        return;
    }
    m_ready = waitForRegistry(m_port, 15000);
}

bool makeTestCertificates(const fs::path& dir, std::string* error) {
    fs::create_directories(dir);
    std::ofstream(dir / "server.ext") << "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                                         "basicConstraints=CA:FALSE\n"
                                         "keyUsage=digitalSignature,keyEncipherment\n"
                                         "extendedKeyUsage=serverAuth\n";
    std::ofstream(dir / "client.ext") << "basicConstraints=CA:FALSE\n"
                                         "keyUsage=digitalSignature\n"
                                         "extendedKeyUsage=clientAuth\n";
    auto d = [&](const char* f) { return (dir / f).string(); };
    std::vector<std::vector<std::string>> steps{
        {"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", d("ca.key"), "-out", d("ca.crt"), "-days", "2", "-subj", "/CN=Berth test CA"},
        {"openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
         d("server.key"), "-out", d("server.csr"), "-subj", "/CN=localhost"},
        {"openssl", "x509", "-req", "-in", d("server.csr"), "-CA", d("ca.crt"), "-CAkey", d("ca.key"),
         "-CAcreateserial", "-out", d("server.crt"), "-days", "2", "-extfile", d("server.ext")},
        {"openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
         d("client.key"), "-out", d("client.csr"), "-subj", "/CN=berth test client"},
        {"openssl", "x509", "-req", "-in", d("client.csr"), "-CA", d("ca.crt"), "-CAkey", d("ca.key"),
         "-CAcreateserial", "-out", d("client.cert"), "-days", "2", "-extfile", d("client.ext")},
    };
    for (auto& argv : steps) {
        std::vector<char*> args;
        for (auto& a : argv) args.push_back(a.data());
        args.push_back(nullptr);
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        std::string log = d("openssl.log");
        posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        posix_spawn_file_actions_adddup2(&fa, 1, 2);
        pid_t pid = -1;
        int rc = ::posix_spawnp(&pid, "openssl", &fa, nullptr, args.data(), environ);
        posix_spawn_file_actions_destroy(&fa);
        int status = 0;
        if (rc == 0) ::waitpid(pid, &status, 0);
        if (rc != 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            std::ifstream in(log);
            std::stringstream ss;
            ss << in.rdbuf();
            *error = "openssl " + argv[1] + " failed: " + ss.str();
            return false;
        }
    }
    return true;
}

RegistryProcess::~RegistryProcess() {
    if (m_pid > 0) {
        ::kill(m_pid, SIGTERM);
        int status = 0;
        for (int i = 0; i < 50; ++i) {
            if (::waitpid(m_pid, &status, WNOHANG) == m_pid) return;
            ::usleep(100 * 1000);
        }
        ::kill(m_pid, SIGKILL);
        ::waitpid(m_pid, &status, 0);
    }
}

std::string RegistryProcess::log() const {
    std::ifstream in(m_dir / "registry.log");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// ---- FaultProxy

FaultProxy::FaultProxy(int upstreamPort) : m_upstream(upstreamPort) {
    m_listen = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    ::setsockopt(m_listen, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(m_listen, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(m_listen, 64);
    socklen_t len = sizeof a;
    ::getsockname(m_listen, reinterpret_cast<sockaddr*>(&a), &len);
    m_port = ntohs(a.sin_port);
    m_thread = std::thread([this] { acceptLoop(); });
}

FaultProxy::~FaultProxy() {
    m_stop = true;
    m_thread.join();
    ::close(m_listen);
    std::lock_guard lock(m_mutex);
    for (auto& w : m_workers) w.join();
}

void FaultProxy::acceptLoop() {
    while (!m_stop) {
        pollfd p{m_listen, POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0) continue;
        int c = ::accept4(m_listen, nullptr, nullptr, SOCK_CLOEXEC);
        if (c < 0) continue;
        timeval tv{30, 0};
        ::setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        std::lock_guard lock(m_mutex);
        m_workers.emplace_back([this, c] { handle(c); });
    }
}

static std::string lower(std::string s) {
    for (auto& ch : s) ch = char(std::tolower((unsigned char)ch));
    return s;
}

// Reads until the end of an HTTP head; `rest` gets bytes read past it.
static bool readHead(int fd, std::string& head, std::string& rest) {
    std::string buf;
    char tmp[16384];
    for (;;) {
        auto end = buf.find("\r\n\r\n");
        if (end != std::string::npos) {
            head = buf.substr(0, end + 4);
            rest = buf.substr(end + 4);
            return true;
        }
        if (buf.size() > 65536) return false;
        ssize_t n = ::recv(fd, tmp, sizeof tmp, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        buf.append(tmp, size_t(n));
    }
}

static long long headerNumber(const std::string& head, const std::string& name) {
    std::string l = lower(head);
    auto pos = l.find("\r\n" + name + ":");
    if (pos == std::string::npos) return -1;
    return std::atoll(head.c_str() + pos + name.size() + 3);
}

void FaultProxy::handle(int client) {
    std::string head, rest;
    if (!readHead(client, head, rest)) {
        ::close(client);
        return;
    }
    std::string firstLine = head.substr(0, head.find("\r\n"));
    bool isGet = firstLine.starts_with("GET ");
    bool isBlob = isGet && firstLine.find("/blobs/sha256:") != std::string::npos;
    bool isManifest = isGet && firstLine.find("/manifests/") != std::string::npos;
    std::string lh = lower(head);
    if (isBlob && lh.find("\r\nrange:") != std::string::npos) ++rangeRequests;

    if (mode == Mode::Throttle && (isBlob || isManifest)) {
        int left = statusCount.fetch_sub(1);
        if (left > 0) {
            int n = statusAnswers++;
            std::string resp = n % 2 == 0 ? "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 1\r\n"
                                          : "HTTP/1.1 503 Service Unavailable\r\n";
            resp += "Content-Length: 0\r\nConnection: close\r\n\r\n";
            sendAll(client, resp.data(), resp.size());
            ::close(client);
            return;
        }
    }

    // One request per connection keeps the bookkeeping simple.
    std::string out;
    std::istringstream lines(head);
    std::string line;
    while (std::getline(lines, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) break;
        if (lower(line).starts_with("connection:")) continue;
        out += line + "\r\n";
    }
    out += "Connection: close\r\n\r\n";
    int up = connectLoopback(m_upstream);
    if (up < 0) {
        ::close(client);
        return;
    }
    sendAll(up, out.data(), out.size());
    long long reqBody = headerNumber(head, "content-length");
    if (!rest.empty()) sendAll(up, rest.data(), rest.size());
    long long sentBody = (long long)rest.size();
    char tmp[65536];
    while (reqBody > 0 && sentBody < reqBody) {
        ssize_t n = ::recv(client, tmp, sizeof tmp, 0);
        if (n <= 0) break;
        sendAll(up, tmp, size_t(n));
        sentBody += n;
    }

    std::string rhead, rbody;
    if (!readHead(up, rhead, rbody)) {
        ::close(up);
        ::close(client);
        return;
    }
    int status = std::atoi(rhead.c_str() + 9);
    long long length = headerNumber(rhead, "content-length");
    // Layer-sized blobs only: the small config blob is fetched outside the parallel
    // downloader and is not what these faults are about.
    bool faultable = isBlob && (status == 200 || status == 206) && length > 4096;
    thread_local std::mt19937_64 rng{std::random_device{}()};
    long long cutAt = -1, flipAt = -1;
    if (faultable && mode == Mode::DropBlobs && int(rng() % 100) < dropPercent)
        cutAt = (long long)(rng() % uint64_t(length));
    if (faultable && mode == Mode::FlipBlobByte) flipAt = (long long)(rng() % uint64_t(length));

    sendAll(client, rhead.data(), rhead.size());
    long long offset = 0;
    auto forward = [&](char* p, size_t n) -> bool {
        if (flipAt >= offset && flipAt < offset + (long long)n) {
            p[flipAt - offset] ^= 0x5a;
            ++flips;
        }
        if (cutAt >= 0 && offset + (long long)n > cutAt) {
            sendAll(client, p, size_t(cutAt - offset));
            ++drops;
            return false;
        }
        offset += (long long)n;
        return sendAll(client, p, n);
    };
    bool go = rbody.empty() || forward(rbody.data(), rbody.size());
    bool slow = isBlob && mode == Mode::Slow;
    while (go) {
        if (slow) ::usleep(20 * 1000);
        ssize_t n = ::recv(up, tmp, slow ? 16384 : sizeof tmp, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        go = forward(tmp, size_t(n));
    }
    ::close(up);
    // A cut is abrupt: reset rather than a clean close.
    if (!go) {
        linger lg{1, 0};
        ::setsockopt(client, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    }
    ::close(client);
}

} // namespace berth::test
