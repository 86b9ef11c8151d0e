// The compose loader (berth/compose.h) on files written by each test: what it resolves and,
// for bad input, the message (file, line, key) it gives instead.
#include "skip.h"
#include "test_support.h"

#include "berth/compose.h"

#include <QtTest/QtTest>

#include <fstream>

using namespace berth;
using namespace berth::compose;
using berth::test::TempDir;

class TestComposeLoad : public QObject {
    Q_OBJECT
    std::unique_ptr<TempDir> dir;

    std::string write(const std::string& name, const std::string& text) {
        auto p = dir->path() / name;
        std::filesystem::create_directories(p.parent_path());
        std::ofstream(p) << text;
        return p.string();
    }
    Result<Project> load(LoadOptions o = {}) {
        if (o.workingDir.empty() && o.files.empty()) o.workingDir = (dir->path() / "app").string();
        if (o.environment.empty()) o.environment = {"HOME=/root"};
        return loadProject(o);
    }
    std::string error(LoadOptions o = {}) {
        auto p = load(o);
        if (p) return "(loaded)";
        return p.error().message();
    }
    static auto vars(std::map<std::string, std::string> m) {
        return [m](const std::string& k) -> std::optional<std::string> {
            auto it = m.find(k);
            if (it == m.end()) return std::nullopt;
            return it->second;
        };
    }

private slots:
    void init() { dir = std::make_unique<TempDir>(); }

    void interpolation() {
        auto v = vars({{"A", "1"}, {"EMPTY", ""}});
        QCOMPARE(*interpolate("${A}", v), std::string("1"));
        QCOMPARE(*interpolate("$A-x", v), std::string("1-x"));
        QCOMPARE(*interpolate("${B:-def}", v), std::string("def"));
        QCOMPARE(*interpolate("${EMPTY:-def}", v), std::string("def"));
        QCOMPARE(*interpolate("${EMPTY-def}", v), std::string(""));
        QCOMPARE(*interpolate("${B-def}", v), std::string("def"));
        QCOMPARE(*interpolate("${B:-${A}}", v), std::string("1"));
        QCOMPARE(*interpolate("$$A and $${A}", v), std::string("$A and ${A}"));
        QCOMPARE(*interpolate("${A:?needed}", v), std::string("1"));
        QCOMPARE(*interpolate("${A:+set}${B:+set}", v), std::string("set"));
        QCOMPARE(*interpolate("cost $ 5", v), std::string("cost $ 5"));
        auto missing = interpolate("${B:?the db password}", v);
        QVERIFY(!missing);
        QCOMPARE(missing.error().message(), std::string("required variable B is missing a value: the db password"));
        QVERIFY(!interpolate("${EMPTY:?x}", v));
        QVERIFY(interpolate("${EMPTY?x}", v));
        QVERIFY(!interpolate("${B?x}", v));
        QVERIFY(!interpolate("${A", v));
        QVERIFY(!interpolate("${A!x}", v));
    }

    void projectNames() {
        QCOMPARE(normalizeProjectName("My App.v2"), std::string("myappv2"));
        QCOMPARE(normalizeProjectName("_x-Y_"), std::string("x-y_"));
        QCOMPARE(normalizeProjectName("..."), std::string());
    }

