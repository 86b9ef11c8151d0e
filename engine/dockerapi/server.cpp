// Accept loop, connection threads, idle exit and the hang-up watch (see server.h).
#include "server.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace berth::dockerapi {

// ---- HangupWatcher --------------------------------------------------------------------

HangupWatcher::HangupWatcher() {
    m_epoll = ::epoll_create1(EPOLL_CLOEXEC);
    m_wake = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = ~uint64_t(0);
    ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_wake, &ev);
    m_thread = std::thread([this] { loop(); });
}

HangupWatcher::~HangupWatcher() {
    uint64_t one = 1;
    (void)!::write(m_wake, &one, sizeof one);
    m_thread.join();
    ::close(m_wake);
    ::close(m_epoll);
}

void HangupWatcher::watch(int fd, std::stop_source source) {
    std::lock_guard lock(m_mutex);
    uint32_t gen = ++m_generation;
    m_watched[fd] = Entry{std::move(source), gen};
    epoll_event ev{};
    // Only the hang-up: bytes the client sends (pipelined or not) are not our business here.
    ev.events = EPOLLRDHUP | EPOLLONESHOT;
    ev.data.u64 = (uint64_t(gen) << 32) | uint32_t(fd);
    if (::epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &ev) != 0) ::epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &ev);
}

void HangupWatcher::unwatch(int fd) {
    std::lock_guard lock(m_mutex);
    m_watched.erase(fd);
    ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
}

void HangupWatcher::loop() {
    epoll_event events[32];
    for (;;) {
        int n = ::epoll_wait(m_epoll, events, 32, -1);
        if (n < 0) {
            if (errno == EINTR) continue;
            return;
        }
        for (int i = 0; i < n; ++i) {
            if (events[i].data.u64 == ~uint64_t(0)) return;
            int fd = int(uint32_t(events[i].data.u64));
            uint32_t gen = uint32_t(events[i].data.u64 >> 32);
            std::lock_guard lock(m_mutex);
            // A stale event (the fd was unwatched, closed and reused meanwhile) has an old
            // generation and is dropped.
            auto it = m_watched.find(fd);
            if (it == m_watched.end() || it->second.generation != gen) continue;
            it->second.source.request_stop();
            m_watched.erase(it);
            ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
        }
    }
}

// ---- ServerShared ------------------------------------------------------------------------

void ServerShared::busy() {
    std::lock_guard lock(mutex);
    ++busyRequests;
}

void ServerShared::idle() {
    std::lock_guard lock(mutex);
    if (--busyRequests == 0) {
        lastIdle = std::chrono::steady_clock::now();
        uint64_t one = 1;
        (void)!::write(wakeFd, &one, sizeof one);
    }
}

std::pair<int, std::chrono::steady_clock::time_point> ServerShared::activity() {
    std::lock_guard lock(mutex);
    return {busyRequests, lastIdle};
}

// ---- Server ------------------------------------------------------------------------------

Server::Server(const Router& router, Limits limits) : m_shared(router, limits) {
    m_shared.wakeFd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
}

Server::~Server() {
    reap(true);
    for (int fd : m_listeners) ::close(fd);
    ::close(m_shared.wakeFd);
}

void Server::addListener(int fd) {
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    m_listeners.push_back(fd);
}

void Server::accept(int listener) {
    for (;;) {
        int fd = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (fd < 0) {
            // EAGAIN: all taken. EMFILE and the like: try again at the next wake-up rather
            // than spin; the client waits in the backlog.
            return;
        }
        auto conn = std::make_unique<Conn>();
        conn->fd = fd;
        Conn* c = conn.get();
        m_shared.busy();  // until its first request is answered (serveConnection)
        c->thread = std::thread([this, c] {
            serveConnection(c->fd, m_shared, c->stop);
            c->done = true;
        });
        m_conns.push_back(std::move(conn));
    }
}

void Server::reap(bool all) {
    for (auto it = m_conns.begin(); it != m_conns.end();) {
        Conn& c = **it;
        if (all && !c.done) {
            // Wake the thread wherever it waits: its socket's reads and writes fail, and a
            // handler waiting on the engine sees its stop_token.
            ::shutdown(c.fd, SHUT_RDWR);
            c.stop.request_stop();
        }
        if (all || c.done) {
            c.thread.join();
            ::close(c.fd);
            it = m_conns.erase(it);
        } else {
            ++it;
        }
    }
}

void Server::run(std::chrono::milliseconds idle, std::stop_token stop) {
    std::stop_callback onStop(stop, [this] {
        uint64_t one = 1;
        (void)!::write(m_shared.wakeFd, &one, sizeof one);
    });
    const auto started = std::chrono::steady_clock::now();
    while (!stop.stop_requested()) {
        auto [busy, lastIdle] = m_shared.activity();
        auto idleSince = std::max(started, lastIdle);
        int timeout = -1;
        if (busy == 0 && idle.count() > 0) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(idle - (std::chrono::steady_clock::now() - idleSince)).count();
            if (left <= 0) break;
            timeout = int(left);
        }
        std::vector<pollfd> fds;
        fds.push_back({m_shared.wakeFd, POLLIN, 0});
        for (int l : m_listeners) fds.push_back({l, POLLIN, 0});
        int r = ::poll(fds.data(), fds.size(), timeout);
        if (r < 0 && errno != EINTR) break;
        if (fds[0].revents) {
            uint64_t v;
            (void)!::read(m_shared.wakeFd, &v, sizeof v);
        }
        for (size_t i = 1; i < fds.size(); ++i)
            if (fds[i].revents & POLLIN) accept(fds[i].fd);
        reap(false);
    }
    m_shared.stopping = true;
    for (int fd : m_listeners) ::close(fd);
    m_listeners.clear();
    reap(true);
}

} // namespace berth::dockerapi
