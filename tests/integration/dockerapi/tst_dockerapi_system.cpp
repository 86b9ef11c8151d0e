// info, system df and events through the Docker API with real clients: docker info
// counts what berth ps counts, docker system df lists the images, containers and volumes
// with their sizes and users, docker events --since/--until replays the journal with
// docker's filters (compose's labels in Actor.Attributes), and docker-py follows events
// live; bad requests get docker's status codes.
#include "skip.h"
#include "raw_http.h"
#include "service_fixture.h"

#include "fixtures.h"

#include <nlohmann/json.hpp>

#include <QtTest/QtTest>

#include <algorithm>
#include <chrono>
#include <sstream>

using namespace berth::test;
using nlohmann::json;

namespace {

std::string unixNow() {
    auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    return std::to_string(ns / 1000000000) + "." + QString::number(ns % 1000000000).rightJustified(9, '0').toStdString();
}

std::vector<json> jsonLines(const std::string& text) {
    std::vector<json> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line))
        if (!trimmed(line).empty()) out.push_back(json::parse(line));
    return out;
}

} // namespace

class TestDockerApiSystem : public QObject, protected DockerApiSuite {
    Q_OBJECT

private slots:
    void initTestCase() { BERTH_DOCKER_API_SUITE_START(); }

    void cleanupTestCase() { stopAndClean(); }

