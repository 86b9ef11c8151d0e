// POST /containers/{id}/rename and /update with real clients: each docker CLI renames a
// running container (inspect and ps follow, the old name is free) and updates its memory
// limit, pids limit and restart policy (inspect shows them, and the running container's
// cgroup has the memory limit); the wire answers docker's codes for a missing container
// (404), a taken name (409), an empty or the same name, a restart policy on an
// --rm container and a wrong type (400), and ignores unknown fields.
#include "skip.h"
#include "raw_http.h"
#include "service_fixture.h"

#include <nlohmann/json.hpp>

#include <QtTest/QtTest>

#include <filesystem>
#include <fstream>

using namespace berth::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// memory.max (v2) or memory.limit_in_bytes (v1) of a container's cgroup, "" when not found.
std::string memoryLimitFile(const std::string& id) {
    for (const fs::path& p : {fs::path("/sys/fs/cgroup/berth") / id / "memory.max",
                              fs::path("/sys/fs/cgroup/memory/berth") / id / "memory.limit_in_bytes"}) {
        std::ifstream in(p);
        std::string v;
        if (in >> v) return v;
    }
    return "";
}

} // namespace

class TestDockerApiModify : public QObject, protected DockerApiSuite {
    Q_OBJECT

private slots:
    void initTestCase() { BERTH_DOCKER_API_SUITE_START(); }

    void cleanupTestCase() { stopAndClean(); }

    void renameRunning_data() { addClientRows(); }
    void renameRunning() {
        const std::string before = named("rn-old"), after = named("rn-new");
        auto r = docker({"run", "-d", "--name", before, "busybox", "sleep", "300"});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        const std::string id = trimmed(r.out);
        r = docker({"rename", before, after});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        json j = inspect(after);
        QCOMPARE(j.value("Name", std::string()), "/" + after);
        QCOMPARE(j.value("Id", std::string()), id);
        QCOMPARE(j["State"]["Running"].get<bool>(), true);
        QVERIFY(docker({"inspect", before}).exitCode != 0);
        QCOMPARE(trimmed(docker({"ps", "--filter", "id=" + id, "--format", "{{.Names}}"}).out), after);
        // Taken names and unknown containers: docker's errors through the CLI.
        QCOMPARE(docker({"create", "--name", before, "busybox", "true"}).exitCode, 0);  // the old name is free
        r = docker({"rename", after, before});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(contains(r.err, "is already in use"), r.err.c_str());
        r = docker({"rename", named("rn-nosuch"), named("rn-x")});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(contains(r.err, "No such container") || contains(r.err, "no such container"), r.err.c_str());
        QCOMPARE(docker({"rm", "-f", after, before}).exitCode, 0);
    }

    void updateRunning_data() { addClientRows(); }
    void updateRunning() {
        const std::string c = named("upd");
        auto r = docker({"run", "-d", "--name", c, "busybox", "sleep", "300"});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        const std::string id = trimmed(r.out);
        r = docker({"update", "--memory", "64m", "--memory-swap", "128m", "--pids-limit", "50", "--restart", "always", c});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        json host = inspect(c)["HostConfig"];
        QCOMPARE(host["Memory"].get<int64_t>(), int64_t(64) << 20);
        QCOMPARE(host["MemorySwap"].get<int64_t>(), int64_t(128) << 20);
        QCOMPARE(host["PidsLimit"].get<int64_t>(), int64_t(50));
        QCOMPARE(host["RestartPolicy"]["Name"].get<std::string>(), std::string("always"));
        QCOMPARE(memoryLimitFile(id), std::to_string(int64_t(64) << 20));  // live, in its cgroup
        // Only what is given changes.
        r = docker({"update", "--restart", "on-failure:3", c});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        host = inspect(c)["HostConfig"];
        QCOMPARE(host["Memory"].get<int64_t>(), int64_t(64) << 20);
        QCOMPARE(host["RestartPolicy"]["Name"].get<std::string>(), std::string("on-failure"));
        QCOMPARE(host["RestartPolicy"]["MaximumRetryCount"].get<int>(), 3);
        r = docker({"update", "--memory", "1g", c});  // above the swap limit set before
        QVERIFY(r.exitCode != 0);
        QVERIFY2(contains(r.err, "memoryswap"), r.err.c_str());
        QCOMPARE(inspect(c)["HostConfig"]["Memory"].get<int64_t>(), int64_t(64) << 20);
        QCOMPARE(docker({"rm", "-f", c}).exitCode, 0);
    }

