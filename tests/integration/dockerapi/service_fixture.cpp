// The service under test (see service_fixture.h).
#include "service_fixture.h"

#include "fixtures.h"
#include "raw_http.h"

#include <unistd.h>

#include <sstream>
#include <thread>

namespace berth::test {

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
    return s;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string missingDockerTestPrograms() {
    if (dockerClients().empty()) return "no docker CLI: installer/install-deps.sh --with-tests installs docker.io";
    if (!haveBusybox()) return "no /bin/busybox: install busybox-static";
    return {};
}

std::string startServiceOnBusybox(const std::filesystem::path& root, std::unique_ptr<ServiceFixture>& service) {
    std::filesystem::create_directories(root);
    if (importBusybox(root, "busybox:latest").empty()) return "berth import of busybox failed";
    service = std::make_unique<ServiceFixture>(root);
    return service->start();
}

std::vector<DockerClient> dockerClients() {
    std::vector<DockerClient> out;
    if (::access("/usr/local/bin/docker", X_OK) == 0) out.push_back({"docker 28", "/usr/local/bin/docker"});
    if (::access("/usr/bin/docker", X_OK) == 0) out.push_back({"docker 20.10", "/usr/bin/docker"});
    return out;
}

void addDockerClientRows() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("tag");
    int i = 0;
    for (auto& c : dockerClients())
        QTest::newRow(c.name.c_str()) << QString::fromStdString(c.name) << QString::fromStdString(c.path)
                                      << QString::number(i++);
}

DockerClient currentDockerClient() {
    QFETCH(QString, name);
    QFETCH(QString, path);
    return {name.toStdString(), path.toStdString()};
}

ServiceFixture::ServiceFixture(const std::filesystem::path& root, std::vector<std::string> extraArgs)
    : m_root(root), m_socket(root / "api" / "docker.sock"), m_dockerConfig(root / "docker-config"),
      m_extraArgs(std::move(extraArgs)) {
    std::filesystem::create_directories(m_dockerConfig);
}

ServiceFixture::~ServiceFixture() { stop(); }

std::string ServiceFixture::start() {
    QStringList args{"--root", QString::fromStdString(m_root.string()), "system", "service", "--time", "0",
                     "--socket", QString::fromStdString(m_socket.string())};
    for (auto& a : m_extraArgs) args << QString::fromStdString(a);
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.start(QString::fromStdString(builtProgram("berth").string()), args);
    if (!m_process.waitForStarted(10000)) return "berth system service did not start";
    for (int i = 0; i < 300; ++i) {
        if (m_process.state() != QProcess::Running)
            return "berth system service exited: " + m_process.readAll().toStdString();
        RawHttp c(m_socket.string());
        if (c.connected() && c.send(request("GET", "/_ping")) && c.read().status == 200) return {};
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return "berth system service does not answer on " + m_socket.string();
}

void ServiceFixture::stop() {
    if (m_process.state() == QProcess::NotRunning) return;
    m_process.terminate();
    if (!m_process.waitForFinished(30000)) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

bool ServiceFixture::running() const { return m_process.state() == QProcess::Running; }

std::string ServiceFixture::output() const {
    return const_cast<QProcess&>(m_process).readAll().toStdString();
}

RawResponse ServiceFixture::raw(const std::string& method, const std::string& target, const std::string& body,
                                const std::string& extraHeaders) {
    RawHttp c(m_socket.string());
    const std::string headers = !extraHeaders.empty() || body.empty() ? extraHeaders : "Content-Type: application/json\r\n";
    c.send(request(method, target, body, headers));
    return c.read();
}

std::vector<std::string> ServiceFixture::env() const {
    return {"DOCKER_HOST=" + dockerHost(), "DOCKER_CONFIG=" + m_dockerConfig.string()};
}

CommandResult ServiceFixture::docker(const DockerClient& client, const std::vector<std::string>& args, int timeoutMs,
                                     const std::vector<std::string>& extraEnv) {
    std::vector<std::string> argv{client.path};
    argv.insert(argv.end(), args.begin(), args.end());
    auto e = env();
    e.insert(e.end(), extraEnv.begin(), extraEnv.end());
    return runCommand(argv, timeoutMs, e);
}

std::string DockerApiSuite::startOnBusybox(const std::string& sub) {
    if (!m_dir) m_dir = std::make_unique<TempDir>();
    m_root = sub.empty() ? m_dir->path() : m_dir->path() / sub;
    return startServiceOnBusybox(m_root, m_service);
}

void DockerApiSuite::stopAndClean() {
    if (m_service) {
        // berth rm has no -a: every container by id, so a failed test leaves none running
        // (nor a network's bridge that one of them kept).
        std::vector<std::string> rm{"rm", "-f"};
        std::istringstream ids(runBerth(m_root, {"ps", "-a", "-q", "--no-trunc"}).out);
        for (std::string id; ids >> id;) rm.push_back(id);
        if (rm.size() > 2) runBerth(m_root, rm);
    }
    m_service.reset();
}

std::string DockerApiSuite::tag() {
    QFETCH(QString, tag);
    return tag.toStdString();
}

nlohmann::json DockerApiSuite::inspect(const std::string& name) {
    auto r = docker({"inspect", name});
    if (r.exitCode != 0) return nullptr;
    auto j = nlohmann::json::parse(r.out, nullptr, false);
    return j.is_array() && !j.empty() ? j[0] : nlohmann::json();
}

std::string DockerApiSuite::diag(const CommandResult& r) {
    return "exit " + std::to_string(r.exitCode) + "\n" + r.out + r.err;
}

} // namespace berth::test