    void infoCountsTheStore_data() { addClientRows(); }
    void infoCountsTheStore() {
        const std::string name = "info-" + tag();
        QCOMPARE(docker({"run", "-d", "--name", name, "busybox", "sleep", "300"}).exitCode, 0);
        auto r = docker({"info", "--format", "{{json .}}"});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).c_str());
        json j = json::parse(r.out);
        const auto all = runBerth(m_dir->path(), {"ps", "-a", "-q"}).out;
        const auto running = runBerth(m_dir->path(), {"ps", "-q"}).out;
        auto lines = [](const std::string& s) { return int64_t(std::count(s.begin(), s.end(), '\n')); };
        QCOMPARE(j["Containers"].get<int64_t>(), lines(all));
        QCOMPARE(j["ContainersRunning"].get<int64_t>(), lines(running));
        QVERIFY(j["ContainersRunning"].get<int64_t>() >= 1);
        QCOMPARE(j["Images"].get<int64_t>(), int64_t(1));
        QCOMPARE(j["OSType"].get<std::string>(), std::string("linux"));
        QCOMPARE(j["DockerRootDir"].get<std::string>(), m_dir->path().string());
        QVERIFY(j["NCPU"].get<int64_t>() >= 1);
        QVERIFY(j["MemTotal"].get<int64_t>() > 0);
        r = docker({"info"});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).c_str());
        QVERIFY2(r.out.find("Server Version:") != std::string::npos, r.out.c_str());
        QCOMPARE(docker({"rm", "-f", name}).exitCode, 0);
    }

    void systemDfListsUsage_data() { addClientRows(); }
    void systemDfListsUsage() {
        const std::string name = "df-" + tag(), volume = "dfvol-" + tag();
        QCOMPARE(docker({"volume", "create", volume}).exitCode, 0);
        auto r = docker({"run", "--name", name, "-v", volume + ":/data", "busybox", "sh", "-c",
                         "head -c 100000 /dev/zero > /data/f; head -c 50000 /dev/zero > /big"});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).c_str());
        r = docker({"system", "df"});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).c_str());
        QVERIFY2(r.out.find("Images") != std::string::npos && r.out.find("Local Volumes") != std::string::npos, r.out.c_str());
        r = docker({"system", "df", "-v"});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).c_str());
        QVERIFY2(r.out.find(name) != std::string::npos && r.out.find(volume) != std::string::npos, r.out.c_str());

        json j = json::parse(raw("GET", "/v1.41/system/df").body);
        bool sawContainer = false, sawVolume = false;
        for (auto& c : j["Containers"])
            if (c["Names"][0] == "/" + name) {
                sawContainer = true;
                QVERIFY2(c["SizeRw"].get<int64_t>() >= 50000, c.dump().c_str());
            }
        for (auto& v : j["Volumes"])
            if (v["Name"] == volume) {
                sawVolume = true;
                QVERIFY2(v["UsageData"]["Size"].get<int64_t>() >= 100000, v.dump().c_str());
                QCOMPARE(v["UsageData"]["RefCount"].get<int64_t>(), int64_t(1));
            }
        QVERIFY(sawContainer && sawVolume);
        QCOMPARE(j["Images"].size(), size_t(1));
        QVERIFY(j["Images"][0]["Containers"].get<int64_t>() >= 1);
        QVERIFY(j["LayersSize"].get<int64_t>() > 0);
        QCOMPARE(docker({"rm", name}).exitCode, 0);
        QCOMPARE(docker({"volume", "rm", volume}).exitCode, 0);
    }

    // docker events --since/--until: the journal replayed, filtered, with compose's labels.
    void eventsReplayWithFilters_data() { addClientRows(); }
    void eventsReplayWithFilters() {
        const std::string name = "ev-" + tag();
        const std::string since = unixNow();
        auto r = docker({"run", "--name", name, "-l", "com.docker.compose.project=demo", "-l",
                         "com.docker.compose.service=web", "busybox", "sh", "-c", "exit 3"});
        QCOMPARE(r.exitCode, 3);
        QCOMPARE(docker({"rm", name}).exitCode, 0);
        const std::string until = unixNow();
        r = docker({"events", "--since", since, "--until", until, "--filter", "container=" + name, "--format", "{{json .}}"});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).c_str());
        std::vector<std::string> actions;
        for (const json& e : jsonLines(r.out)) {
            actions.push_back(e["Action"].get<std::string>());
            QCOMPARE(e["Actor"]["Attributes"]["com.docker.compose.project"].get<std::string>(), std::string("demo"));
            QCOMPARE(e["Actor"]["Attributes"]["name"].get<std::string>(), name);
        }
        for (const char* want : {"create", "start", "die", "destroy"})
            QVERIFY2(std::find(actions.begin(), actions.end(), want) != actions.end(), r.out.c_str());
        // Label and event filters together: this container's one death, with its exit code.
        r = docker({"events", "--since", since, "--until", until, "--filter", "label=com.docker.compose.service=web",
                    "--filter", "event=die", "--format", "{{json .}}"});
        auto dies = jsonLines(r.out);
        QCOMPARE(dies.size(), size_t(1));
        QCOMPARE(dies[0]["Actor"]["Attributes"]["exitCode"].get<std::string>(), std::string("3"));
        // A label nobody has: nothing.
        r = docker({"events", "--since", since, "--until", until, "--filter", "label=com.docker.compose.project=other"});
        QVERIFY2(r.exitCode == 0 && trimmed(r.out).empty(), r.out.c_str());
    }

    void dockerPyFollowsEvents() {
        if (runCommand({"python3", "-c", "import docker"}).exitCode != 0) BERTH_SKIP("python3-docker is not installed", MissingProgram);
        std::string script = sourceFile("tests/integration/dockerapi/docker_py_events.py").string();
        auto r = runCommand({"python3", script}, 300000, m_service->env());
        QVERIFY2(r.exitCode == 0, (r.out + r.err).c_str());
        QVERIFY2(r.out.find("all: ok") != std::string::npos, r.out.c_str());
    }

    void badRequestsGetDockersCodes() {
        QCOMPARE(raw("GET", "/v1.41/events?filters=%7B%22colour%22%3A%5B%22x%22%5D%7D").status, 400);
        QCOMPARE(raw("GET", "/v1.41/events?since=yesterday").status, 400);
        QCOMPARE(raw("GET", "/v1.41/events?until=1.2.3").status, 400);
        QCOMPARE(raw("GET", "/v1.41/events?filters=%5B1%5D").status, 400);
        QCOMPARE(raw("GET", "/v1.44/system/df?type=everything").status, 400);
        // A finished window answers at once, even with no event in it.
        auto r = raw("GET", "/v1.41/events?since=1&until=2");
        QCOMPARE(r.status, 200);
        QCOMPARE(trimmed(r.body), std::string());
        QCOMPARE(raw("GET", "/v1.41/info").status, 200);
        QVERIFY(m_service->running());
        QCOMPARE(raw("GET", "/_ping").body, std::string("OK"));
    }
};

BERTH_ROOT_TEST_MAIN(TestDockerApiSystem)
#include "tst_dockerapi_system.moc"
