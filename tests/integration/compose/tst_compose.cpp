// berth compose on real containers (issue 18), with tests/integration/compose/app/*.yaml:
// dependency conditions (healthy, completed), the client reaching the server by service name
// and alias, docker compose's labels, an unchanged up recreating nothing and a changed one
// recreating only its service, down leaving nothing behind (-v for named volumes), a failing
// up reporting and cleaning up, bad files refused before anything is made. States are
// waited for; no duration is asserted.
#include "skip.h"
#include "container_test_helpers.h"

#include "network/netlink.h"
#include "network/nft_rules.h"

#include <fmt/format.h>

#include <QtTest/QtTest>

#include <random>

using namespace berth::test;

class ComposeIntegration : public QObject {
    Q_OBJECT
    std::unique_ptr<ContainerStoreFixture> s;
    std::string m_bridge, m_table, m_project;

    std::string file(const std::string& name) { return sourceFile("tests/integration/compose/app/" + name).string(); }
    CommandResult compose(const std::vector<std::string>& args, const std::string& yaml = "compose.yaml",
                          const std::vector<std::string>& env = {}) {
        std::vector<std::string> argv{builtProgram("berth").string(), "--root", s->root().string(), "compose",
                                      "-f", file(yaml), "-p", m_project};
        argv.insert(argv.end(), args.begin(), args.end());
        return runCommand(argv, 300000, env);
    }
    std::map<std::string, std::string> idsByName() {
        std::map<std::string, std::string> out;
        auto r = s->berth({"ps", "-a", "--no-trunc", "--format", "{{.Names}} {{.ID}}"});
        std::istringstream lines(r.out);
        for (std::string name, id; lines >> name >> id;) out[name] = id;
        return out;
    }
    // `network ls`'s table, `volume ls -q`'s names.
    std::string names(const std::string& verb) {
        return trimmed(s->berth(verb == "network" ? std::vector<std::string>{"network", "ls"}
                                                  : std::vector<std::string>{"volume", "ls", "-q"}).out);
    }

private slots:
    void init() {
        s = std::make_unique<ContainerStoreFixture>();
        std::random_device rd;
        auto h = fmt::format("{:06x}", rd() & 0xffffff);
        m_bridge = "bc" + h;
        m_table = "berth_c" + h;
        m_project = "app" + h;
        std::filesystem::create_directories(s->root() / "networks");
        std::ofstream(s->root() / "networks" / "config.json")
            << fmt::format(R"({{"bridgeName": "{}", "bridgeSubnet": "10.{}.{}.0/24", "pool": "10.{}.0.0/16", "nftTable": "{}"}})",
                           m_bridge, 200 + rd() % 40, rd() % 256, 240 + rd() % 10, m_table);
    }
    void cleanup() {
        (void)compose({"down", "-v", "--remove-orphans"});
        s->cleanup();
        (void)s->berth({"network", "prune", "-f"});
        // The store's own bridge device and nft table (networks/config.json), as tst_network does.
        (void)berth::network::netlink::deleteLink(m_bridge);
        (void)berth::network::nft::deleteTable(m_table);
        s.reset();
    }

