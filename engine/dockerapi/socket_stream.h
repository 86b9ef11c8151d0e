#pragma once
// A Beast SyncReadStream/SyncWriteStream over a non-blocking socket, with deadlines: every
// read waits with poll() until its deadline (a request line or headers that never end, a
// body that stops coming), every write until its own (a client that reads nothing). Beast
// parses and serialises HTTP over it; we keep the file descriptor, which the hijacked
// attach/exec streams and the hang-up watch need. Included by connection.cpp only.

#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/stream_traits.hpp>

#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <cerrno>
#include <chrono>

namespace berth::dockerapi {

namespace net = boost::asio;
using Clock = std::chrono::steady_clock;

class SocketStream {
public:
    explicit SocketStream(int fd) : m_fd(fd) {}

    int fd() const { return m_fd; }
    void setReadDeadline(Clock::time_point t) { m_readDeadline = t; }
    void setWriteDeadline(Clock::time_point t) { m_writeDeadline = t; }

    template <class Buffers>
    std::size_t read_some(const Buffers& buffers, boost::beast::error_code& ec) {
        iovec iov[16];
        int n = gather<net::mutable_buffer>(buffers, iov);
        ec = {};
        if (n == 0) return 0;
        for (;;) {
            ssize_t r = ::readv(m_fd, iov, n);
            if (r > 0) return std::size_t(r);
            if (r == 0) {
                ec = net::error::eof;
                return 0;
            }
            if (errno == EINTR) continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK) {
                ec = boost::beast::error_code(errno, boost::system::system_category());
                return 0;
            }
            if (!wait(POLLIN, m_readDeadline, ec)) return 0;
        }
    }

    template <class Buffers>
    std::size_t read_some(const Buffers& buffers) {
        boost::beast::error_code ec;
        std::size_t n = read_some(buffers, ec);
        if (ec) throw boost::beast::system_error(ec);
        return n;
    }

    template <class Buffers>
    std::size_t write_some(const Buffers& buffers, boost::beast::error_code& ec) {
        iovec iov[16];
        int n = gather<net::const_buffer>(buffers, iov);
        ec = {};
        if (n == 0) return 0;
        msghdr msg{};
        msg.msg_iov = iov;
        msg.msg_iovlen = std::size_t(n);
        for (;;) {
            // MSG_NOSIGNAL: a client that went away is an error here, not a SIGPIPE.
            ssize_t r = ::sendmsg(m_fd, &msg, MSG_NOSIGNAL);
            if (r >= 0) return std::size_t(r);
            if (errno == EINTR) continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK) {
                ec = boost::beast::error_code(errno, boost::system::system_category());
                return 0;
            }
            if (!wait(POLLOUT, m_writeDeadline, ec)) return 0;
        }
    }

    template <class Buffers>
    std::size_t write_some(const Buffers& buffers) {
        boost::beast::error_code ec;
        std::size_t n = write_some(buffers, ec);
        if (ec) throw boost::beast::system_error(ec);
        return n;
    }

private:
    template <class Buffer, class Buffers>
    static int gather(const Buffers& buffers, iovec (&iov)[16]) {
        int n = 0;
        for (auto it = net::buffer_sequence_begin(buffers); it != net::buffer_sequence_end(buffers) && n < 16; ++it) {
            Buffer b = *it;
            if (b.size() == 0) continue;
            iov[n].iov_base = const_cast<void*>(static_cast<const void*>(b.data()));
            iov[n].iov_len = b.size();
            ++n;
        }
        return n;
    }

    // Waits for `events` until `deadline`; false with ec set on time-out or error.
    bool wait(short events, Clock::time_point deadline, boost::beast::error_code& ec) {
        for (;;) {
            int timeout = -1;
            if (deadline != Clock::time_point::max()) {
                auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
                if (left <= 0) {
                    ec = boost::beast::error::timeout;
                    return false;
                }
                timeout = int(std::min<long long>(left, 1 << 30));
            }
            pollfd p{m_fd, events, 0};
            int r = ::poll(&p, 1, timeout);
            if (r > 0) return true;  // ready, or hung up: the next call says which
            if (r < 0 && errno != EINTR) {
                ec = boost::beast::error_code(errno, boost::system::system_category());
                return false;
            }
        }
    }

    int m_fd;
    Clock::time_point m_readDeadline = Clock::time_point::max();
    Clock::time_point m_writeDeadline = Clock::time_point::max();
};

} // namespace berth::dockerapi
