// One client connection: requests parsed by Boost.Beast with limits and deadlines, routed,
// answered (whole, chunked or hijacked), kept alive between requests.
#include "api_error.h"
#include "server.h"
#include "socket_stream.h"

#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <nlohmann/json.hpp>

#include <linux/sockios.h>
#include <sys/ioctl.h>
#include "berth/version.h"

#include <unistd.h>

#include <cstdio>
#include <limits>
#include <optional>
#include <thread>


namespace berth::dockerapi {

namespace {

namespace beast = boost::beast;
namespace http = beast::http;

// "No limit" as a number: Beast 1.74 compares the length with an empty optional limit
// and always finds it exceeded.
constexpr std::uint64_t kNoLimit = std::numeric_limits<std::uint64_t>::max();

std::string str(beast::string_view s) { return std::string(s.data(), s.size()); }
beast::string_view bsv(std::string_view s) { return beast::string_view(s.data(), s.size()); }

bool containsToken(std::string value, std::string_view token) {
    for (char& c : value) c = char(std::tolower(static_cast<unsigned char>(c)));
    return value.find(token) != std::string::npos;
}

// Waits (a little) until the client has read everything we sent: docker-py reads the 101
// answer through a buffered reader and then reads the raw socket, so output that arrives
// in the same read as the answer would be lost. On a unix socket SIOCOUTQ counts the bytes
// the peer has not read yet; on TCP the bytes it has not acknowledged.
void waitUntilRead(int fd) {
    auto until = Clock::now() + std::chrono::seconds(2);
    auto pause = std::chrono::microseconds(50);
    for (;;) {
        int queued = 0;
        if (::ioctl(fd, SIOCOUTQ, &queued) != 0 || queued <= 0 || Clock::now() > until) return;
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, std::chrono::microseconds(2000));
    }
}

// An answer sent before the client finished its upload (a 413 once it passed the limit):
// the answer's end is signalled (write half closed) and what the client still sends is read
// and dropped for a short while, so that it reads the answer instead of failing its write
// with a broken pipe (docker load would then say only that). Then the connection closes.
void lingerAfterEarlyAnswer(int fd) {
    ::shutdown(fd, SHUT_WR);
    const auto until = Clock::now() + std::chrono::seconds(2);
    char sink[64 * 1024];
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count();
        if (left <= 0) return;
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, int(left)) <= 0) return;
        if (::recv(fd, sink, sizeof sink, 0) <= 0) return;  // the client closed (it has the answer)
    }
}

// A streaming route's request body, read as the handler asks for it.
class StreamedBody final : public BodySource {
public:
    StreamedBody(SocketStream& stream, beast::flat_buffer& buffer, http::request_parser<http::buffer_body>& parser,
                 std::chrono::milliseconds idle)
        : m_stream(stream), m_buffer(buffer), m_parser(parser), m_idle(idle) {}

    size_t read(char* buf, size_t size) override {
        while (!m_parser.is_done()) {
            m_parser.get().body().data = buf;
            m_parser.get().body().size = size;
            m_stream.setReadDeadline(Clock::now() + m_idle);
            beast::error_code ec;
            http::read_some(m_stream, m_buffer, m_parser, ec);
            if (ec == http::error::need_buffer) ec = {};
            if (ec == beast::error::timeout) throw ApiError(400, "the client stopped sending the request body");
            if (ec) throw ApiError(400, "reading the request body: " + ec.message());
            size_t n = size - m_parser.get().body().size;
            if (n > 0) return n;
        }
        return 0;
    }

private:
    SocketStream& m_stream;
    beast::flat_buffer& m_buffer;
    http::request_parser<http::buffer_body>& m_parser;
    std::chrono::milliseconds m_idle;
};

class RawConnection final : public RawStream {
public:
    RawConnection(int fd, std::string pending) : m_fd(fd), m_pending(std::move(pending)) {}

    int fd() const override { return m_fd; }
    bool hasPending() const override { return !m_pending.empty(); }

    long read(char* buf, size_t size) override {
        if (!m_pending.empty()) {
            size_t n = std::min(size, m_pending.size());
            std::memcpy(buf, m_pending.data(), n);
            m_pending.erase(0, n);
            return long(n);
        }
        for (;;) {
            ssize_t r = ::recv(m_fd, buf, size, 0);
            if (r >= 0) return long(r);
            if (errno == EINTR) continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK) return -1;
            pollfd p{m_fd, POLLIN, 0};
            if (::poll(&p, 1, -1) < 0 && errno != EINTR) return -1;
        }
    }

    bool write(std::string_view data) override {
        while (!data.empty()) {
            ssize_t r = ::send(m_fd, data.data(), data.size(), MSG_NOSIGNAL);
            if (r > 0) {
                data.remove_prefix(size_t(r));
                continue;
            }
            if (r < 0 && errno == EINTR) continue;
            if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                pollfd p{m_fd, POLLOUT, 0};
                if (::poll(&p, 1, -1) < 0 && errno != EINTR) return false;
                if (p.revents & (POLLERR | POLLHUP)) return false;
                continue;
            }
            return false;
        }
        return true;
    }

    void closeWrite() override { ::shutdown(m_fd, SHUT_WR); }

