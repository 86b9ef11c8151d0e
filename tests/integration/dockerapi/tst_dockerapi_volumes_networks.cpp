// Volumes and networks through the Docker API with real clients: each docker CLI creates,
// lists, inspects, uses and removes volumes (a used one is refused, prune takes the
// anonymous ones) and networks (connect with an alias before the start, a peer reaches the
// container by that alias, disconnect, a stopped container's disconnect from the network
// it was created on, remove, prune); bad requests get docker's status
// codes and the service goes on.
#include "skip.h"
#include "raw_http.h"
#include "service_fixture.h"

#include "fixtures.h"

#include <nlohmann/json.hpp>

#include <QtTest/QtTest>

using namespace berth::test;
using nlohmann::json;

class TestDockerApiVolumesNetworks : public QObject, protected DockerApiSuite {
    Q_OBJECT

private slots:
    void initTestCase() { BERTH_DOCKER_API_SUITE_START(); }

    void cleanupTestCase() {
        stopAndClean();
        if (!m_root.empty()) runBerth(m_root, {"network", "prune", "-f"});
    }

    void volumeLifecycle_data() { addClientRows(); }
    void volumeLifecycle() {
        const std::string vol = "vol-" + tag(), user = "voluser-" + tag();
        auto r = docker({"volume", "create", "--label", "k=v", vol});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QCOMPARE(trimmed(r.out), vol);
        QVERIFY(contains(docker({"volume", "ls", "--format", "{{.Name}}"}).out, vol));
        QVERIFY(contains(runBerth(m_dir->path(), {"volume", "ls"}).out, vol));  // the same store
        r = docker({"volume", "ls", "--filter", "label=k=v", "-q"});
        QVERIFY2(contains(r.out, vol), r.out.c_str());
        QVERIFY(!contains(docker({"volume", "ls", "--filter", "label=k=other", "-q"}).out, vol));
        r = docker({"volume", "inspect", vol});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        json j = json::parse(r.out)[0];
        QCOMPARE(j["Driver"].get<std::string>(), std::string("local"));
        QCOMPARE(j["Labels"]["k"].get<std::string>(), std::string("v"));
        // A second create of the same name is that volume, as with docker.
        QCOMPARE(docker({"volume", "create", vol}).exitCode, 0);

        QCOMPARE(docker({"run", "--rm", "-v", vol + ":/data", "busybox", "sh", "-c", "echo kept > /data/f"}).exitCode, 0);
        QCOMPARE(docker({"run", "--rm", "-v", vol + ":/data", "busybox", "cat", "/data/f"}).out, std::string("kept\n"));
        QCOMPARE(docker({"run", "-d", "--name", user, "-v", vol + ":/data", "busybox", "sleep", "300"}).exitCode, 0);
        r = docker({"volume", "rm", vol});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(contains(r.err, "in use") || contains(r.err, "used"), r.err.c_str());
        QVERIFY(contains(docker({"volume", "ls", "--filter", "dangling=false", "-q"}).out, vol));
        QCOMPARE(docker({"rm", "-f", user}).exitCode, 0);
        QCOMPARE(docker({"volume", "rm", vol}).exitCode, 0);
        r = docker({"volume", "inspect", vol});
        QCOMPARE(r.exitCode, 1);
    }

    // docker volume prune takes the anonymous volume a removed container left.
    void volumePruneTakesAnonymous_data() { addClientRows(); }
    void volumePruneTakesAnonymous() {
        const std::string name = "anon-" + tag();
        QCOMPARE(docker({"run", "--name", name, "-v", "/scratch", "busybox", "true"}).exitCode, 0);
        json c = json::parse(docker({"inspect", name}).out)[0];
        std::string anon;
        for (auto& m : c["Mounts"])
            if (m["Destination"] == "/scratch") anon = m["Name"].get<std::string>();
        QVERIFY2(!anon.empty(), c["Mounts"].dump().c_str());
        QCOMPARE(docker({"rm", name}).exitCode, 0);
        QVERIFY(contains(docker({"volume", "ls", "-q"}).out, anon));
        auto r = docker({"volume", "prune", "-f"});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QVERIFY2(contains(r.out, anon), r.out.c_str());
        QVERIFY(!contains(docker({"volume", "ls", "-q"}).out, anon));
    }

