// Healthchecks on real containers (issue 18): the monitor runs the check in the container on
// schedule; a passing one makes it healthy, a failing one unhealthy after its retries, one
// past its timeout is killed and counts as a failure; --no-healthcheck turns an image's
// HEALTHCHECK off; ps shows "(healthy)" and filters on health; inspect has docker's shape.
// States are waited for with generous timeouts; no duration is asserted.
#include "skip.h"
#include "container_test_helpers.h"

#include <QtTest/QtTest>

#include <fstream>
#include <sstream>

using namespace berth::test;

class ContainersHealth : public QObject {
    Q_OBJECT
    std::unique_ptr<ContainerStoreFixture> s;

    std::string health(const std::string& name) {
        auto j = s->inspect(name);
        if (!j.contains("State") || !j["State"].contains("Health")) return "";
        return j["State"]["Health"]["Status"].get<std::string>();
    }
    bool becomes(const std::string& name, const std::string& status) {
        return eventually([&] { return health(name) == status; }, 60000);
    }
    std::string psNames(const std::string& filter) {
        return s->berth({"ps", "-a", "--filter", filter, "--format", "{{.Names}}"}).out;
    }
    std::string psStatus(const std::string& name) {
        return trimmed(s->berth({"ps", "-a", "--filter", "name=" + name, "--format", "{{.Status}}"}).out);
    }
    std::string healthEvents(const std::string& name) {
        return s->berth({"events", "--filter", "container=" + name, "--filter", "event=health_status", "--until", "0s",
                         "--format", "{{.Action}}"})
            .out;
    }
    void run(const std::vector<std::string>& args) {
        std::vector<std::string> all{"run", "-d"};
        all.insert(all.end(), args.begin(), args.end());
        auto r = s->berth(all);
        QVERIFY2(r.exitCode == 0, r.err.c_str());
    }

private slots:
    void init() { s = std::make_unique<ContainerStoreFixture>(); }
    void cleanup() { s.reset(); }

    void passingCheckBecomesHealthy() {
        // Output past docker's 4096 bytes is cut there, with "..." after it.
        run({"--name", "ok", "--health-cmd", "head -c 5000 /dev/zero | tr '\\0' a", "--health-interval", "200ms",
             "busybox", "sleep", "300"});
        QVERIFY(becomes("ok", "healthy"));
        auto j = s->inspect("ok");
        QCOMPARE(j["Config"]["Healthcheck"]["Test"],
                 nlohmann::json({"CMD-SHELL", "head -c 5000 /dev/zero | tr '\\0' a"}));
        QCOMPARE(j["Config"]["Healthcheck"]["Interval"].get<int64_t>(), int64_t(200'000'000));
        auto& h = j["State"]["Health"];
        QCOMPARE(h["FailingStreak"].get<int>(), 0);
        QVERIFY(h["Log"].is_array() && !h["Log"].empty() && h["Log"].size() <= 5);
        auto& last = h["Log"].back();
        QCOMPARE(last["ExitCode"].get<int>(), 0);
        QCOMPARE(last["Output"].get<std::string>(), std::string(4096, 'a') + "...");
        QVERIFY(last["Start"].is_string() && last["End"].is_string());
        // ps: docker's text and filter.
        QVERIFY2(psStatus("ok").starts_with("Up ") && psStatus("ok").ends_with(" (healthy)"), psStatus("ok").c_str());
        QCOMPARE(psNames("health=healthy"), std::string("ok\n"));
        QCOMPARE(psNames("health=unhealthy"), std::string());
        QCOMPARE(psNames("health=none"), std::string());
        QVERIFY(eventually([&] { return healthEvents("ok") == "health_status: healthy\n"; }, 20000));
        // Five results at most, as docker keeps.
        QVERIFY(eventually([&] { return s->inspect("ok")["State"]["Health"]["Log"].size() == 5; }, 60000));
        auto bad = s->berth({"ps", "--filter", "health=great"});
        QVERIFY(bad.exitCode != 0);
        QVERIFY2(bad.err.find("health") != std::string::npos, bad.err.c_str());
    }

    void startingUntilTheFirstCheck() {
        // An hour until the first check: it stays "starting" for as long as the test looks.
        run({"--name", "slow", "--health-cmd", "true", "--health-interval", "1h", "busybox", "sleep", "300"});
        run({"--name", "plain", "busybox", "sleep", "300"});
        QVERIFY(eventually([&] { return s->inspect("slow")["State"]["Running"] == true; }));
        QCOMPARE(health("slow"), std::string("starting"));
        QVERIFY2(psStatus("slow").ends_with(" (health: starting)"), psStatus("slow").c_str());
        QCOMPARE(psNames("health=starting"), std::string("slow\n"));
        QCOMPARE(psNames("health=none"), std::string("plain\n"));
        QVERIFY(!s->inspect("plain")["State"].contains("Health"));
        QVERIFY(!s->inspect("plain")["Config"].contains("Healthcheck"));
        QVERIFY2(psStatus("plain").find('(') == std::string::npos, psStatus("plain").c_str());
    }

