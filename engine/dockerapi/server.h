#pragma once
// The HTTP server: accepts on the listening sockets, serves each connection on a thread of
// its own (a slow or stuck client holds only its thread, never another client or the
// engine), watches clients that wait for a long answer so that one that goes away cancels
// its wait/stream/pull (its request's stop_token), and returns once no request has been in
// progress for the idle time (`berth system service --time`).

#include "router.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <list>
#include <memory>
#include <mutex>
#include <stop_token>
#include <thread>
#include <vector>

namespace berth::dockerapi {

struct Limits {
    size_t maxHeaderBytes = 256 * 1024;           // request line + headers: 431 above
    size_t maxJsonBody = 16 * 1024 * 1024;        // bodies read whole: 413 above
    uint64_t maxUpload = uint64_t(64) << 30;      // image tarballs (load, import): 413 above
    std::chrono::milliseconds headerTimeout{15000};   // from a request's first byte to its headers' end
    std::chrono::milliseconds keepAliveTimeout{120000};  // an idle connection between requests
    std::chrono::milliseconds bodyTimeout{60000};     // no byte of a body for this long
    std::chrono::milliseconds writeTimeout{120000};   // a client that reads nothing for this long
};

// Requests a connection's stop when its client hangs up (EPOLLRDHUP), while it is watched.
class HangupWatcher {
public:
    HangupWatcher();
    ~HangupWatcher();
    HangupWatcher(const HangupWatcher&) = delete;
    HangupWatcher& operator=(const HangupWatcher&) = delete;

    void watch(int fd, std::stop_source source);
    void unwatch(int fd);

private:
    void loop();

    struct Entry {
        std::stop_source source;
        uint32_t generation = 0;
    };
    int m_epoll = -1;
    int m_wake = -1;
    std::mutex m_mutex;
    std::map<int, Entry> m_watched;
    uint32_t m_generation = 0;
    std::thread m_thread;
};

class Server;

// What the connections share with their server.
struct ServerShared {
    const Router& router;
    Limits limits;
    HangupWatcher watcher;
    std::atomic<bool> stopping{false};
    bool logRequests = false;  // one line per request on stderr: method, target, status, time

    ServerShared(const Router& r, Limits l) : router(r), limits(l) {}
    void busy();
    void idle();
    // The number of requests in progress and when the last one ended.
    std::pair<int, std::chrono::steady_clock::time_point> activity();

    std::mutex mutex;
    int busyRequests = 0;
    std::chrono::steady_clock::time_point lastIdle = std::chrono::steady_clock::now();
    int wakeFd = -1;  // the server's eventfd: written when the last request ends
};

class Server {
public:
    explicit Server(const Router& router, Limits limits = {});
    ~Server();

    void setLogRequests(bool on) { m_shared.logRequests = on; }
    // Work that outlives its request (a detached exec) keeps the service from exiting idle.
    void hold() { m_shared.busy(); }
    void release() { m_shared.idle(); }

    // Takes a listening socket (unix or TCP); it is closed when run() returns.
    void addListener(int fd);
    // Serves until no request has been in progress for `idle` (zero: never) or until
    // `stop` is requested; then closes idle connections and waits for the rest.
    void run(std::chrono::milliseconds idle, std::stop_token stop = {});

private:
    struct Conn {
        int fd = -1;
        std::stop_source stop;
        std::atomic<bool> done{false};
        std::thread thread;
    };
    void accept(int listener);
    void reap(bool all);

    ServerShared m_shared;
    std::vector<int> m_listeners;
    std::list<std::unique_ptr<Conn>> m_conns;
};

// Serves one accepted connection until it closes (connection.cpp).
void serveConnection(int fd, ServerShared& shared, std::stop_source stop);

} // namespace berth::dockerapi