    void appComesUpInOrderAndDownLeavesNothing() {
        auto up = compose({"up", "-d"});
        QVERIFY2(up.exitCode == 0, up.err.c_str());
        auto client = m_project + "-client-1";
        // The client ran only once web was healthy and migrate had completed: its first lines say so.
        QVERIFY(eventually([&] { return s->berth({"logs", client}).out.find("hi\n") != std::string::npos; }, 60000));
        auto logs = compose({"logs", "--no-color", "client"}).out;
        QVERIFY2(logs.find("client | hello from web\nclient | hello from web\nclient | migrated\nclient | hi\n") == 0,
                 logs.c_str());
        auto web = s->inspect(m_project + "-web-1");
        QCOMPARE(web["State"]["Health"]["Status"].get<std::string>(), std::string("healthy"));
        auto& labels = web["Config"]["Labels"];
        QCOMPARE(labels["com.docker.compose.project"].get<std::string>(), m_project);
        QCOMPARE(labels["com.docker.compose.service"].get<std::string>(), std::string("web"));
        QCOMPARE(labels["com.docker.compose.container-number"].get<std::string>(), std::string("1"));
        QCOMPARE(labels["com.docker.compose.oneoff"].get<std::string>(), std::string("False"));
        QCOMPARE(labels["com.docker.compose.project.config_files"].get<std::string>(), file("compose.yaml"));
        QCOMPARE(labels["com.docker.compose.project.working_dir"].get<std::string>(),
                 std::filesystem::path(file("compose.yaml")).parent_path().string());
        QCOMPARE(labels["com.docker.compose.config-hash"].get<std::string>().size(), size_t(64));
        QVERIFY(labels.contains("com.docker.compose.version"));
        auto migrate = s->inspect(m_project + "-migrate-1");
        QCOMPARE(migrate["State"]["ExitCode"].get<int>(), 0);
        // ps and ls.
        auto ps = compose({"ps", "-a", "--services"});
        QCOMPARE(ps.out, std::string("client\nmigrate\nweb\n"));
        QCOMPARE(compose({"ps", "--services"}).out, std::string("client\nweb\n"));
        auto ls = compose({"ls"});
        QVERIFY2(ls.out.find(m_project) != std::string::npos && ls.out.find("running(2)") != std::string::npos, ls.out.c_str());
        QCOMPARE(names("network").find(m_project + "_default") != std::string::npos, true);
        QCOMPARE(names("volume").find(m_project + "_data") != std::string::npos, true);
        // The client's anonymous volume (/cache) exists while it does.
        QCOMPARE(s->berth({"volume", "ls", "-q"}).out.size() > (m_project + "_data\n").size(), true);

        // down: containers, network (its bridge device too) and the anonymous volume gone; the
        // named volume stays.
        auto net = nlohmann::json::parse(s->berth({"network", "inspect", m_project + "_default"}).out, nullptr, false);
        QVERIFY(net.is_array() && !net.empty());
        auto device = "br-" + net[0]["Id"].get<std::string>().substr(0, 12);  // a user network's device
        QVERIFY(std::filesystem::exists("/sys/class/net/" + device));
        auto down = compose({"down"});
        QVERIFY2(down.exitCode == 0, down.err.c_str());
        QCOMPARE(trimmed(s->berth({"ps", "-aq"}).out), std::string());
        QVERIFY(names("network").find(m_project) == std::string::npos);
        QCOMPARE(names("volume"), m_project + "_data");
        QVERIFY2(!std::filesystem::exists("/sys/class/net/" + device), device.c_str());
        // Up again: the migration's file is still there (the volume survived)...
        QVERIFY2(compose({"up", "-d", "--no-deps", "client"}).exitCode == 0, "up client");
        QVERIFY(eventually([&] { return s->berth({"logs", client}).out.find("migrated") != std::string::npos; }, 60000));
        // ...and down -v takes it too.
        QCOMPARE(compose({"down", "-v"}).exitCode, 0);
        QCOMPARE(names("volume"), std::string());
        QCOMPARE(trimmed(s->berth({"ps", "-aq"}).out), std::string());
        QCOMPARE(compose({"ls", "-a", "-q"}).out, std::string());
    }

    void unchangedUpRecreatesNothing() {
        QVERIFY(compose({"up", "-d"}).exitCode == 0);
        auto before = idsByName();
        QCOMPARE(before.size(), size_t(3));
        auto again = compose({"up", "-d"});
        QVERIFY2(again.exitCode == 0, again.err.c_str());
        QCOMPARE(idsByName(), before);
        QVERIFY2(again.err.find("Recreate") == std::string::npos && again.err.find("Created") == std::string::npos,
                 again.err.c_str());
        // A changed variable changes only the client's configuration: only it is recreated.
        auto changed = compose({"up", "-d"}, "compose.yaml", {"GREETING=changed"});
        QVERIFY2(changed.exitCode == 0, changed.err.c_str());
        auto after = idsByName();
        QCOMPARE(after.at(m_project + "-web-1"), before.at(m_project + "-web-1"));
        QCOMPARE(after.at(m_project + "-migrate-1"), before.at(m_project + "-migrate-1"));
        QVERIFY(after.at(m_project + "-client-1") != before.at(m_project + "-client-1"));
        QVERIFY(eventually([&] { return s->berth({"logs", m_project + "-client-1"}).out.find("changed\n") != std::string::npos; }, 60000));
        // --force-recreate replaces every one.
        QVERIFY(compose({"up", "-d", "--force-recreate", "--no-deps", "web"}).exitCode == 0);
        QVERIFY(idsByName().at(m_project + "-web-1") != before.at(m_project + "-web-1"));
    }

