#pragma once
// `berth system service` for the Docker API tests: started on a socket of the test's own
// (with the test's store), stopped with SIGTERM at the end; the real docker clients
// (Debian's docker 20.10 at /usr/bin/docker, docker 28 at /usr/local/bin/docker when the
// machine has it, docker-py, docker-compose) pointed at it with DOCKER_HOST.

#include "test_support.h"

#include <QProcess>

#include <filesystem>
#include <string>
#include <vector>

namespace berth::test {

struct DockerClient {
    std::string name;  // "docker 28" / "docker 20.10"
    std::string path;
};
// The docker CLIs present on this machine.
std::vector<DockerClient> dockerClients();
// QTest data rows, one per docker CLI: columns "name", "path" and "tag" (its index, for
// names that must differ between the rows).
void addDockerClientRows();
// The docker CLI of the current data row.
DockerClient currentDockerClient();

class ServiceFixture {
public:
    explicit ServiceFixture(const std::filesystem::path& root, std::vector<std::string> extraArgs = {});
    ~ServiceFixture();
    ServiceFixture(const ServiceFixture&) = delete;
    ServiceFixture& operator=(const ServiceFixture&) = delete;

    // Starts the service and waits until /_ping answers; "" or the reason it did not.
    std::string start();
    void stop();
    bool running() const;
    long long pid() const { return m_process.processId(); }
    std::string socket() const { return m_socket.string(); }
    std::string dockerHost() const { return "unix://" + m_socket.string(); }
    std::vector<std::string> env() const;  // DOCKER_HOST=…, DOCKER_CONFIG=…
    std::string output() const;            // what the service printed so far

    // A docker CLI against the service.
    CommandResult docker(const DockerClient& client, const std::vector<std::string>& args, int timeoutMs = 120000,
                         const std::vector<std::string>& extraEnv = {});

private:
    std::filesystem::path m_root;
    std::filesystem::path m_socket;
    std::filesystem::path m_dockerConfig;
    std::vector<std::string> m_extraArgs;
    QProcess m_process;
};

} // namespace berth::test