    void wireCodes() {
        QCOMPARE(raw("POST", "/v1.41/containers/create?name=mod-a", R"({"Image": "busybox", "Cmd": ["sleep", "300"]})").status, 201);
        QCOMPARE(raw("POST", "/v1.41/containers/create?name=mod-b", R"({"Image": "busybox", "Cmd": ["true"]})").status, 201);
        QCOMPARE(raw("POST", "/v1.41/containers/create?name=mod-rm",
                     R"({"Image": "busybox", "Cmd": ["true"], "HostConfig": {"AutoRemove": true}})").status, 201);

        QCOMPARE(raw("POST", "/v1.41/containers/no-such/rename?name=x").status, 404);
        QCOMPARE(raw("POST", "/v1.41/containers/mod-a/rename?name=mod-b").status, 409);
        QCOMPARE(raw("POST", "/v1.41/containers/mod-a/rename?name=mod-a").status, 400);
        QCOMPARE(raw("POST", "/v1.41/containers/mod-a/rename").status, 400);
        QCOMPARE(raw("POST", "/v1.41/containers/mod-a/rename?name=bad%2Fname").status, 400);
        QCOMPARE(raw("POST", "/containers/mod-a/rename?name=mod-c").status, 204);  // unversioned too
        QCOMPARE(raw("GET", "/v1.41/containers/mod-c/json").status, 200);

        auto r = raw("POST", "/v1.41/containers/mod-c/update", R"({"Memory": 33554432, "SomethingNew": {"x": 1}})");
        QCOMPARE(r.status, 200);
        json body = json::parse(r.body, nullptr, false);
        QVERIFY2(body.is_object() && body["Warnings"] == json::array(), r.body.c_str());
        json host = json::parse(raw("GET", "/v1.41/containers/mod-c/json").body)["HostConfig"];
        QCOMPARE(host["Memory"].get<int64_t>(), int64_t(32) << 20);
        QCOMPARE(raw("POST", "/v1.41/containers/no-such/update", R"({"Memory": 33554432})").status, 404);
        QCOMPARE(raw("POST", "/v1.41/containers/mod-c/update", R"({"Memory": "lots"})").status, 400);
        QCOMPARE(raw("POST", "/v1.41/containers/mod-c/update", "{not json").status, 400);
        QCOMPARE(raw("POST", "/v1.41/containers/mod-c/update", R"({"RestartPolicy": {"Name": "sometimes"}})").status, 400);
        QCOMPARE(raw("POST", "/v1.41/containers/mod-rm/update", R"({"RestartPolicy": {"Name": "always"}})").status, 400);
        QCOMPARE(raw("POST", "/v1.41/containers/mod-c/update", R"({"Memory": 67108864, "MemorySwap": 33554432})").status, 400);
        QCOMPARE(json::parse(raw("GET", "/v1.41/containers/mod-c/json").body)["HostConfig"]["Memory"].get<int64_t>(),
                 int64_t(32) << 20);  // refusals change nothing
        for (const char* c : {"mod-c", "mod-b", "mod-rm"})
            QCOMPARE(raw("DELETE", std::string("/v1.41/containers/") + c + "?force=1").status, 204);
        QVERIFY(m_service->running());
    }
};

BERTH_ROOT_TEST_MAIN(TestDockerApiModify)
#include "tst_dockerapi_modify.moc"