    void execRunLogsAndStateVerbs() {
        QVERIFY(compose({"up", "-d"}).exitCode == 0);
        auto client = m_project + "-client-1";
        QVERIFY(eventually([&] { return s->berth({"logs", client}).out.find("hi\n") != std::string::npos; }, 60000));
        auto exec = compose({"exec", "-T", "web", "cat", "/www/index.html"});
        QVERIFY2(exec.exitCode == 0, exec.err.c_str());
        QCOMPARE(exec.out, std::string("hello from web\n"));
        QCOMPARE(compose({"exec", "-T", "web", "sh", "-c", "exit 3"}).exitCode, 3);
        QVERIFY(compose({"exec", "-T", "nosuch", "true"}).exitCode != 0);
        // run --rm: a one-off container on the project's network and volume, gone afterwards.
        auto run = compose({"run", "--rm", "-T", "client", "sh", "-c", "cat /data/migrated; wget -q -O - http://web/"});
        QVERIFY2(run.exitCode == 0, run.err.c_str());
        QCOMPARE(run.out, std::string("migrated\nhello from web\n"));
        QVERIFY(eventually([&] { return idsByName().size() == 3; }));
        QCOMPARE(compose({"run", "--rm", "-T", "--no-deps", "migrate", "sh", "-c", "exit 4"}).exitCode, 4);
        // logs --tail: the last line of each container, one stream.
        QCOMPARE(compose({"logs", "--no-color", "--tail", "1", "client"}).out, std::string("client | hi\n"));
        // stop, then start in dependency order.
        QCOMPARE(compose({"stop"}).exitCode, 0);
        QCOMPARE(compose({"ps", "--services"}).out, std::string());
        QCOMPARE(compose({"start"}).exitCode, 0);
        QVERIFY(eventually([&] { return compose({"ps", "--services"}).out == "client\nweb\n"; }));
        QCOMPARE(compose({"restart", "web"}).exitCode, 0);
        QVERIFY(eventually([&] { return compose({"ps", "--services"}).out == "client\nweb\n"; }));
    }

    void failingUpReportsAndLeavesNothingHalfMade() {
        auto up = compose({"up", "-d"}, "failing.yaml");
        QVERIFY(up.exitCode != 0);
        QVERIFY2(up.err.find("container " + m_project + "-db-1 is unhealthy") != std::string::npos, up.err.c_str());
        QVERIFY2(up.err.find("up: db") != std::string::npos, up.err.c_str());
        // db is up (and reported); app was never created.
        auto ids = idsByName();
        QCOMPARE(ids.size(), size_t(1));
        QVERIFY(ids.contains(m_project + "-db-1"));
        QCOMPARE(compose({"down"}, "failing.yaml").exitCode, 0);
        QCOMPARE(trimmed(s->berth({"ps", "-aq"}).out), std::string());
        QVERIFY(names("network").find(m_project) == std::string::npos);
    }

    void badFilesRefusedBeforeAnything() {
        TempDir dir;
        std::ofstream(dir.path() / "compose.yaml") << "services:\n  web:\n    image: busybox\n    privileged: true\n";
        auto r = runCommand({builtProgram("berth").string(), "--root", s->root().string(), "compose", "--project-directory",
                             dir.path().string(), "up", "-d"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.find("compose.yaml: line 4, column 5: service \"web\": key \"privileged\" is not supported") !=
                     std::string::npos,
                 r.err.c_str());
        QCOMPARE(trimmed(s->berth({"ps", "-aq"}).out), std::string());
        auto networks = names("network");
        QCOMPARE(std::count(networks.begin(), networks.end(), '\n'), 3L);  // header, bridge, host, none
        auto config = compose({"config"});
        QVERIFY2(config.exitCode == 0, config.err.c_str());
        QVERIFY2(config.out.find("name: " + m_project + "\n") == 0, config.out.c_str());
    }
};

BERTH_ROOT_TEST_MAIN(ComposeIntegration)
#include "tst_compose.moc"