    void lookupEnvAndProjectName() {
        write("My.App/docker-compose.yml", "services:\n  web:\n    image: busybox:${TAG:-latest}\n"
                                           "    environment:\n      - GREETING=${GREETING}\n      - FROM_SHELL\n");
        write("My.App/.env", "# comment\nTAG=1.36\nexport GREETING=\"hello world\"\nFROM_SHELL=dotenv\n");
        auto p = load({.workingDir = (dir->path() / "My.App").string(), .environment = {"FROM_SHELL=shell"}});
        QVERIFY2(p, p ? "" : p.error().message().c_str());
        QCOMPARE(p->name, std::string("myapp"));
        QCOMPARE(p->services.at("web").image, std::string("busybox:1.36"));
        QCOMPARE(p->services.at("web").environment.at("GREETING"), std::optional<std::string>("hello world"));
        QCOMPARE(p->services.at("web").environment.at("FROM_SHELL"), std::optional<std::string>("shell"));
        QCOMPARE(p->configFiles, std::vector<std::string>{(dir->path() / "My.App/docker-compose.yml").string()});
        // -p, then COMPOSE_PROJECT_NAME, then name:.
        auto named = load({.projectName = "other", .workingDir = (dir->path() / "My.App").string()});
        QCOMPARE(named->name, std::string("other"));
        auto env = load({.workingDir = (dir->path() / "My.App").string(), .environment = {"COMPOSE_PROJECT_NAME=Env"}});
        QCOMPARE(env->name, std::string("env"));
        QVERIFY(error({.projectName = "Bad Name", .workingDir = (dir->path() / "My.App").string()}).find("invalid project name") !=
                std::string::npos);
        // --env-file replaces .env.
        write("vars", "TAG=2\n");
        auto withFile = load({.workingDir = (dir->path() / "My.App").string(), .envFiles = {(dir->path() / "vars").string()}});
        QCOMPARE(withFile->services.at("web").image, std::string("busybox:2"));
        QCOMPARE(withFile->services.at("web").environment.at("GREETING"), std::optional<std::string>(""));
    }

    void compose_yaml_first() {
        write("app/compose.yaml", "name: first\nservices:\n  a:\n    image: busybox\n");
        write("app/docker-compose.yml", "name: second\nservices:\n  a:\n    image: busybox\n");
        QCOMPARE(load()->name, std::string("first"));
        std::filesystem::remove(dir->path() / "app/compose.yaml");
        QCOMPARE(load()->name, std::string("second"));
        std::filesystem::remove(dir->path() / "app/docker-compose.yml");
        auto none = load();
        QVERIFY(!none);
        QCOMPARE(none.error().code(), Errc::NotFound);
    }

    void filesMergeInOrder() {
        auto base = write("app/compose.yaml", R"(services:
  web:
    image: busybox
    command: httpd -f -p 80
    environment: [A=1, B=2]
    ports: ["8080:80"]
    volumes: [data:/data, ./site:/www:ro]
    labels: {tier: front}
volumes:
  data: {}
)");
        auto over = write("app/override.yaml", R"(services:
  web:
    command: ["sleep", "1"]
    environment:
      B: three
    ports: ["127.0.0.1:9090:90/udp"]
    volumes: [/srv:/www]
)");
        auto p = load({.files = {base, over}});
        QVERIFY2(p, p ? "" : p.error().message().c_str());
        auto& web = p->services.at("web");
        QCOMPARE(*web.command, (std::vector<std::string>{"sleep", "1"}));
        QCOMPARE(web.environment.at("A"), std::optional<std::string>("1"));
        QCOMPARE(web.environment.at("B"), std::optional<std::string>("three"));
        QCOMPARE(web.ports.size(), size_t(2));
        QCOMPARE(web.ports[1], (ServicePort{"127.0.0.1", "9090", "90", "udp"}));
        QCOMPARE(web.volumes.size(), size_t(2));  // /www replaced, not added
        QCOMPARE(web.volumes[1], (ServiceVolume{"bind", "/srv", "/www", false, 0}));
        QCOMPARE(web.volumes[0], (ServiceVolume{"volume", "data", "/data", false, 0}));
        QCOMPARE(web.labels.at("tier"), std::string("front"));
        QCOMPARE(p->name, std::string("app"));
        auto f = runFlags(*p, web, 1);
        QCOMPARE(f.name, std::string("app-web-1"));
        QCOMPARE(f.mounts[0], std::string("type=volume,source=app_data,target=/data"));
        QCOMPARE(f.publish[1], std::string("127.0.0.1:9090:90/udp"));
        QCOMPARE(f.network, std::string("app_default"));
        auto req = runRequest(*p, web, 1);
        QVERIFY2(req, req ? "" : req.error().message().c_str());
        QCOMPARE(req->labels.at("com.docker.compose.project"), std::string("app"));
        QCOMPARE(req->labels.at("com.docker.compose.service"), std::string("web"));
        QCOMPARE(req->labels.at("com.docker.compose.container-number"), std::string("1"));
        QCOMPARE(req->labels.at("com.docker.compose.oneoff"), std::string("False"));
        QCOMPARE(req->labels.at("com.docker.compose.project.config_files"), base + "," + over);
        QCOMPARE(req->labels.at("com.docker.compose.config-hash").size(), size_t(64));
        QCOMPARE(req->networkAliases, std::vector<std::string>{"web"});
    }

