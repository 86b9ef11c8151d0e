#pragma once
// Test fixtures for the registry tests: Debian's docker-registry started on 127.0.0.1 on a
// free port with its storage in a temp dir (optionally with htpasswd basic auth), and a
// fault-injecting HTTP proxy in front of it that can cut blob downloads at random offsets,
// flip a byte of a blob, or answer 429/503 before passing requests on.

#include <sys/types.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace berth::test {

int freeTcpPort();
// GET http://127.0.0.1:port/v2/ answers (any status) within the timeout.
bool waitForRegistry(int port, int timeoutMs);

class RegistryProcess {
public:
    // Starts docker-registry; `htpasswdLine` (user:bcrypt) enables basic auth; a
    // certificate and key (PEM) make it serve HTTPS only; `clientCa` (with them) makes it
    // require a client certificate signed by that CA (mutual TLS, http.tls.clientcas).
    RegistryProcess(const std::filesystem::path& dir, const std::string& htpasswdLine = {},
                    const std::filesystem::path& tlsCert = {}, const std::filesystem::path& tlsKey = {},
                    const std::filesystem::path& clientCa = {});
    ~RegistryProcess();
    bool ok() const { return m_pid > 0 && m_ready; }
    int port() const { return m_port; }
    std::string host() const { return "127.0.0.1:" + std::to_string(m_port); }
    std::string log() const;

private:
    std::filesystem::path m_dir;
    pid_t m_pid = -1;
    int m_port = 0;
    bool m_ready = false;
};

// A test CA and a server certificate it signed for IP:127.0.0.1 and DNS:localhost, made
// with the openssl CLI in `dir` (ca.crt, server.crt, server.key), and a client certificate
// the CA signed for TLS client auth (client.cert, client.key: docker's certs.d names).
// False with `error` set when openssl fails.
bool makeTestCertificates(const std::filesystem::path& dir, std::string* error);

class FaultProxy {
public:
    enum class Mode {
        Pass,
        DropBlobs,    // cut blob bodies at a random offset (probability dropPercent)
        FlipBlobByte, // flip one byte of every blob body
        Throttle,     // answer the first `statusCount` requests for blobs/manifests with
                      // 429 (Retry-After: 1) then 503, then pass
        Slow,         // pass, but send blob bodies in 16 KiB steps 20 ms apart
    };
    explicit FaultProxy(int upstreamPort);
    ~FaultProxy();
    int port() const { return m_port; }
    std::string host() const { return "127.0.0.1:" + std::to_string(m_port); }

    std::atomic<Mode> mode{Mode::Pass};
    std::atomic<int> dropPercent{60};
    std::atomic<int> statusCount{0};
    std::atomic<int> drops{0};         // connections cut so far
    std::atomic<int> flips{0};
    std::atomic<int> statusAnswers{0};  // 429/503 sent
    std::atomic<int> rangeRequests{0};  // blob GETs that carried a Range header

private:
    void acceptLoop();
    void handle(int client);

    int m_upstream;
    int m_listen = -1;
    int m_port = 0;
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
    std::mutex m_mutex;
    std::vector<std::thread> m_workers;
};

} // namespace berth::test