private:
    int m_fd;
    std::string m_pending;
};

class Connection final : public Response, public ChunkSink {
public:
    Connection(int fd, ServerShared& shared, std::stop_source stop)
        : m_fd(fd), m_shared(shared), m_stop(std::move(stop)), m_stream(fd) {}
    ~Connection() override { setBusy(false); }

    void serve() {
        bool first = true;
        while (!m_shared.stopping) {
            if (!first) {
                setBusy(false);
                if (!waitForRequest()) break;
                setBusy(true);
            }
            first = false;
            if (!exchange()) break;
        }
        setBusy(false);
    }

    // Response
    void send(int status, std::string_view contentType, std::string_view body, const std::vector<Header>& extra) override;
    ChunkSink& stream(int status, std::string_view contentType, const std::vector<Header>& extra) override;
    RawStream& hijack(std::string_view contentType) override;
    bool started() const override { return m_started; }

    // ChunkSink
    bool write(std::string_view data) override {
        if (m_broken) return false;
        if (data.empty()) return true;
        m_stream.setWriteDeadline(Clock::now() + m_shared.limits.writeTimeout);
        beast::error_code ec;
        net::write(m_stream, http::make_chunk(net::const_buffer(data.data(), data.size())), ec);
        if (ec) m_broken = true;
        return !ec;
    }

private:
    void setBusy(bool busy) {
        if (busy == m_busy) return;
        m_busy = busy;
        if (busy) m_shared.busy();
        else m_shared.idle();
    }

    // Between requests: the next one's first byte, or the end of the keep-alive time.
    bool waitForRequest() {
        if (m_buffer.size() > 0) return true;
        pollfd p{m_fd, POLLIN, 0};
        int timeout = int(m_shared.limits.keepAliveTimeout.count());
        for (;;) {
            int r = ::poll(&p, 1, timeout);
            if (r < 0 && errno == EINTR) continue;
            return r > 0 && (p.revents & POLLIN) && !m_shared.stopping;
        }
    }

    template <class Message>
    void commonHeaders(Message& m) {
        m.set(http::field::server, "Berth/" + std::string(berthVersion()) + " (linux)");
        m.set("Api-Version", bsv(kApiVersion));
        m.set("Ostype", "linux");
        m.set("Docker-Experimental", "false");
    }

    // The header of `m` only (a chunked answer's, a hijack's, a HEAD's); the body follows
    // by other means or not at all.
    template <class Body>
    bool writeHeaderOf(http::response<Body>& m) {
        http::response_serializer<Body> sr{m};
        m_started = true;
        m_status = m.result_int();
        m_stream.setWriteDeadline(Clock::now() + m_shared.limits.writeTimeout);
        beast::error_code ec;
        http::write_header(m_stream, sr, ec);
        if (ec) m_broken = true;
        return !ec;
    }

    template <class Message>
    bool writeMessage(Message& m) {
        m_started = true;
        m_status = m.result_int();
        m_stream.setWriteDeadline(Clock::now() + m_shared.limits.writeTimeout);
        beast::error_code ec;
        http::write(m_stream, m, ec);
        if (ec) m_broken = true;
        return !ec;
    }

    void sendError(int status, const std::string& message) {
        send(status, "application/json", nlohmann::json{{"message", message}}.dump() + "\n", {});
    }

    bool exchange();
    bool readBody(http::request_parser<http::empty_body>& header, const Route& route, Request& req,
                  std::optional<http::request_parser<http::string_body>>& whole,
                  std::optional<http::request_parser<http::buffer_body>>& streamed,
                  std::optional<StreamedBody>& source);
    void dispatch(const Route& route, Request& req);

    int m_fd;
    ServerShared& m_shared;
    std::stop_source m_stop;
    SocketStream m_stream;
    beast::flat_buffer m_buffer;
    bool m_busy = true;  // the server counted the connection busy at accept

    // The exchange in progress.
    unsigned m_version = 11;
    bool m_head = false;
    bool m_keepAlive = true;
    bool m_started = false;
    bool m_chunked = false;
    bool m_broken = false;
    bool m_upgrade = false;
    unsigned m_status = 0;
    std::optional<RawConnection> m_raw;
};