    void failingCheckBecomesUnhealthy() {
        run({"--name", "bad", "--health-cmd", "echo failing; exit 1", "--health-interval", "200ms", "--health-retries",
             "2", "busybox", "sleep", "300"});
        QVERIFY(becomes("bad", "unhealthy"));
        auto h = s->inspect("bad")["State"]["Health"];
        QVERIFY(h["FailingStreak"].get<int>() >= 2);
        QCOMPARE(h["Log"].back()["ExitCode"].get<int>(), 1);
        QCOMPARE(h["Log"].back()["Output"].get<std::string>(), std::string("failing\n"));
        QVERIFY2(psStatus("bad").ends_with(" (unhealthy)"), psStatus("bad").c_str());
        QCOMPARE(psNames("health=unhealthy"), std::string("bad\n"));
        QVERIFY(eventually([&] { return healthEvents("bad") == "health_status: unhealthy\n"; }, 20000));
        // A stopped container shows no health in ps.
        QCOMPARE(s->berth({"stop", "-t", "1", "bad"}).exitCode, 0);
        QVERIFY2(psStatus("bad").starts_with("Exited"), psStatus("bad").c_str());
        QCOMPARE(psNames("health=unhealthy"), std::string());
    }

    void checkPastItsTimeoutIsKilled() {
        run({"--name", "stuck", "--health-cmd", "sleep 600", "--health-timeout", "300ms", "--health-interval", "200ms",
             "--health-retries", "1", "busybox", "sleep", "300"});
        QVERIFY(becomes("stuck", "unhealthy"));
        auto last = s->inspect("stuck")["State"]["Health"]["Log"].back();
        QCOMPARE(last["ExitCode"].get<int>(), -1);
        QCOMPARE(last["Output"].get<std::string>(), std::string("Health check exceeded timeout (300ms)"));
        // Killed with its session: after three timed-out checks, at most the one running
        // now has a `sleep 600` in the container.
        QVERIFY(eventually([&] { return s->inspect("stuck")["State"]["Health"]["Log"].size() >= 3; }, 60000));
        auto ps = s->berth({"exec", "stuck", "ps", "-o", "args"});
        QVERIFY2(ps.exitCode == 0, ps.err.c_str());
        std::istringstream lines(ps.out);
        int sleeping = 0;
        for (std::string line; std::getline(lines, line);) sleeping += trimmed(line) == "sleep 600";
        QVERIFY2(sleeping <= 1, ps.out.c_str());
    }

    void noHealthcheckOverTheImages() {
        TempDir ctx;
        std::ofstream(ctx.path() / "Dockerfile")
            << "FROM busybox\nHEALTHCHECK --interval=200ms --retries=1 CMD [\"sh\", \"-c\", \"exit 1\"]\n";
        auto b = s->berth({"build", "-q", "-t", "checked", ctx.path().string()});
        QVERIFY2(b.exitCode == 0, b.err.c_str());
        // The image's check runs...
        run({"--name", "img", "checked", "sleep", "300"});
        QVERIFY(becomes("img", "unhealthy"));
        QCOMPARE(s->inspect("img")["Config"]["Healthcheck"]["Test"], nlohmann::json({"CMD", "sh", "-c", "exit 1"}));
        // ...flags replace its command, keeping its interval...
        run({"--name", "over", "--health-cmd", "true", "checked", "sleep", "300"});
        QVERIFY(becomes("over", "healthy"));
        QCOMPARE(s->inspect("over")["Config"]["Healthcheck"]["Interval"].get<int64_t>(), int64_t(200'000'000));
        // ...and --no-healthcheck turns it off.
        run({"--name", "off", "--no-healthcheck", "checked", "sleep", "300"});
        QVERIFY(eventually([&] { return s->inspect("off")["State"]["Running"] == true; }));
        auto j = s->inspect("off");
        QCOMPARE(j["Config"]["Healthcheck"]["Test"], nlohmann::json({"NONE"}));
        QVERIFY(!j["State"].contains("Health"));
        QCOMPARE(psNames("health=none"), std::string("off\n"));
    }

    void badFlagsCreateNothing() {
        for (auto flags : std::vector<std::vector<std::string>>{{"--health-interval", "5x"},
                                                                {"--health-retries", "-1"},
                                                                {"--no-healthcheck", "--health-cmd", "true"}}) {
            std::vector<std::string> args{"run", "-d"};
            args.insert(args.end(), flags.begin(), flags.end());
            args.insert(args.end(), {"busybox", "true"});
            auto r = s->berth(args);
            QCOMPARE(r.exitCode, 125);
            QVERIFY2(r.err.find("health") != std::string::npos, r.err.c_str());
        }
        QCOMPARE(s->berth({"ps", "-aq"}).out, std::string());
    }
};

BERTH_ROOT_TEST_MAIN(ContainersHealth)
#include "tst_containers_health.moc"
