#include "slow_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>

namespace berth::test {

namespace {

int connectTo(int port) {
    int s = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(uint16_t(port));
    if (::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) < 0) {
        ::close(s);
        return -1;
    }
    return s;
}

bool sendAll(int fd, const char* p, size_t n) {
    while (n > 0) {
        ssize_t w = ::send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        p += w;
        n -= size_t(w);
    }
    return true;
}

} // namespace

SlowProxy::SlowProxy(int upstreamPort, int bytesPerSecond) : m_upstream(upstreamPort), m_rate(bytesPerSecond) {
    m_listen = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(m_listen, reinterpret_cast<sockaddr*>(&a), sizeof a) < 0 || ::listen(m_listen, 16) < 0) return;
    socklen_t len = sizeof a;
    ::getsockname(m_listen, reinterpret_cast<sockaddr*>(&a), &len);
    m_port = ntohs(a.sin_port);
    m_thread = std::thread([this] { acceptLoop(); });
}

SlowProxy::~SlowProxy() {
    m_stop = true;
    if (m_thread.joinable()) m_thread.join();
    std::lock_guard lock(m_mutex);
    for (auto& t : m_workers) t.join();
    if (m_listen >= 0) ::close(m_listen);
}

void SlowProxy::acceptLoop() {
    while (!m_stop) {
        pollfd p{m_listen, POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0) continue;
        int c = ::accept4(m_listen, nullptr, nullptr, SOCK_CLOEXEC);
        if (c < 0) continue;
        std::lock_guard lock(m_mutex);
        m_workers.emplace_back([this, c] { forward(c); });
    }
}

// Requests go up as they come; answers come back in slices of rate/20 bytes every 50 ms.
void SlowProxy::forward(int client) {
    int up = connectTo(m_upstream);
    if (up < 0) {
        ::close(client);
        return;
    }
    const size_t slice = size_t(std::max(1, m_rate / 20));
    std::string buf(64 * 1024, '\0');
    while (!m_stop) {
        pollfd fds[2] = {{client, POLLIN, 0}, {up, POLLIN, 0}};
        if (::poll(fds, 2, 100) < 0) break;
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t n = ::recv(client, buf.data(), buf.size(), 0);
            if (n <= 0 || !sendAll(up, buf.data(), size_t(n))) break;
        }
        if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t n = ::recv(up, buf.data(), std::min(slice, buf.size()), 0);
            if (n <= 0 || !sendAll(client, buf.data(), size_t(n))) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }
    ::close(up);
    ::close(client);
}

} // namespace berth::test