void Connection::send(int status, std::string_view contentType, std::string_view body,
                      const std::vector<Header>& extra) {
    if (m_started) return;
    http::response<http::string_body> res{http::int_to_status(unsigned(status)), m_version};
    commonHeaders(res);
    if (!contentType.empty()) res.set(http::field::content_type, bsv(contentType));
    for (const Header& h : extra) res.set(bsv(h.name), bsv(h.value));
    res.keep_alive(m_keepAlive);
    if (status == 204 || status == 304) {
        writeMessage(res);
        return;
    }
    res.content_length(body.size());
    if (!m_head) res.body() = std::string(body);
    if (m_head) {
        writeHeaderOf(res);  // the header a GET would have, no body
        return;
    }
    writeMessage(res);
}

ChunkSink& Connection::stream(int status, std::string_view contentType, const std::vector<Header>& extra) {
    if (m_started) throw ApiError(500, "response already started");
    http::response<http::empty_body> res{http::int_to_status(unsigned(status)), m_version};
    commonHeaders(res);
    if (!contentType.empty()) res.set(http::field::content_type, bsv(contentType));
    for (const Header& h : extra) res.set(bsv(h.name), bsv(h.value));
    res.keep_alive(m_keepAlive);
    res.chunked(true);
    m_chunked = true;
    writeHeaderOf(res);
    return *this;
}

RawStream& Connection::hijack(std::string_view contentType) {
    if (m_started) throw ApiError(500, "response already started");
    // From here the stream is the client's stdin: its half-close is not a hang-up.
    m_shared.watcher.unwatch(m_fd);
    http::response<http::empty_body> res{m_upgrade ? http::status::switching_protocols : http::status::ok, m_version};
    if (m_upgrade) {
        res.reason("UPGRADED");
        res.set(http::field::connection, "Upgrade");
        res.set(http::field::upgrade, "tcp");
    }
    res.set(http::field::content_type, bsv(contentType));
    m_keepAlive = false;
    if (writeHeaderOf(res)) waitUntilRead(m_fd);
    std::string pending(static_cast<const char*>(m_buffer.data().data()), m_buffer.size());
    m_buffer.consume(m_buffer.size());
    m_raw.emplace(m_fd, std::move(pending));
    return *m_raw;
}

void Connection::dispatch(const Route& route, Request& req) {
    std::stop_source stop;
    std::stop_callback linked(m_stop.get_token(), [&stop] { stop.request_stop(); });
    req.stop = stop.get_token();
    m_shared.watcher.watch(m_fd, stop);
    try {
        route.handler(req, *this);
    } catch (const ApiError& e) {
        if (!m_started) sendError(e.status, e.message);
        else m_keepAlive = false;
    } catch (const nlohmann::json::exception& e) {
        // A field of the wrong type in a request body ("Cmd": 5): the client's mistake.
        if (!m_started) sendError(400, std::string("invalid JSON: ") + e.what());
        else m_keepAlive = false;
    } catch (const std::exception& e) {
        if (!m_started) sendError(500, e.what());
        else m_keepAlive = false;
    }
    m_shared.watcher.unwatch(m_fd);
    if (!m_started) sendError(500, "the handler sent no answer");
    if (m_chunked && !m_broken) {
        m_stream.setWriteDeadline(Clock::now() + m_shared.limits.writeTimeout);
        beast::error_code ec;
        net::write(m_stream, http::make_chunk_last(), ec);
        if (ec) m_broken = true;
    }
}

bool Connection::readBody(http::request_parser<http::empty_body>& header, const Route& route, Request& req,
                          std::optional<http::request_parser<http::string_body>>& whole,
                          std::optional<http::request_parser<http::buffer_body>>& streamed,
                          std::optional<StreamedBody>& source) {
    const auto& limits = m_shared.limits;
    if (!route.options.streamsBody) {
        if (header.content_length() && *header.content_length() > limits.maxJsonBody) {
            m_keepAlive = false;
            sendError(413, "request body too large: the limit is " + std::to_string(limits.maxJsonBody) + " bytes");
            return false;
        }
    }
    if (containsToken(str(header.get()[http::field::expect]), "100-continue")) {
        static constexpr std::string_view cont = "HTTP/1.1 100 Continue\r\n\r\n";
        m_stream.setWriteDeadline(Clock::now() + limits.writeTimeout);
        beast::error_code ec;
        net::write(m_stream, net::const_buffer(cont.data(), cont.size()), ec);
        if (ec) return false;
    }
    if (route.options.streamsBody) {
        streamed.emplace(std::move(header));
        streamed->body_limit(kNoLimit);
        source.emplace(m_stream, m_buffer, *streamed, limits.bodyTimeout);
        req.bodySource = &*source;
        req.maxUpload = limits.maxUpload;
        return true;
    }
    whole.emplace(std::move(header));
    whole->body_limit(limits.maxJsonBody);
    m_stream.setReadDeadline(Clock::now() + limits.bodyTimeout);
    beast::error_code ec;
    http::read(m_stream, m_buffer, *whole, ec);
    if (ec == http::error::body_limit) {
        m_keepAlive = false;
        sendError(413, "request body too large: the limit is " + std::to_string(limits.maxJsonBody) + " bytes");
        return false;
    }
    if (ec) {
        m_keepAlive = false;
        if (ec == beast::error::timeout) sendError(408, "timed out reading the request body");
        else if (ec != http::error::end_of_stream && ec != http::error::partial_message)
            sendError(400, "malformed request body: " + ec.message());
        return false;
    }
    req.body = std::move(whole->get().body());
    return true;
}