    // Connect with an alias before the start; a peer on the network reaches it by that alias.
    void networkLifecycle_data() { addClientRows(); }
    void networkLifecycle() {
        const std::string net = "net-" + tag(), server = "srv-" + tag();
        const std::string subnet = "10.231." + std::to_string(40 + std::stoi(tag())) + ".0/24";
        auto r = docker({"network", "create", "--subnet", subnet, "--label", "k=v", net});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        const std::string id = trimmed(r.out);
        QCOMPARE(id.size(), size_t(64));
        r = docker({"network", "ls", "--format", "{{.Name}}"});
        for (const std::string& n : {net, std::string("bridge"), std::string("host"), std::string("none")})
            QVERIFY2(contains(r.out, n), r.out.c_str());
        QVERIFY(contains(runBerth(m_dir->path(), {"network", "ls"}).out, net));  // the same store
        r = docker({"network", "ls", "--filter", "label=k=v", "-q"});
        QVERIFY2(contains(r.out, id.substr(0, 12)), r.out.c_str());
        json j = json::parse(docker({"network", "inspect", net}).out)[0];
        QCOMPARE(j["Id"].get<std::string>(), id);
        QCOMPARE(j["IPAM"]["Config"][0]["Subnet"].get<std::string>(), subnet);

        // busybox httpd answers 404 for a directory without an index: it serves one.
        QCOMPARE(docker({"create", "--name", server, "busybox", "sh", "-c",
                         "mkdir -p /www && echo served > /www/index.html && exec httpd -f -p 8080 -h /www"})
                     .exitCode,
                 0);
        r = docker({"network", "connect", "--alias", "web-" + tag(), net, server});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QCOMPARE(docker({"start", server}).exitCode, 0);
        j = json::parse(docker({"network", "inspect", net}).out)[0];
        QVERIFY2(contains(j["Containers"].dump(), server), j["Containers"].dump().c_str());
        r = docker({"run", "--rm", "--network", net, "busybox", "sh", "-c",
                    "for i in $(seq 50); do wget -q -O - http://web-" + tag() + ":8080/ && exit 0; sleep 0.2; done; exit 1"});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QCOMPARE(r.out, std::string("served\n"));

        r = docker({"network", "rm", net});
        QVERIFY(r.exitCode != 0);  // a container is on it
        QCOMPARE(docker({"network", "disconnect", net, server}).exitCode, 0);
        QCOMPARE(docker({"rm", "-f", server}).exitCode, 0);
        r = docker({"network", "rm", net});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QCOMPARE(docker({"network", "inspect", net}).exitCode, 1);
    }

    // A stopped container disconnected from the network it was created on: dockerd takes
    // the network out of its settings (200, not "not connected"), so it starts without it;
    // a second disconnect is the 404, a connect brings it back.
    void disconnectStoppedFromItsOwnNetwork_data() { addClientRows(); }
    void disconnectStoppedFromItsOwnNetwork() {
        const std::string net = "own-" + tag(), c = "own-c-" + tag();
        QCOMPARE(docker({"network", "create", net}).exitCode, 0);
        QCOMPARE(docker({"create", "--name", c, "--network", net, "busybox", "sleep", "300"}).exitCode, 0);
        auto networksOf = [&] { return json::parse(docker({"inspect", c}).out)[0]["NetworkSettings"]["Networks"]; };
        QVERIFY2(networksOf().contains(net), networksOf().dump().c_str());
        auto r = docker({"network", "disconnect", net, c});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QVERIFY2(!networksOf().contains(net), networksOf().dump().c_str());
        auto again = raw("POST", "/v1.41/networks/" + net + "/disconnect", json{{"Container", c}}.dump());
        QVERIFY2(again.status == 404, again.body.c_str());
        QVERIFY2(contains(again.body, "not connected"), again.body.c_str());
        r = docker({"start", c});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QVERIFY2(!networksOf().contains(net), networksOf().dump().c_str());
        QVERIFY2(!contains(json::parse(docker({"network", "inspect", net}).out)[0]["Containers"].dump(), c),
                 docker({"network", "inspect", net}).out.c_str());
        QCOMPARE(docker({"stop", "-t", "1", c}).exitCode, 0);
        r = docker({"network", "connect", net, c});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QVERIFY2(networksOf().contains(net), networksOf().dump().c_str());
        QCOMPARE(docker({"rm", "-f", c}).exitCode, 0);
        QCOMPARE(docker({"network", "rm", net}).exitCode, 0);
    }

