// The docker CLIs against `berth system service`: each test runs with every docker CLI on
// the machine (Debian's 20.10 speaks API 1.41, docker 28 negotiates down to our 1.44).
#include "skip.h"
#include "raw_http.h"
#include "service_fixture.h"

#include <memory>

#include <nlohmann/json.hpp>

#include <QtTest/QtTest>

#include <grp.h>
#include <sys/stat.h>

using namespace berth::test;

class TestDockerApiCli : public QObject {
    Q_OBJECT

    std::unique_ptr<TempDir> m_dir;
    std::unique_ptr<ServiceFixture> m_service;

    void addClientRows() { addDockerClientRows(); }
    DockerClient client() { return currentDockerClient(); }

private slots:
    void initTestCase() {
        if (dockerClients().empty()) BERTH_SKIP("no docker CLI: installer/install-deps.sh --with-tests installs docker.io", MissingProgram);
        m_dir = std::make_unique<TempDir>();
        m_service = std::make_unique<ServiceFixture>(m_dir->path());
        std::string err = m_service->start();
        QVERIFY2(err.empty(), err.c_str());
    }

    void cleanupTestCase() { m_service.reset(); }

    void version_data() { addClientRows(); }
    void version() {
        auto c = client();
        auto r = m_service->docker(c, {"version", "--format", "{{json .Server}}"});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).c_str());
        auto j = nlohmann::json::parse(r.out);
        QCOMPARE(j["ApiVersion"].get<std::string>(), std::string("1.44"));
        QCOMPARE(j["MinAPIVersion"].get<std::string>(), std::string("1.24"));
        QCOMPARE(j["Os"].get<std::string>(), std::string("linux"));
        QCOMPARE(j["Platform"]["Name"].get<std::string>(), std::string("Berth"));
        // The plain output names the server and the API the client settled on.
        auto plain = m_service->docker(c, {"version"});
        QVERIFY2(plain.exitCode == 0, (plain.out + plain.err).c_str());
        QVERIFY2(plain.out.find("Server: Berth") != std::string::npos, plain.out.c_str());
        QVERIFY2(plain.out.find("API version:") != std::string::npos, plain.out.c_str());
    }

    void socketIsPrivateOrTheBerthGroups() {
        struct stat st{};
        QVERIFY(::stat(m_service->socket().c_str(), &st) == 0);
        QVERIFY(S_ISSOCK(st.st_mode));
        if (const group* g = ::getgrnam("berth")) {
            QCOMPARE(st.st_mode & 0777, mode_t(0660));
            QCOMPARE(st.st_gid, g->gr_gid);
        } else {
            QCOMPARE(st.st_mode & 0777, mode_t(0600));
        }
    }

    void onlyLoopbackTcp() {
        TempDir dir;
        auto r = runCommand({builtProgram("berth").string(), "--root", dir.path().string(), "system", "service",
                             "--time", "1", "-H", "tcp://0.0.0.0:1"});
        QCOMPARE(r.exitCode, 125);
        QVERIFY2(r.err.find("only loopback addresses") != std::string::npos, r.err.c_str());
    }

    // systemd's socket activation, by systemd-socket-activate: the service takes the socket
    // it is given (LISTEN_FDS), answers, and exits once idle for --time.
    void socketActivationThenIdleExit() {
        if (!haveProgram("systemd-socket-activate")) BERTH_SKIP("systemd-socket-activate is not installed", MissingProgram);
        TempDir dir;
        std::string sock = (dir.path() / "activated.sock").string();
        QProcess activator;
        activator.setProcessChannelMode(QProcess::MergedChannels);
        activator.start("systemd-socket-activate",
                        {"-l", QString::fromStdString(sock), QString::fromStdString(builtProgram("berth").string()),
                         "--root", QString::fromStdString(dir.path().string()), "system", "service", "--time", "1"});
        QVERIFY(activator.waitForStarted());
        // systemd-socket-activate makes the file before it listens: connect until it accepts
        // (a refused connect never reaches it, so the service still sees one connection).
        std::unique_ptr<RawHttp> c;
        QTRY_VERIFY_WITH_TIMEOUT((c = std::make_unique<RawHttp>(sock))->connected(), 30000);
        c->send(request("GET", "/v1.41/version"));
        auto r = c->read();
        QCOMPARE(r.status, 200);
        QCOMPARE(nlohmann::json::parse(r.body)["ApiVersion"].get<std::string>(), std::string("1.44"));
        // Idle for a second after this answer: the service ends by itself, with status 0.
        QVERIFY2(activator.waitForFinished(60000), activator.readAll().constData());
        QCOMPARE(activator.exitStatus(), QProcess::NormalExit);
        QCOMPARE(activator.exitCode(), 0);
        // It never removes a socket it did not make (systemd owns it).
        QVERIFY(std::filesystem::exists(sock));
    }

    void badInputIsAnsweredAndTheServiceGoesOn() {
        {
            RawHttp c(m_service->socket());
            c.send(request("GET", "/v1.99/version"));
            auto r = c.read();
            QCOMPARE(r.status, 400);
            QCOMPARE(nlohmann::json::parse(r.body)["message"].get<std::string>(),
                     std::string("client version 1.99 is too new. Maximum supported API version is 1.44"));
        }
        {
            RawHttp c(m_service->socket());
            c.send(request("GET", "/v1.41/nothing"));
            auto r = c.read();
            QCOMPARE(r.status, 404);
            QCOMPARE(nlohmann::json::parse(r.body)["message"].get<std::string>(), std::string("page not found"));
        }
        {
            RawHttp c(m_service->socket());
            c.send("NOT HTTP AT ALL\r\n\r\n");
            QCOMPARE(c.read().status, 400);
        }
        QVERIFY(m_service->running());
        RawHttp c(m_service->socket());
        c.send(request("GET", "/_ping"));
        QCOMPARE(c.read().body, std::string("OK"));
    }
};

BERTH_ROOT_TEST_MAIN(TestDockerApiCli)
#include "tst_dockerapi_cli.moc"
