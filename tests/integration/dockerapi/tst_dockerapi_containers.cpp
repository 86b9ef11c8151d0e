// Containers and exec through the Docker API with real clients: each docker CLI on the
// machine (Debian's 20.10 and docker 28) runs, lists, logs, execs, inspects, stops and
// removes containers of the test's store; docker-py runs a detached container, streams its
// log and execs in it 200 times; bad requests get docker's status codes and the service
// goes on; clients that hang up leave no thread behind.
#include "skip.h"
#include "raw_http.h"
#include "service_fixture.h"

#include "fixtures.h"

#include <nlohmann/json.hpp>

#include <QtTest/QtTest>

#include <dirent.h>

using namespace berth::test;
using nlohmann::json;

namespace {

int threadCount(long long pid) {
    int n = 0;
    DIR* d = ::opendir(("/proc/" + std::to_string(pid) + "/task").c_str());
    if (!d) return -1;
    while (dirent* e = ::readdir(d))
        if (e->d_name[0] != '.') ++n;
    ::closedir(d);
    return n;
}

} // namespace

class TestDockerApiContainers : public QObject, protected DockerApiSuite {
    Q_OBJECT

private slots:
    void initTestCase() { BERTH_DOCKER_API_SUITE_START(); }

    void cleanupTestCase() { stopAndClean(); }