    void serviceAsRunRequest() {
        write("app/compose.yaml", R"(services:
  db:
    image: busybox
    entrypoint: ["/bin/sh", "-c"]
    command: "echo 'a b' c"
    healthcheck:
      test: ["CMD", "true"]
      interval: 1s
      retries: 2
    deploy: {resources: {limits: {cpus: "0.5", memory: 64M, pids: 50}}}
    restart: on-failure:2
    stop_grace_period: 1m30s
    user: "1000"
    working_dir: /tmp
  app:
    image: busybox
    depends_on:
      db: {condition: service_healthy}
    healthcheck: {test: "wget -q localhost", timeout: 2s}
)");
        auto p = load();
        QVERIFY2(p, p ? "" : p.error().message().c_str());
        auto db = runRequest(*p, p->services.at("db"), 1);
        QVERIFY2(db, db ? "" : db.error().message().c_str());
        QCOMPARE(*db->entrypoint, std::vector<std::string>{"/bin/sh"});
        QCOMPARE(db->cmd, (std::vector<std::string>{"-c", "echo", "a b", "c"}));
        QCOMPARE(db->healthcheck->test, (std::vector<std::string>{"CMD", "true"}));
        QCOMPARE(db->healthcheck->intervalNs, int64_t(1'000'000'000));
        QCOMPARE(db->healthcheck->retries, 2);
        QCOMPARE(*db->resources.memoryBytes, int64_t(64) << 20);
        QCOMPARE(*db->resources.pidsLimit, int64_t(50));
        QCOMPARE(*db->stopTimeout, 90);
        QCOMPARE(db->restart.maxRetries, 2);
        auto app = runRequest(*p, p->services.at("app"), 1);
        QCOMPARE(app->healthcheck->test, (std::vector<std::string>{"CMD-SHELL", "wget -q localhost"}));
        QCOMPARE(*startOrder(*p), (std::vector<std::string>{"db", "app"}));
        QCOMPARE(*startOrder(*p, {"app"}, true), std::vector<std::string>{"app"});
        QCOMPARE(startOrder(*p, {"nope"}).error().code(), Errc::NotFound);
        // The hash follows the configuration.
        auto copy = *p;
        QCOMPARE(configHash(*p, p->services.at("db")), configHash(copy, copy.services.at("db")));
        copy.services.at("db").environment["X"] = "1";
        QVERIFY(configHash(*p, p->services.at("db")) != configHash(copy, copy.services.at("db")));
        // config: what it prints loads again to the same services.
        write("again/compose.yaml", toYaml(*p));
        auto again = load({.workingDir = (dir->path() / "again").string()});
        QVERIFY2(again, again ? "" : again.error().message().c_str());
        QCOMPARE(again->name, p->name);
        QCOMPARE(again->services, p->services);
    }

    void profilesAndExtends() {
        write("app/compose.yaml", R"(services:
  base:
    image: busybox
    environment: {LEVEL: base, KEEP: yes}
    labels: [a=1]
  web:
    extends: base
    environment: {LEVEL: web}
  debug:
    extends: {service: web}
    profiles: [debug]
)");
        auto p = load();
        QVERIFY2(p, p ? "" : p.error().message().c_str());
        QCOMPARE(p->services.at("web").environment.at("LEVEL"), std::optional<std::string>("web"));
        QCOMPARE(p->services.at("web").environment.at("KEEP"), std::optional<std::string>("yes"));
        QCOMPARE(p->services.at("web").image, std::string("busybox"));
        QVERIFY(!p->services.contains("debug"));
        QCOMPARE(p->disabledServices, std::vector<std::string>{"debug"});
        auto withProfile = load({.workingDir = (dir->path() / "app").string(), .profiles = {"debug"}});
        QCOMPARE(withProfile->services.at("debug").labels.at("a"), std::string("1"));
        auto viaEnv = load({.workingDir = (dir->path() / "app").string(), .environment = {"COMPOSE_PROFILES=x,debug"}});
        QVERIFY(viaEnv->services.contains("debug"));
    }

    void errorsNameFileLineAndKey_data() {
        QTest::addColumn<QString>("yaml");
        QTest::addColumn<QString>("message");
        QTest::newRow("syntax") << "services:\n  web:\n    image: [busybox\n"
                                << "compose.yaml: line 4, column 1: YAML syntax error";
        QTest::newRow("unknown key") << "services:\n  web:\n    image: busybox\n    imgae: x\n"
                                     << "compose.yaml: line 4, column 5: service \"web\": unknown key \"imgae\"";
        QTest::newRow("unsupported key") << "services:\n  web:\n    image: busybox\n    privileged: true\n"
                                         << "line 4, column 5: service \"web\": key \"privileged\" is not supported";
        QTest::newRow("top-level") << "services: {}\nsecrets: {}\n" << "line 2, column 1: top-level key \"secrets\" is not supported";
        QTest::newRow("wrong type") << "services:\n  web:\n    image: busybox\n    ports: 80\n"
                                    << "line 4, column 12: ports must be a list";
        QTest::newRow("map for string") << "services:\n  web:\n    image: {a: 1}\n" << "line 3, column 12: image must be a string";
        QTest::newRow("bool") << "services:\n  web:\n    image: busybox\n    init: maybe\n"
                              << "line 4, column 11: init must be true or false";
        QTest::newRow("init") << "services:\n  web:\n    image: busybox\n    init: true\n" << "init: true is not supported";
        QTest::newRow("required variable") << "services:\n  web:\n    image: ${IMAGE:?set IMAGE}\n"
                                           << "line 3, column 12: required variable IMAGE is missing a value: set IMAGE";
        QTest::newRow("cycle") << "services:\n  a: {image: busybox, depends_on: [b]}\n  b: {image: busybox, depends_on: [a]}\n"
                               << "dependency cycle: a -> b -> a";
        QTest::newRow("unknown dependency") << "services:\n  a: {image: busybox, depends_on: [db]}\n"
                                            << "service \"a\" depends on undefined service \"db\"";
        QTest::newRow("no image") << "services:\n  a:\n    command: x\n" << "service \"a\" has neither an image nor a build";
        QTest::newRow("undefined volume") << "services:\n  a: {image: busybox, volumes: [\"data:/d\"]}\n"
                                          << "refers to undefined volume \"data\"";
        QTest::newRow("driver_opts") << "services:\n  a: {image: busybox}\nvolumes:\n  v:\n    driver_opts: {type: nfs}\n"
                                     << "line 5, column 5: volume \"v\": key \"driver_opts\" is not supported";
        QTest::newRow("condition") << "services:\n  a: {image: busybox, depends_on: {b: {condition: up}}}\n  b: {image: busybox}\n"
                                   << "depends_on.condition \"up\" is not one of";
        QTest::newRow("extends cycle") << "services:\n  a: {image: busybox, extends: b}\n  b: {image: busybox, extends: a}\n"
                                       << "extends cycle";
        QTest::newRow("bad run flag") << "services:\n  a: {image: busybox, mem_limit: lots}\n" << "service \"a\": --memory: invalid size";
    }
    void errorsNameFileLineAndKey() {
        QFETCH(QString, yaml);
        QFETCH(QString, message);
        write("app/compose.yaml", yaml.toStdString());
        auto e = error();
        QVERIFY2(e.find(message.toStdString()) != std::string::npos, e.c_str());
    }
};

BERTH_APPLESS_TEST_MAIN(TestComposeLoad)
#include "tst_compose_load.moc"
