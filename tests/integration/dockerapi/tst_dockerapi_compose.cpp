// docker-compose 1.29 (Debian's) against the Docker API: a two-service app written here (a
// busybox httpd serving a file from a named volume, and a client that fetches it by the
// service's name on the project network with wget) goes up with `up -d`, shows in `ps`
// and `logs`, stays as it is on a second `up -d`, survives `stop`/`start` and a one-off
// `run --rm`, and `down -v` leaves nothing: Berth's own CLI finds no container, no project
// network and no named volume of the project afterwards, and no mount under the store.
#include "skip.h"
#include "service_fixture.h"

#include "fixtures.h"

#include <nlohmann/json.hpp>

#include <QtTest/QtTest>

#include <unistd.h>

#include <fstream>

using namespace berth::test;
using nlohmann::json;

namespace {

const char* kComposeFile =
    "version: \"3.7\"\n"
    "services:\n"
    "  web:\n"
    "    image: busybox:latest\n"
    "    command: [\"sh\", \"-c\", \"echo hello-from-web > /www/index.html && exec httpd -f -p 8080 -h /www\"]\n"
    "    volumes:\n"
    "      - site:/www\n"
    "  client:\n"
    "    image: busybox:latest\n"
    "    depends_on: [web]\n"
    "    command: [\"sh\", \"-c\", \"for i in $$(seq 1 300); do wget -q -O - http://web:8080/index.html && exit 0; sleep 0.2; done; exit 1\"]\n"
    "volumes:\n"
    "  site:\n";

} // namespace

class TestDockerApiCompose : public QObject, protected DockerApiSuite {
    Q_OBJECT

    std::unique_ptr<TempDir> m_app;
    std::string m_project;

    CommandResult compose(std::vector<std::string> args, int timeoutMs = 300000) {
        std::vector<std::string> argv{"docker-compose", "-f", (m_app->path() / "docker-compose.yml").string(),
                                      "--project-directory", m_app->path().string(), "-p", m_project, "--ansi", "never"};
        argv.insert(argv.end(), args.begin(), args.end());
        return runCommand(argv, timeoutMs, m_service->env());
    }
    CommandResult berth(const std::vector<std::string>& args) { return runBerth(m_root, args); }
    std::string state(const std::string& container) {
        return trimmed(berth({"inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", container}).out);
    }
    std::string idOf(const std::string& container) {
        return trimmed(berth({"inspect", "-f", "{{.Id}}", container}).out);
    }
    std::vector<std::string> mountsUnderStore() const {
        std::ifstream in("/proc/self/mountinfo");
        std::vector<std::string> out;
        for (std::string line; std::getline(in, line);)
            if (line.find(" " + m_root.string() + "/") != std::string::npos) out.push_back(line);
        return out;
    }

private slots:
    void initTestCase() {
        if (!haveProgram("docker-compose"))
            BERTH_SKIP("no docker-compose: installer/install-deps.sh --with-tests installs it", MissingProgram);
        BERTH_DOCKER_API_SUITE_START();
        m_app = std::make_unique<TempDir>();
        writeFile(m_app->path() / "docker-compose.yml", kComposeFile);
        m_project = "berthcompose" + std::to_string(::getpid());
    }

    void cleanupTestCase() {
        if (m_service && m_app) compose({"down", "-v"});
        stopAndClean();
    }

    void upPsLogs() {
        auto r = compose({"up", "-d"});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        const std::string web = m_project + "_web_1", client = m_project + "_client_1";
        // The client exits 0 once it fetched the page by the name "web".
        auto waited = berth({"wait", client});
        QVERIFY2(waited.exitCode == 0, waited.err.c_str());
        QCOMPARE(trimmed(waited.out), std::string("0"));
        QCOMPARE(state(client), std::string("exited 0"));
        QCOMPARE(state(web), std::string("running 0"));

        r = compose({"ps"});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QVERIFY2(contains(r.out, web) && contains(r.out, "Up"), r.out.c_str());
        QVERIFY2(contains(r.out, client) && contains(r.out, "Exit 0"), r.out.c_str());
        r = compose({"logs", "client"});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QVERIFY2(contains(r.out, "hello-from-web"), r.out.c_str());

        // What compose made, as Berth's own CLI sees it, with compose's labels.
        json net = json::parse(berth({"network", "inspect", m_project + "_default"}).out, nullptr, false);
        QVERIFY2(net.is_array() && net.size() == 1, "no project network");
        QCOMPARE(net[0]["Labels"]["com.docker.compose.project"].get<std::string>(), m_project);
        json vol = json::parse(berth({"volume", "inspect", m_project + "_site"}).out, nullptr, false);
        QVERIFY2(vol.is_array() && vol.size() == 1, "no project volume");
        QCOMPARE(vol[0]["Labels"]["com.docker.compose.project"].get<std::string>(), m_project);
        QCOMPARE(trimmed(berth({"inspect", "-f", "{{index .Config.Labels \"com.docker.compose.service\"}}", web}).out),
                 std::string("web"));
    }

    // A second up recreates nothing; stop/start and a one-off run reuse the project network.
    void upAgainStopStartRun() {
        const std::string web = m_project + "_web_1";
        const std::string id = idOf(web);
        QVERIFY(!id.empty());
        auto r = compose({"up", "-d"});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QVERIFY2(contains(r.err + r.out, "up-to-date"), (r.out + r.err).c_str());
        QCOMPARE(idOf(web), id);

        r = compose({"stop", "-t", "1", "web"});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QVERIFY(state(web).starts_with("exited"));
        r = compose({"start", "web"});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QCOMPARE(state(web), std::string("running 0"));
        QCOMPARE(idOf(web), id);

        r = compose({"run", "--rm", "-T", "client", "sh", "-c",
                     "for i in $(seq 1 300); do wget -q -O - http://web:8080/index.html && exit 0; sleep 0.2; done; exit 1"});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QVERIFY2(contains(r.out, "hello-from-web"), r.out.c_str());
    }

    void downLeavesNothing() {
        auto r = compose({"down", "-v"});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        r = berth({"ps", "-a", "--filter", "label=com.docker.compose.project=" + m_project, "--format", "{{.Names}}"});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(trimmed(r.out), std::string());
        QVERIFY2(!contains(berth({"ps", "-a"}).out, m_project), "a project container is left");
        r = berth({"network", "ls"});
        QVERIFY2(r.exitCode == 0 && !contains(r.out, m_project), r.out.c_str());
        r = berth({"volume", "ls"});
        QVERIFY2(r.exitCode == 0 && !contains(r.out, m_project), r.out.c_str());
        QVERIFY(berth({"network", "inspect", m_project + "_default"}).exitCode != 0);
        QVERIFY(berth({"volume", "inspect", m_project + "_site"}).exitCode != 0);
        const auto mounts = mountsUnderStore();
        QVERIFY2(mounts.empty(), mounts.empty() ? "" : mounts.front().c_str());
        QVERIFY(m_service->running());
    }
};

BERTH_ROOT_TEST_MAIN(TestDockerApiCompose)
#include "tst_dockerapi_compose.moc"
