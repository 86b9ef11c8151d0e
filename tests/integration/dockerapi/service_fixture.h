#pragma once
// `berth system service` for the Docker API tests: started on a socket of the test's own
// (with the test's store), stopped with SIGTERM at the end; the real docker clients
// (Debian's docker 20.10 at /usr/bin/docker, docker 28 at /usr/local/bin/docker when the
// machine has it, docker-py, docker-compose) pointed at it with DOCKER_HOST.

#include "raw_http.h"
#include "test_support.h"

#include <nlohmann/json.hpp>

#include <QProcess>

#include <filesystem>
#include <memory>
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

// Output without its trailing newlines and spaces.
std::string trimmed(std::string s);
bool contains(const std::string& text, const std::string& part);

// What every Docker API suite needs on this machine (a docker CLI, busybox): "" or what is
// missing, for the suite's skip.
std::string missingDockerTestPrograms();

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

    // A raw request (Content-Type: application/json when it has a body and no other
    // headers are given) and its answer.
    RawResponse raw(const std::string& method, const std::string& target, const std::string& body = {},
                    const std::string& extraHeaders = {});

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

// busybox:latest imported into the store at `root`, then the service started on it:
// "" or why not.
std::string startServiceOnBusybox(const std::filesystem::path& root, std::unique_ptr<ServiceFixture>& service);

// What every Docker API suite has: its store, the service on it, and the docker CLI and
// tag of the current data row. A suite derives from QObject and this.
class DockerApiSuite {
protected:
    std::unique_ptr<TempDir> m_dir;
    std::filesystem::path m_root;  // the store
    std::unique_ptr<ServiceFixture> m_service;

    // The current data row's docker CLI against the service.
    CommandResult docker(const std::vector<std::string>& args, int timeoutMs = 180000) {
        return m_service->docker(currentDockerClient(), args, timeoutMs);
    }
    RawResponse raw(const std::string& method, const std::string& target, const std::string& body = {},
                    const std::string& headers = {}) {
        return m_service->raw(method, target, body, headers);
    }
    // A new store with busybox:latest in m_dir (under `sub` when given) and the service on
    // it: "" or why not.
    std::string startOnBusybox(const std::string& sub = {});
    // Every container of the store removed, the service stopped.
    void stopAndClean();
    // The data rows of a test that runs once per docker CLI (its _data function).
    static void addClientRows() { addDockerClientRows(); }
    // The current data row's tag ("0", "1"): names that must differ between the rows.
    static std::string tag();
    // `base` made this row's own ("web-0").
    static std::string named(const char* base) { return std::string(base) + "-" + tag(); }
    // docker inspect's object for `name` through the current row's CLI; null when it fails.
    nlohmann::json inspect(const std::string& name);
    static std::string diag(const CommandResult& r);
};

// The initTestCase of a Docker API suite (a DockerApiSuite): skipped without a docker CLI
// or busybox, else a store with busybox and the service on it.
#define BERTH_DOCKER_API_SUITE_START()                                                     \
    do {                                                                                   \
        if (auto missing = ::berth::test::missingDockerTestPrograms(); !missing.empty())   \
            BERTH_SKIP(missing, MissingProgram);                                           \
        const std::string startError = startOnBusybox();                                   \
        QVERIFY2(startError.empty(), startError.c_str());                                  \
    } while (0)

} // namespace berth::test
