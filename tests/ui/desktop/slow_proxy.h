#pragma once
// SlowProxy: a TCP forwarder on 127.0.0.1 that passes everything from an upstream port on,
// but sends the answers back at a limited rate, so that a pull through it takes seconds and
// a test can cancel it while layers are still downloading.

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

namespace berth::test {

class SlowProxy {
public:
    SlowProxy(int upstreamPort, int bytesPerSecond);
    ~SlowProxy();
    bool ok() const { return m_port > 0; }
    int port() const { return m_port; }
    std::string host() const { return "127.0.0.1:" + std::to_string(m_port); }

private:
    void acceptLoop();
    void forward(int client);

    int m_upstream;
    int m_rate;
    int m_listen = -1;
    int m_port = 0;
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
    std::mutex m_mutex;
    std::vector<std::thread> m_workers;
};

} // namespace berth::test
