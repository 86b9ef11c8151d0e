// The raw test client (see raw_http.h).
#include "raw_http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace berth::test {

using Clock = std::chrono::steady_clock;

RawHttp::RawHttp(const std::string& address) {
    if (address.starts_with("tcp://")) {
        std::string rest = address.substr(6);
        size_t colon = rest.rfind(':');
        sockaddr_in in{};
        in.sin_family = AF_INET;
        in.sin_port = htons(uint16_t(std::stoi(rest.substr(colon + 1))));
        ::inet_pton(AF_INET, rest.substr(0, colon).c_str(), &in.sin_addr);
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (::connect(m_fd, reinterpret_cast<sockaddr*>(&in), sizeof in) != 0) {
            ::close(m_fd);
            m_fd = -1;
        }
        return;
    }
    sockaddr_un un{};
    un.sun_family = AF_UNIX;
    std::strncpy(un.sun_path, address.c_str(), sizeof un.sun_path - 1);
    m_fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (::connect(m_fd, reinterpret_cast<sockaddr*>(&un), sizeof un) != 0) {
        ::close(m_fd);
        m_fd = -1;
    }
}

RawHttp::~RawHttp() {
    if (m_fd >= 0) ::close(m_fd);
}

bool RawHttp::send(const std::string& bytes) {
    size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::send(m_fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
        if (n <= 0) return false;
        done += size_t(n);
    }
    return true;
}

void RawHttp::shutdownWrite() { ::shutdown(m_fd, SHUT_WR); }

bool RawHttp::fill(Clock::time_point deadline) {
    if (m_eof || m_fd < 0) return false;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    pollfd p{m_fd, POLLIN, 0};
    if (::poll(&p, 1, int(left)) <= 0) return false;
    char buf[65536];
    ssize_t n = ::recv(m_fd, buf, sizeof buf, 0);
    if (n <= 0) {
        m_eof = true;
        return false;
    }
    m_buf.append(buf, size_t(n));
    return true;
}

std::string RawHttp::take(size_t n) {
    std::string out = m_buf.substr(0, n);
    m_buf.erase(0, n);
    return out;
}

std::string RawHttp::line(Clock::time_point deadline) {
    size_t pos;
    while ((pos = m_buf.find("\r\n")) == std::string::npos)
        if (!fill(deadline)) return {};
    std::string l = take(pos);
    take(2);
    return l;
}

RawResponse RawHttp::readHeader(std::chrono::milliseconds timeout) {
    RawResponse r;
    auto deadline = Clock::now() + timeout;
    std::string status = line(deadline);
    if (status.size() < 12) return r;
    r.headerText = status + "\r\n";
    r.status = std::atoi(status.substr(9, 3).c_str());
    r.reason = status.size() > 13 ? status.substr(13) : "";
    for (;;) {
        std::string h = line(deadline);
        r.headerText += h + "\r\n";
        if (h.empty()) break;
        size_t colon = h.find(':');
        if (colon == std::string::npos) continue;
        std::string name = h.substr(0, colon);
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return char(std::tolower(c)); });
        size_t v = h.find_first_not_of(' ', colon + 1);
        r.headers[name] = v == std::string::npos ? "" : h.substr(v);
    }
    return r;
}

RawResponse RawHttp::read(bool headOnly, std::chrono::milliseconds timeout) {
    auto deadline = Clock::now() + timeout;
    RawResponse r = readHeader(timeout);
    if (r.status == 0 || headOnly || r.status == 204 || r.status == 304 || r.status == 101) return r;
    if (r.headers.contains("content-length")) {
        r.body = readExactly(std::stoul(r.headers["content-length"]), timeout);
    } else if (r.headers["transfer-encoding"] == "chunked") {
        for (;;) {
            std::string size = line(deadline);
            if (size.empty()) break;
            size_t n = std::stoul(size, nullptr, 16);
            if (n == 0) {
                line(deadline);
                break;
            }
            r.body += readExactly(n, timeout);
            line(deadline);
        }
    } else {
        r.body = readToEnd(timeout);
    }
    return r;
}

std::string RawHttp::readSome(size_t n, std::chrono::milliseconds timeout) {
    if (m_buf.empty()) fill(Clock::now() + timeout);
    return take(std::min(n, m_buf.size()));
}

std::string RawHttp::readExactly(size_t n, std::chrono::milliseconds timeout) {
    auto deadline = Clock::now() + timeout;
    while (m_buf.size() < n)
        if (!fill(deadline)) break;
    return take(std::min(n, m_buf.size()));
}

std::string RawHttp::readToEnd(std::chrono::milliseconds timeout) {
    auto deadline = Clock::now() + timeout;
    while (fill(deadline)) {
    }
    return take(m_buf.size());
}

bool RawHttp::closedByPeer(std::chrono::milliseconds timeout) {
    auto deadline = Clock::now() + timeout;
    while (!m_eof && fill(deadline)) {
    }
    return m_eof;
}

std::string request(const std::string& method, const std::string& target, const std::string& body,
                    const std::string& extraHeaders) {
    std::string r = method + " " + target + " HTTP/1.1\r\nHost: docker\r\n" + extraHeaders;
    if (!body.empty() || method == "POST" || method == "PUT")
        r += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
    r += "\r\n" + body;
    return r;
}

} // namespace berth::test
