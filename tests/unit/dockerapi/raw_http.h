#pragma once
// A deliberately raw HTTP client for the Docker API tests: it sends exactly the bytes a
// test writes (malformed requests, headers that never end, bodies that lie about their
// size) and reads the answer byte by byte, so a test sees what a client would.

#include <chrono>
#include <map>
#include <string>

namespace berth::test {

struct RawResponse {
    int status = 0;          // 0: no status line before the connection ended
    std::string reason;
    std::map<std::string, std::string> headers;  // names lower-cased
    std::string body;        // chunked bodies decoded
    std::string headerText;  // the status line and headers as received
};

class RawHttp {
public:
    // Connects to a unix socket path, or "tcp://127.0.0.1:PORT".
    explicit RawHttp(const std::string& address);
    ~RawHttp();
    RawHttp(const RawHttp&) = delete;
    RawHttp& operator=(const RawHttp&) = delete;

    bool connected() const { return m_fd >= 0; }
    int fd() const { return m_fd; }
    bool send(const std::string& bytes);
    void shutdownWrite();
    // Reads one response (status line, headers, and a body by Content-Length or chunked;
    // without either, to the end of the connection unless `headOnly`).
    RawResponse read(bool headOnly = false, std::chrono::milliseconds timeout = std::chrono::seconds(30));
    // The response header only (up to the blank line), nothing after it.
    RawResponse readHeader(std::chrono::milliseconds timeout = std::chrono::seconds(30));
    // Up to `n` bytes (fewer at the end); "" at EOF or time-out.
    std::string readSome(size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(30));
    // Exactly `n` bytes unless the connection ends first.
    std::string readExactly(size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(30));
    // Everything until the peer closes.
    std::string readToEnd(std::chrono::milliseconds timeout = std::chrono::seconds(30));
    // True when the peer has closed (a read returns EOF) within the time-out.
    bool closedByPeer(std::chrono::milliseconds timeout = std::chrono::seconds(30));

private:
    bool fill(std::chrono::steady_clock::time_point deadline);
    std::string take(size_t n);
    std::string line(std::chrono::steady_clock::time_point deadline);

    int m_fd = -1;
    std::string m_buf;
    bool m_eof = false;
};

// "GET /x HTTP/1.1\r\nHost: docker\r\n...\r\n\r\n" with a body and its Content-Length.
std::string request(const std::string& method, const std::string& target, const std::string& body = {},
                    const std::string& extraHeaders = {});

} // namespace berth::test