    void networkPrune_data() { addClientRows(); }
    void networkPrune() {
        const std::string net = "unused-" + tag();
        QCOMPARE(docker({"network", "create", net}).exitCode, 0);
        auto r = docker({"network", "prune", "-f"});
        QVERIFY2(r.exitCode == 0, diag(r).c_str());
        QVERIFY2(contains(r.out, net), r.out.c_str());
        QCOMPARE(docker({"network", "inspect", net}).exitCode, 1);
        QCOMPARE(docker({"network", "inspect", "bridge"}).exitCode, 0);
    }

    void badRequestsGetDockersCodes() {
        QCOMPARE(raw("POST", "/v1.41/volumes/create", R"({"Name": "x", "Driver": "nfs"})").status, 404);
        QCOMPARE(raw("POST", "/v1.41/volumes/create", R"({"Name": "x", "Labels": ["a"]})").status, 400);
        QCOMPARE(raw("POST", "/v1.41/volumes/create", R"({"Name": "bad/name"})").status, 400);
        QCOMPARE(raw("POST", "/v1.41/volumes/create", "{nope").status, 400);
        QCOMPARE(raw("GET", "/v1.41/volumes/no-such").status, 404);
        QCOMPARE(raw("DELETE", "/v1.41/volumes/no-such").status, 404);
        QCOMPARE(raw("DELETE", "/v1.41/volumes/no-such?force=1").status, 204);
        QCOMPARE(raw("GET", "/v1.41/volumes?filters=%7B%22colour%22%3A%5B%22x%22%5D%7D").status, 400);
        QCOMPARE(raw("POST", "/v1.41/volumes/prune?filters=%7B%22colour%22%3A%5B%22x%22%5D%7D").status, 400);
        QCOMPARE(raw("POST", "/v1.41/networks/create", R"({})").status, 400);
        QCOMPARE(raw("POST", "/v1.41/networks/create", R"({"Name": "bridge"})").status, 409);
        QCOMPARE(raw("POST", "/v1.41/networks/create", R"({"Name": "n1", "IPAM": {"Config": [{"Subnet": "300.1.1.0/24"}]}})").status, 400);
        QCOMPARE(raw("POST", "/v1.41/networks/create", R"({"Name": "n1", "Internal": "yes"})").status, 400);
        QCOMPARE(raw("GET", "/v1.41/networks/no-such").status, 404);
        QCOMPARE(raw("DELETE", "/v1.41/networks/no-such").status, 404);
        auto r = raw("DELETE", "/v1.41/networks/bridge");
        QVERIFY2(r.status == 403 || r.status == 409, r.body.c_str());
        QCOMPARE(raw("POST", "/v1.41/networks/bridge/connect", R"({})").status, 400);
        QCOMPARE(raw("POST", "/v1.41/networks/bridge/connect", R"({"Container": "no-such"})").status, 404);
        QCOMPARE(raw("POST", "/v1.41/networks/no-such/disconnect", R"({"Container": "x"})").status, 404);
        QCOMPARE(raw("GET", "/v1.41/networks?filters=%7B%22type%22%3A%5B%22weird%22%5D%7D").status, 400);
        QVERIFY(m_service->running());
        QCOMPARE(raw("GET", "/_ping").body, std::string("OK"));
    }
};

BERTH_ROOT_TEST_MAIN(TestDockerApiVolumesNetworks)
#include "tst_dockerapi_volumes_networks.moc"