bool Connection::exchange() {
    const auto& limits = m_shared.limits;
    m_version = 11;
    m_head = false;
    m_keepAlive = true;
    m_started = m_chunked = m_broken = m_upgrade = false;
    m_status = 0;

    http::request_parser<http::empty_body> header;
    header.header_limit(std::uint32_t(limits.maxHeaderBytes));
    header.body_limit(kNoLimit);
    m_stream.setReadDeadline(Clock::now() + limits.headerTimeout);
    beast::error_code ec;
    http::read_header(m_stream, m_buffer, header, ec);
    if (ec == http::error::end_of_stream) return false;
    if (ec) {
        m_keepAlive = false;
        if (ec == beast::error::timeout) sendError(408, "timed out reading the request line and headers");
        else if (ec == http::error::body_limit)
            sendError(413, "request body too large");
        else if (ec == http::error::header_limit)
            sendError(431, "request headers too large: the limit is " + std::to_string(limits.maxHeaderBytes) + " bytes");
        else if (ec != http::error::partial_message) sendError(400, "malformed HTTP request: " + ec.message());
        return false;
    }
    auto& msg = header.get();
    m_version = msg.version();
    m_keepAlive = msg.keep_alive();
    m_head = msg.method() == http::verb::head;
    m_upgrade = !msg[http::field::upgrade].empty() && containsToken(str(msg[http::field::connection]), "upgrade");

    Request req;
    req.method = str(msg.method_string());
    std::string target = str(msg.target());
    size_t q = target.find('?');
    RouteMatch match = m_shared.router.match(req.method, std::string_view(target).substr(0, q));
    bool hasBody = header.chunked() || (header.content_length() && *header.content_length() > 0);
    if (!match.route) {
        if (hasBody) m_keepAlive = false;  // its body is not read
        sendError(match.status, match.message);
        return m_keepAlive && !m_broken;
    }
    auto query = Query::parse(q == std::string::npos ? std::string_view{} : std::string_view(target).substr(q + 1));
    if (!query) {
        if (hasBody) m_keepAlive = false;
        sendError(400, "invalid escape in the query string");
        return m_keepAlive && !m_broken;
    }
    req.query = std::move(*query);
    req.path = std::move(match.path);
    req.apiVersion = std::move(match.apiVersion);
    req.params = std::move(match.params);
    for (const auto& f : msg) req.headers.push_back({str(f.name_string()), str(f.value())});

    std::optional<http::request_parser<http::string_body>> whole;
    std::optional<http::request_parser<http::buffer_body>> streamed;
    std::optional<StreamedBody> source;
    if (!readBody(header, *match.route, req, whole, streamed, source)) return false;
    auto began = Clock::now();
    dispatch(*match.route, req);
    if (m_shared.logRequests) {
        auto ms = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - began).count() / 1000.0;
        std::fprintf(stderr, "%s %s %u %.1fms\n", req.method.c_str(), target.c_str(), m_status, ms);
    }
    if (m_raw) return false;  // hijacked: closed when the handler is done
    if (streamed && !streamed->is_done()) {  // the handler left some body unread
        m_keepAlive = false;
        if (!m_broken && m_status >= 400) lingerAfterEarlyAnswer(m_fd);
    }
    return m_keepAlive && !m_broken;
}

} // namespace

void serveConnection(int fd, ServerShared& shared, std::stop_source stop) {
    try {
        Connection c(fd, shared, std::move(stop));
        c.serve();
    } catch (const std::exception&) {
        // Nothing more can be said to this client.
    }
    // The client sees the end at once; the fd itself is closed by the server's reaper.
    ::shutdown(fd, SHUT_RDWR);
}

} // namespace berth::dockerapi