    // docker run --rm: the output, the exit code, and nothing left behind.
    void runRemovePrintsOutputAndExitCode_data() { addClientRows(); }
    void runRemovePrintsOutputAndExitCode() {
        auto r = docker({"run", "--rm", "busybox", "echo", "hi"});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).c_str());
        QCOMPARE(r.out, std::string("hi\n"));
        r = docker({"run", "--rm", "--name", named("rm3"), "busybox", "sh", "-c", "echo to-err >&2; exit 3"});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.find("to-err") != std::string::npos, r.err.c_str());
        QVERIFY2(r.out.empty(), r.out.c_str());
        QTRY_VERIFY(docker({"ps", "-a", "--format", "{{.Names}}"}).out.find(named("rm3")) == std::string::npos);
        // Without --rm the exit code comes from wait's next-exit.
        r = docker({"run", "--name", named("keep"), "busybox", "sh", "-c", "echo kept; exit 2"});
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(r.out, std::string("kept\n"));
        QCOMPARE(inspect(named("keep"))["State"]["ExitCode"].get<int>(), 2);
        QCOMPARE(docker({"rm", named("keep")}).exitCode, 0);
        // A command that does not exist: docker's 127.
        r = docker({"run", "--rm", "busybox", "no-such-command"});
        QCOMPARE(r.exitCode, 127);
    }

    // run -d, ps, logs, exec, inspect, stop, rm: what the CLI and the window see too.
    void detachedLifecycle_data() { addClientRows(); }
    void detachedLifecycle() {
        const std::string name = named("web");
        auto r = docker({"run", "-d", "--name", name, "-l", "com.docker.compose.project=demo", "-l",
                         "com.docker.compose.service=web", "-e", "FOO=bar", "-m", "64m", "busybox", "sh", "-c",
                         "echo started; echo $FOO; exec sleep 300"});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).c_str());
        std::string id = trimmed(r.out);
        QCOMPARE(id.size(), size_t(64));
        QVERIFY(docker({"ps", "--format", "{{.Names}}"}).out.find(name) != std::string::npos);
        auto filtered = docker({"ps", "-a", "--filter", "label=com.docker.compose.project=demo", "--format", "{{.ID}}"});
        QVERIFY2(filtered.out.find(id.substr(0, 12)) != std::string::npos, filtered.out.c_str());
        QVERIFY(docker({"ps", "-a", "--filter", "label=com.docker.compose.project=other", "-q"}).out.find(id.substr(0, 12)) ==
                std::string::npos);
        // The same store: berth ps sees it.
        QVERIFY(runBerth(m_dir->path(), {"ps"}).out.find(name) != std::string::npos);
        QTRY_COMPARE(docker({"logs", name}).out, std::string("started\nbar\n"));

        r = docker({"exec", name, "echo", "hello"});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, std::string("hello\n"));
        QCOMPARE(docker({"exec", name, "sh", "-c", "exit 5"}).exitCode, 5);
        r = docker({"exec", "-e", "X=1", "-w", "/tmp", name, "sh", "-c", "echo $X $(pwd)"});
        QCOMPARE(r.out, std::string("1 /tmp\n"));

        json j = inspect(name);
        QCOMPARE(j["Id"].get<std::string>(), id);
        QCOMPARE(j["State"]["Running"].get<bool>(), true);
        QVERIFY2(j["Config"]["Labels"] == json({{"com.docker.compose.project", "demo"}, {"com.docker.compose.service", "web"}}), j["Config"]["Labels"].dump().c_str());
        QCOMPARE(j["HostConfig"]["Memory"].get<int64_t>(), int64_t(64) << 20);
        auto env = j["Config"]["Env"].get<std::vector<std::string>>();
        QVERIFY(std::find(env.begin(), env.end(), "FOO=bar") != env.end());

        r = docker({"stop", "-t", "1", name});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).c_str());
        QCOMPARE(inspect(name)["State"]["Status"].get<std::string>(), std::string("exited"));
        QCOMPARE(docker({"rm", name}).exitCode, 0);
        r = docker({"inspect", name});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.find("No such") != std::string::npos, r.err.c_str());
    }

    void logsFollowTailTimestamps_data() { addClientRows(); }
    void logsFollowTailTimestamps() {
        const std::string name = named("counter");
        auto r = docker({"run", "-d", "--name", name, "busybox", "sh", "-c",
                         "for i in 1 2 3; do echo n$i; sleep 0.3; done; echo e >&2"});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).c_str());
        // -f returns when the container has stopped, with everything it wrote.
        r = docker({"logs", "-f", name});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, std::string("n1\nn2\nn3\n"));
        QCOMPARE(r.err, std::string("e\n"));
        QCOMPARE(docker({"logs", "--tail", "2", name}).out, std::string("n3\n"));
        r = docker({"logs", "-t", name});
        QVERIFY2(QRegularExpression("^\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z n1\n").match(QString::fromStdString(r.out)).hasMatch(),
                 r.out.c_str());
        QCOMPARE(docker({"rm", name}).exitCode, 0);
    }

    void removeRunningNeedsForce_data() { addClientRows(); }
    void removeRunningNeedsForce() {
        const std::string name = named("busy");
        QCOMPARE(docker({"run", "-d", "--name", name, "busybox", "sleep", "300"}).exitCode, 0);
        auto r = docker({"rm", name});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.find("force") != std::string::npos, r.err.c_str());
        QCOMPARE(docker({"rm", "-f", name}).exitCode, 0);
        QCOMPARE(docker({"inspect", name}).exitCode, 1);
    }

    // docker create's HostConfig reaches the engine as asked.
    void createKeepsHostConfig_data() { addClientRows(); }
    void createKeepsHostConfig() {
        const std::string name = named("opts");
        TempDir data;
        auto r = docker({"create", "--name", name, "-p", "127.0.0.1:18080:80", "--restart", "on-failure:3", "-v",
                         data.path().string() + ":/data:ro", "-l", "com.docker.compose.service=web", "-l",
                         "com.docker.compose.config-hash=ab=cd", "--network", "none", "busybox", "true"});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).c_str());
        json j = inspect(name);
        QCOMPARE(j["State"]["Status"].get<std::string>(), std::string("created"));
        QVERIFY2(j["HostConfig"]["RestartPolicy"] == json({{"Name", "on-failure"}, {"MaximumRetryCount", 3}}), j["HostConfig"]["RestartPolicy"].dump().c_str());
        QVERIFY2(j["HostConfig"]["Binds"] == json::array({data.path().string() + ":/data:ro"}), j["HostConfig"]["Binds"].dump().c_str());
        QCOMPARE(j["HostConfig"]["NetworkMode"].get<std::string>(), std::string("none"));
        QCOMPARE(j["Config"]["Labels"]["com.docker.compose.config-hash"].get<std::string>(), std::string("ab=cd"));
        QCOMPARE(docker({"rm", name}).exitCode, 0);
        r = docker({"create", "--name", name, "-p", "127.0.0.1:18080:80", "busybox", "true"});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).c_str());
        QCOMPARE(inspect(name)["HostConfig"]["PortBindings"]["80/tcp"][0]["HostPort"].get<std::string>(),
                 std::string("18080"));
        QCOMPARE(docker({"rm", name}).exitCode, 0);
    }

    // docker run --health-*: the API's Config.Healthcheck reaches the container: inspect shows
    // it, the monitor runs it (State.Health becomes healthy, ps says so), a failing one turns
    // unhealthy; --no-healthcheck is Test ["NONE"]; an interval under 1ms is dockerd's 400.
    void createTakesHealthcheck_data() { addClientRows(); }
    void createTakesHealthcheck() {
        const std::string ok = named("hc-ok"), failing = named("hc-fail");
        auto r = docker({"run", "-d", "--name", ok, "--network", "none", "--health-cmd", "test -e /bin/sh",
                         "--health-interval", "1s", "--health-retries", "2", "busybox", "sleep", "300"});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).c_str());
        r = docker({"run", "-d", "--name", failing, "--network", "none", "--health-cmd", "exit 3",
                    "--health-interval", "1s", "--health-retries", "1", "busybox", "sleep", "300"});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).c_str());
        json j = inspect(ok);
        QVERIFY2(j["Config"]["Healthcheck"]["Test"] == json({"CMD-SHELL", "test -e /bin/sh"}), j["Config"].dump().c_str());
        QCOMPARE(j["Config"]["Healthcheck"]["Interval"].get<int64_t>(), int64_t(1000000000));
        QCOMPARE(j["Config"]["Healthcheck"]["Retries"].get<int>(), 2);
        auto status = [&](const std::string& name) {
            json s = inspect(name)["State"];
            return s.contains("Health") ? s["Health"]["Status"].get<std::string>() : std::string("none");
        };
        for (int i = 0; i < 300 && (status(ok) != "healthy" || status(failing) != "unhealthy"); ++i)  // bounded, not timed
            QTest::qWait(100);
        QCOMPARE(status(ok), std::string("healthy"));
        QCOMPARE(status(failing), std::string("unhealthy"));
        r = docker({"ps", "--filter", "name=" + ok, "--format", "{{.Status}}"});
        QVERIFY2(r.out.find("(healthy)") != std::string::npos, r.out.c_str());
        QCOMPARE(docker({"rm", "-f", ok, failing}).exitCode, 0);

        r = docker({"create", "--name", ok, "--no-healthcheck", "busybox", "true"});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).c_str());
        QVERIFY2(inspect(ok)["Config"]["Healthcheck"]["Test"] == json({"NONE"}), inspect(ok)["Config"].dump().c_str());
        QCOMPARE(docker({"rm", ok}).exitCode, 0);
        auto bad = raw("POST", "/v1.44/containers/create",
                       R"({"Image": "busybox", "Healthcheck": {"Test": ["CMD", "true"], "Interval": 5}})");
        QCOMPARE(bad.status, 400);
        QVERIFY2(bad.body.find("Interval in Healthcheck cannot be less than 1ms") != std::string::npos, bad.body.c_str());
    }

    // docker stats --no-stream: one row per container with the CPU % docker's client
    // computes from cpu_stats and precpu_stats, memory and pids.
    void statsNoStream_data() { addClientRows(); }
    void statsNoStream() {
        const std::string name = named("stats");
        QCOMPARE(docker({"run", "-d", "--name", name, "busybox", "sleep", "300"}).exitCode, 0);
        auto r = docker({"stats", "--no-stream", "--format", "{{.Name}}|{{.CPUPerc}}|{{.MemUsage}}|{{.PIDs}}", name});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).c_str());
        const QStringList cols = QString::fromStdString(trimmed(r.out)).split('|');
        QVERIFY2(cols.size() == 4, r.out.c_str());
        QCOMPARE(cols[0].toStdString(), name);
        QVERIFY2(QRegularExpression("^\\d+\\.\\d\\d%$").match(cols[1]).hasMatch(), r.out.c_str());
        QVERIFY2(!cols[2].startsWith("0B /"), r.out.c_str());  // the cgroup's memory, not zero
        QCOMPARE(cols[3].toStdString(), std::string("1"));
        QCOMPARE(docker({"rm", "-f", name}).exitCode, 0);
    }

    // The wire: stream=false is one sample with precpu_stats a second before it; the
    // stream sends a frame a second, each one's precpu_stats the previous one's cpu_stats;
    // a stopped container gives zeros; an unknown one is a 404.
    void statsWire() {
        auto r = raw("POST", "/v1.41/containers/create?name=stats-wire", R"({"Image": "busybox", "Cmd": ["sleep", "300"]})");
        QCOMPARE(r.status, 201);
        r = raw("GET", "/v1.41/containers/stats-wire/stats?stream=false");
        QCOMPARE(r.status, 200);
        json j = json::parse(r.body);
        QCOMPARE(j["read"].get<std::string>(), std::string("0001-01-01T00:00:00Z"));  // not running
        QCOMPARE(j["name"].get<std::string>(), std::string("/stats-wire"));
        QCOMPARE(raw("POST", "/v1.41/containers/stats-wire/start").status, 204);
        r = raw("GET", "/v1.41/containers/stats-wire/stats?stream=0");
        QCOMPARE(r.status, 200);
        j = json::parse(r.body);
        QVERIFY2(j["cpu_stats"]["system_cpu_usage"].get<uint64_t>() > j["precpu_stats"]["system_cpu_usage"].get<uint64_t>(), r.body.c_str());
        QVERIFY2(j["precpu_stats"]["system_cpu_usage"].get<uint64_t>() > 0, r.body.c_str());
        QVERIFY2(j["cpu_stats"]["cpu_usage"]["total_usage"].get<uint64_t>() > 0, r.body.c_str());
        QVERIFY2(j["cpu_stats"]["cpu_usage"]["total_usage"].get<uint64_t>() >=
                     j["precpu_stats"]["cpu_usage"]["total_usage"].get<uint64_t>(),
                 r.body.c_str());
        QVERIFY2(j["cpu_stats"]["online_cpus"].get<unsigned>() >= 1, r.body.c_str());
        QVERIFY2(j["memory_stats"]["usage"].get<uint64_t>() > 0, r.body.c_str());
        QVERIFY2(j["memory_stats"]["limit"].get<uint64_t>() >= j["memory_stats"]["usage"].get<uint64_t>(), r.body.c_str());
        QCOMPARE(j["pids_stats"]["current"].get<int>(), 1);
        QVERIFY2(j["read"].get<std::string>() > j["preread"].get<std::string>(), r.body.c_str());
        r = raw("GET", "/v1.41/containers/stats-wire/stats?stream=false&one-shot=true");
        QCOMPARE(r.status, 200);
        QVERIFY2(!json::parse(r.body)["precpu_stats"].contains("system_cpu_usage"), r.body.c_str());

        if (runCommand({"python3", "-c", "import docker"}).exitCode == 0) {
            // docker-py's stats(decode=True): three frames, chained by precpu_stats.
            const char* code =
                "import docker, sys\n"
                "c = docker.from_env().containers.get(sys.argv[1])\n"
                "s = c.stats(decode=True)\n"
                "a, b, d = next(s), next(s), next(s)\n"
                "assert b['precpu_stats'] == a['cpu_stats'], (a, b)\n"
                "assert d['precpu_stats'] == b['cpu_stats'], (b, d)\n"
                "assert d['cpu_stats']['system_cpu_usage'] > a['cpu_stats']['system_cpu_usage']\n"
                "print('stream: ok')\n";
            auto py = runCommand({"python3", "-c", code, "stats-wire"}, 60000, m_service->env());
            QVERIFY2(py.exitCode == 0 && contains(py.out, "stream: ok"), (py.out + py.err).c_str());
        }
        QCOMPARE(raw("GET", "/v1.41/containers/no-such/stats?stream=false").status, 404);
        QCOMPARE(raw("DELETE", "/v1.41/containers/stats-wire?force=1").status, 204);
        QCOMPARE(raw("GET", "/_ping").body, std::string("OK"));
    }

    // The networks entry of stats: the packet, error and drop counters of the container's
    // netns (not zeros): a container that pings its gateway has sent and received packets.
    void statsNetworkCounters() {
        auto r = raw("POST", "/v1.41/containers/create?name=stats-net",
                     R"({"Image": "busybox", "Cmd": ["sh", "-c", "ping -c 3 -W 1 $(ip route | awk '/default/ {print $3}'); sleep 300"]})");
        QCOMPARE(r.status, 201);
        QCOMPARE(raw("POST", "/v1.41/containers/stats-net/start").status, 204);
        json eth0;
        for (int i = 0; i < 100; ++i) {  // until the three pings went (bounded, not timed)
            r = raw("GET", "/v1.41/containers/stats-net/stats?stream=false&one-shot=true");
            QCOMPARE(r.status, 200);
            eth0 = json::parse(r.body)["networks"]["eth0"];
            if (eth0["tx_packets"].get<uint64_t>() >= 3 && eth0["rx_packets"].get<uint64_t>() >= 3) break;
            QTest::qWait(200);
        }
        QVERIFY2(eth0["tx_packets"].get<uint64_t>() >= 3, eth0.dump().c_str());
        QVERIFY2(eth0["rx_packets"].get<uint64_t>() >= 3, eth0.dump().c_str());
        QVERIFY2(eth0["rx_bytes"].get<uint64_t>() >= eth0["rx_packets"].get<uint64_t>(), eth0.dump().c_str());
        QVERIFY2(eth0["tx_bytes"].get<uint64_t>() >= eth0["tx_packets"].get<uint64_t>(), eth0.dump().c_str());
        for (const char* k : {"rx_errors", "rx_dropped", "tx_errors", "tx_dropped"})
            QVERIFY2(eth0[k].is_number_unsigned(), eth0.dump().c_str());
        QCOMPARE(raw("DELETE", "/v1.41/containers/stats-net?force=1").status, 204);
    }

    // A detached exec (Detach: true) is answered once its process runs; GET /exec/{id}/json
    // says Running until it ends, then Running false and its ExitCode, as dockerd. One whose
    // command does not exist is an error, and its ExitCode 127.
    void detachedExecRecordsExitCode() {
        auto r = raw("POST", "/v1.41/containers/create?name=exec-detached", R"({"Image": "busybox", "Cmd": ["sleep", "300"]})");
        QCOMPARE(r.status, 201);
        QCOMPARE(raw("POST", "/v1.41/containers/exec-detached/start").status, 204);
        r = raw("POST", "/v1.41/containers/exec-detached/exec",
                R"({"Cmd": ["sh", "-c", "while [ ! -e /tmp/go ]; do sleep 0.05; done; echo discarded; exit 7"]})");
        QCOMPARE(r.status, 201);
        const std::string id = json::parse(r.body)["Id"].get<std::string>();
        r = raw("POST", "/v1.41/exec/" + id + "/start", R"({"Detach": true})");
        QVERIFY2(r.status == 200, r.body.c_str());
        json j = json::parse(raw("GET", "/v1.41/exec/" + id + "/json").body);
        QVERIFY2(j["Running"] == true && j["ExitCode"].is_null(), j.dump().c_str());  // it waits for /tmp/go
        r = raw("POST", "/v1.41/containers/exec-detached/exec", R"({"Cmd": ["touch", "/tmp/go"]})");
        QCOMPARE(r.status, 201);
        const std::string go = json::parse(r.body)["Id"].get<std::string>();
        r = raw("POST", "/v1.41/exec/" + go + "/start", R"({"Detach": true})");
        QVERIFY2(r.status == 200, r.body.c_str());
        for (int i = 0; i < 300 && j["Running"] == true; ++i) {  // bounded, not timed
            QTest::qWait(100);
            j = json::parse(raw("GET", "/v1.41/exec/" + id + "/json").body);
        }
        QVERIFY2(j["Running"] == false, j.dump().c_str());
        QVERIFY2(j["ExitCode"] == 7, j.dump().c_str());

        r = raw("POST", "/v1.41/containers/exec-detached/exec", R"({"Cmd": ["/no/such/program"]})");
        const std::string missing = json::parse(r.body)["Id"].get<std::string>();
        r = raw("POST", "/v1.41/exec/" + missing + "/start", R"({"Detach": true})");
        QVERIFY2(r.status >= 400, r.body.c_str());
        j = json::parse(raw("GET", "/v1.41/exec/" + missing + "/json").body);
        QVERIFY2(j["Running"] == false && j["ExitCode"] == 127, j.dump().c_str());
        QCOMPARE(raw("DELETE", "/v1.41/containers/exec-detached?force=1").status, 204);
        QVERIFY(m_service->running());
    }

    // docker container prune: the stopped containers go (their ids and the space
    // reclaimed are printed), a running one stays.
    void containerPrune_data() { addClientRows(); }
    void containerPrune() {
        const std::string stopped = named("pruned"), running = named("kept");
        QCOMPARE(docker({"run", "--name", stopped, "busybox", "sh", "-c", "head -c 300000 /dev/zero > /big"}).exitCode, 0);
        QCOMPARE(docker({"run", "-d", "--name", running, "busybox", "sleep", "300"}).exitCode, 0);
        const std::string stoppedId = inspect(stopped)["Id"].get<std::string>();
        auto r = docker({"container", "prune", "-f"});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).c_str());
        QVERIFY2(contains(r.out, "Deleted Containers:") && contains(r.out, stoppedId), r.out.c_str());
        // The 300 kB the stopped container wrote, in docker's words (kB or KB by version).
        QVERIFY2(QRegularExpression("Total reclaimed space: 30\\d(\\.\\d+)?[kK]B").match(QString::fromStdString(r.out)).hasMatch(),
                 r.out.c_str());
        QCOMPARE(docker({"inspect", stopped}).exitCode, 1);
        QCOMPARE(inspect(running)["State"]["Running"].get<bool>(), true);
        QCOMPARE(docker({"rm", "-f", running}).exitCode, 0);
        QCOMPARE(raw("POST", "/v1.41/containers/prune?filters=%7B%22until%22%3A%5B%221h%22%5D%7D").status, 400);
    }

    void dockerPy() {
        if (runCommand({"python3", "-c", "import docker"}).exitCode != 0) BERTH_SKIP("python3-docker is not installed", MissingProgram);
        std::string script = sourceFile("tests/integration/dockerapi/docker_py_containers.py").string();
        auto r = runCommand({"python3", script, "200"}, 600000, m_service->env());
        QVERIFY2(r.exitCode == 0, (r.out + r.err).c_str());
        QVERIFY2(r.out.find("exec_run x200: ok") != std::string::npos, r.out.c_str());
    }

    // HostConfig.Init and Devices and Config.Volumes through the same parsers as the CLI's
    // --init, --device and -v /path; a bad device and Config.MacAddress are docker's 400.
    void initDevicesAndVolumes() {
        auto made = raw("POST", "/v1.41/containers/create?name=idv",
                        R"({"Image": "busybox", "Cmd": ["true"], "Volumes": {"/data": {}, "/logs/": {}},
                            "HostConfig": {"Init": true, "Binds": ["/tmp:/logs"],
                                           "Devices": [{"PathOnHost": "/dev/null", "PathInContainer": "/dev/mynull",
                                                        "CgroupPermissions": "rw"}]}})");
        QVERIFY2(made.status == 201, made.body.c_str());
        auto j = json::parse(raw("GET", "/v1.41/containers/idv/json").body);
        QCOMPARE(j["HostConfig"]["Init"].get<bool>(), true);
        QCOMPARE(j["HostConfig"]["Devices"].size(), size_t(1));
        QCOMPARE(j["HostConfig"]["Devices"][0]["PathInContainer"].get<std::string>(), std::string("/dev/mynull"));
        QCOMPARE(j["HostConfig"]["Devices"][0]["CgroupPermissions"].get<std::string>(), std::string("rw"));
        // /logs is the bind's; /data gets an anonymous volume.
        QCOMPARE(j["Mounts"].size(), size_t(2));
        for (auto& m : j["Mounts"])
            QVERIFY2(m["Destination"] == "/logs" ? m["Type"] == "bind" : m["Type"] == "volume" && m["Destination"] == "/data",
                     m.dump().c_str());
        for (const auto& [body, message] : std::vector<std::pair<std::string, std::string>>{
                 {R"({"Image": "busybox", "HostConfig": {"Devices": [{"PathOnHost": "/dev/null", "CgroupPermissions": "rwx"}]}})",
                  "bad mode specified: rwx"},
                 {R"({"Image": "busybox", "MacAddress": "02:42:ac:11:00:02"})", "--mac-address is not supported by Berth"}}) {
            auto refused = raw("POST", "/v1.41/containers/create", body);
            QCOMPARE(refused.status, 400);
            QVERIFY2(refused.body.find(message) != std::string::npos, refused.body.c_str());
        }
    }

    // Each bad request: docker's status and message shape, and the service goes on.
    void badRequestsGetDockersCodes() {
        QCOMPARE(raw("POST", "/v1.41/containers/create", "{not json").status, 400);
        QCOMPARE(raw("POST", "/v1.41/containers/create", R"({"Image": 5})").status, 400);
        QCOMPARE(raw("POST", "/v1.41/containers/create", R"({"Image": "busybox", "Cmd": [1, 2]})").status, 400);
        QCOMPARE(raw("POST", "/v1.41/containers/create", R"({"Image": "busybox", "HostConfig": {"Memory": "lots"}})").status, 400);
        QCOMPARE(raw("POST", "/v1.41/containers/create", R"({"Image": "busybox", "HostConfig": {"Binds": ["::"]}})").status, 400);
        QCOMPARE(raw("POST", "/v1.41/containers/create", R"({"Image": "busybox", "HostConfig": {"PortBindings": {"x/tcp": []}}})").status, 400);
        QCOMPARE(raw("POST", "/v1.41/containers/create", R"([1,2])").status, 400);
        QCOMPARE(raw("POST", "/v1.41/containers/create", R"({})").status, 400);
        // What Berth does not implement is refused by name, not dropped; unset forms pass.
        for (const char* hc : {R"({"PidMode": "host"})", R"({"IpcMode": "host"})", R"({"CgroupnsMode": "host"})",
                               R"({"DeviceCgroupRules": ["c 1:3 r"]})"}) {
            auto refused = raw("POST", "/v1.41/containers/create",
                               std::string(R"({"Image": "busybox", "HostConfig": )") + hc + "}");
            QCOMPARE(refused.status, 400);
            QVERIFY2(refused.body.find("is not supported by Berth") != std::string::npos, refused.body.c_str());
        }
        // ShmSize and namespaced Sysctls are taken (through the one flag parser); a sysctl
        // outside the container's namespaces, or net.* on the host's network, is docker's 400.
        const std::pair<const char*, const char*> badSysctls[] = {
            {R"({"Sysctls": {"kernel.hostname": "x"}})", "sysctl 'kernel.hostname=x' is not whitelisted"},
            {R"({"NetworkMode": "host", "Sysctls": {"net.ipv4.ip_forward": "1"}})", "not allowed in host network namespace"},
            {R"({"ShmSize": -1})", "SHM size can not be less than 0"}};
        for (const auto& [hc, message] : badSysctls) {
            auto refused = raw("POST", "/v1.41/containers/create",
                               std::string(R"({"Image": "busybox", "Cmd": ["true"], "HostConfig": )") + hc + "}");
            QCOMPARE(refused.status, 400);
            QVERIFY2(refused.body.find(message) != std::string::npos, refused.body.c_str());
        }
        auto shm = raw("POST", "/v1.41/containers/create?name=shm-sysctl",
                       R"({"Image": "busybox", "Cmd": ["true"], "HostConfig": {"ShmSize": 134217728, "Sysctls": {"net.ipv4.ip_forward": "1"}}})");
        QVERIFY2(shm.status == 201, shm.body.c_str());
        auto shmHost = json::parse(raw("GET", "/v1.41/containers/shm-sysctl/json").body)["HostConfig"];
        QCOMPARE(shmHost["ShmSize"].get<int64_t>(), int64_t(128) << 20);
        QCOMPARE(shmHost["Sysctls"]["net.ipv4.ip_forward"].get<std::string>(), std::string("1"));
        auto r = raw("POST", "/v1.41/containers/create", R"({"Image": "no-such-image"})");
        QCOMPARE(r.status, 404);
        QVERIFY2(json::parse(r.body)["message"].get<std::string>().find("no-such-image") != std::string::npos, r.body.c_str());
        QCOMPARE(raw("GET", "/v1.41/containers/no-such/json").status, 404);
        QCOMPARE(raw("POST", "/v1.41/containers/no-such/start").status, 404);
        QCOMPARE(raw("POST", "/v1.41/containers/no-such/wait").status, 404);
        QCOMPARE(raw("GET", "/v1.41/containers/no-such/logs?stdout=1").status, 404);
        QCOMPARE(raw("POST", "/v1.41/containers/no-such/attach?stream=1&stdout=1").status, 404);
        QCOMPARE(raw("GET", "/v1.41/containers/json?filters=%7Bbad").status, 400);
        QCOMPARE(raw("GET", "/v1.41/containers/json?filters=%7B%22nope%22%3A%5B%22x%22%5D%7D").status, 400);
        QCOMPARE(raw("GET", "/v1.41/exec/no-such/json").status, 404);
        QCOMPARE(raw("POST", "/v1.41/exec/no-such/start", "{}").status, 404);

        r = raw("POST", "/v1.41/containers/create?name=bad-input", R"({"Image": "busybox", "Cmd": ["sleep", "300"]})");
        QCOMPARE(r.status, 201);
        QCOMPARE(raw("POST", "/v1.41/containers/create?name=bad-input", R"({"Image": "busybox", "Cmd": ["true"]})").status, 409);
        QCOMPARE(raw("POST", "/v1.41/containers/bad-input/exec", R"({"Cmd": ["true"]})").status, 409);  // not running
        QCOMPARE(raw("POST", "/v1.41/containers/bad-input/stop").status, 304);
        QCOMPARE(raw("POST", "/v1.41/containers/bad-input/kill").status, 409);
        QCOMPARE(raw("POST", "/v1.41/containers/bad-input/start").status, 204);
        QCOMPARE(raw("POST", "/v1.41/containers/bad-input/start").status, 304);
        QCOMPARE(raw("POST", "/v1.41/containers/bad-input/kill?signal=NOPE").status, 400);
        QCOMPARE(raw("POST", "/v1.41/containers/bad-input/wait?condition=bogus").status, 400);
        QCOMPARE(raw("GET", "/v1.41/containers/bad-input/logs").status, 400);  // no stream chosen
        QCOMPARE(raw("POST", "/v1.41/containers/bad-input/exec", R"({"Cmd": []})").status, 400);
        r = raw("POST", "/v1.41/containers/bad-input/exec", R"({"Cmd": ["true"]})");
        QCOMPARE(r.status, 201);
        std::string execId = json::parse(r.body)["Id"].get<std::string>();
        QCOMPARE(raw("POST", "/v1.41/exec/" + execId + "/start", R"({"Detach": true})").status, 200);
        QCOMPARE(raw("POST", "/v1.41/exec/" + execId + "/start", R"({"Detach": true})").status, 409);
        QCOMPARE(raw("DELETE", "/v1.41/containers/bad-input").status, 409);
        QCOMPARE(raw("DELETE", "/v1.41/containers/bad-input?force=1").status, 204);
        QCOMPARE(raw("DELETE", "/v1.41/containers/bad-input").status, 404);
        QVERIFY(m_service->running());
        QCOMPARE(raw("GET", "/_ping").body, std::string("OK"));
    }

    // docker run -it / exec -it size the pty to the client's terminal: ConsoleSize at create
    // (API 1.42+) before the process starts, POST /containers/{id}/resize and /exec/{id}/resize
    // afterwards, as the process sees it (stty size); bad sizes are a 400.
    void ttyResize() {
        // Each line in makes the shell answer one "size=ROWS COLS" line.
        const std::string loop = R"(while read x; do [ \"$x\" = q ] \u0026\u0026 exit 0; echo \"size=$(stty size 2\u003e\u00261)\"; done)";
        std::string seen;
        // Bounded rounds, not timed: the resize and the line travel different ways, so a
        // round may still answer the old size.
        auto answers = [&seen](RawHttp& s, const std::string& want) {
            seen.clear();
            for (int round = 0; round < 20; ++round) {
                s.send("\n");
                std::string got;
                for (int reads = 0; reads < 20; ++reads) {
                    size_t at = got.find("size=");
                    if (at != std::string::npos && got.find('\n', at) != std::string::npos) break;
                    got += s.readSome(4096, std::chrono::milliseconds(500));
                }
                seen += got;
                if (got.find("size=" + want) != std::string::npos) return true;
            }
            return false;
        };
        auto r = raw("POST", "/v1.44/containers/create?name=tty-size",
                     R"({"Image": "busybox", "Tty": true, "OpenStdin": true, "HostConfig": {"ConsoleSize": [21, 61]},
                         "Cmd": ["sh", "-c", ")" + loop + R"("]})");
        QCOMPARE(r.status, 201);
        {
            RawHttp attach(m_service->socket());
            attach.send(request("POST", "/v1.44/containers/tty-size/attach?stream=1&stdin=1&stdout=1", {},
                                "Connection: Upgrade\r\nUpgrade: tcp\r\n"));
            QCOMPARE(attach.readHeader().status, 101);
            QCOMPARE(raw("POST", "/v1.44/containers/tty-size/start").status, 204);
            QVERIFY2(answers(attach, "21 61"), seen.c_str());  // from the first line on
            QCOMPARE(raw("POST", "/v1.44/containers/tty-size/resize?h=44&w=99").status, 200);
            QVERIFY2(answers(attach, "44 99"), seen.c_str());
            QCOMPARE(raw("POST", "/v1.44/containers/tty-size/resize?h=0&w=99").status, 400);
            QCOMPARE(raw("POST", "/v1.44/containers/tty-size/resize?h=x&w=99").status, 400);
            QCOMPARE(raw("POST", "/v1.44/containers/no-such/resize?h=4&w=9").status, 404);

            r = raw("POST", "/v1.44/containers/tty-size/exec",
                    R"({"Cmd": ["sh", "-c", ")" + loop + R"("], "Tty": true, "AttachStdin": true, "AttachStdout": true,
                        "ConsoleSize": [23, 67]})");
            QCOMPARE(r.status, 201);
            const std::string exec = json::parse(r.body)["Id"].get<std::string>();
            RawHttp session(m_service->socket());
            session.send(request("POST", "/v1.44/exec/" + exec + "/start", R"({"Detach": false, "Tty": true})",
                                 "Content-Type: application/json\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n"));
            QCOMPARE(session.readHeader().status, 101);
            QVERIFY2(answers(session, "23 67"), seen.c_str());
            QCOMPARE(raw("POST", "/v1.44/exec/" + exec + "/resize?h=33&w=111").status, 200);
            QVERIFY2(answers(session, "33 111"), seen.c_str());
            session.send("q\n");  // the loop exits 0
            QVERIFY(session.closedByPeer());
            QCOMPARE(json::parse(raw("GET", "/v1.44/exec/" + exec + "/json").body)["ExitCode"].get<int>(), 0);
            QCOMPARE(raw("POST", "/v1.44/exec/no-such/resize?h=4&w=9").status, 404);
            r = raw("POST", "/v1.44/containers/tty-size/exec", R"({"Cmd": ["true"], "ConsoleSize": [0, 5]})");
            QCOMPARE(r.status, 400);
        }
        QCOMPARE(raw("DELETE", "/v1.44/containers/tty-size?force=1").status, 204);
        QCOMPARE(raw("POST", "/v1.44/containers/create",
                     R"({"Image": "busybox", "Tty": true, "HostConfig": {"ConsoleSize": [1, "wide"]}})").status, 400);
    }

    // Clients that hang up mid-wait, mid-follow and mid-attach: their threads end at once,
    // the container keeps running; the service keeps serving.
    void droppedClientsLeaveNothing() {
        auto r = raw("POST", "/v1.41/containers/create?name=dropped", R"({"Image": "busybox", "Cmd": ["sleep", "300"]})");
        QCOMPARE(r.status, 201);
        QCOMPARE(raw("POST", "/v1.41/containers/dropped/start").status, 204);
        const long long pid = m_service->pid();
        const int before = threadCount(pid);
        {
            RawHttp wait(m_service->socket());
            wait.send(request("POST", "/v1.41/containers/dropped/wait"));
            QCOMPARE(wait.readHeader().status, 200);
            RawHttp logs(m_service->socket());
            logs.send(request("GET", "/v1.41/containers/dropped/logs?follow=1&stdout=1"));
            QCOMPARE(logs.readHeader().status, 200);
        }  // both hang up here
        QTRY_VERIFY_WITH_TIMEOUT(threadCount(pid) <= before, 20000);
        {
            RawHttp attach(m_service->socket());
            attach.send(request("POST", "/v1.41/containers/dropped/attach?stream=1&stdout=1&stderr=1", {},
                                "Connection: Upgrade\r\nUpgrade: tcp\r\n"));
            QCOMPARE(attach.readHeader().status, 101);
        }
        QTRY_VERIFY_WITH_TIMEOUT(threadCount(pid) <= before, 20000);  // before the container stops
        auto j = json::parse(raw("GET", "/v1.41/containers/dropped/json").body);
        QCOMPARE(j["State"]["Running"].get<bool>(), true);
        QCOMPARE(raw("POST", "/v1.41/containers/dropped/stop?t=1").status, 204);
        QCOMPARE(raw("DELETE", "/v1.41/containers/dropped").status, 204);
        QCOMPARE(raw("GET", "/_ping").body, std::string("OK"));
    }
};

BERTH_ROOT_TEST_MAIN(TestDockerApiContainers)
#include "tst_dockerapi_containers.moc"
