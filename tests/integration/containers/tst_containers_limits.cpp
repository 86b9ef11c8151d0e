// Resource limits enforced on real containers: memory (OOM kill recorded), pids, cpu.
#include "container_test_helpers.h"

#include <QtTest/QtTest>

#include <chrono>
#include <thread>

using namespace berth::test;

class ContainersLimits : public QObject {
    Q_OBJECT
    std::unique_ptr<ContainerStoreFixture> s;

    nlohmann::json statsOf(const std::string& name) {
        auto r = s->berth({"stats", "--no-stream", "--format", "json", name});
        auto j = nlohmann::json::parse(trimmed(r.out), nullptr, false);
        return j.is_discarded() ? nlohmann::json::object() : j;
    }

private slots:
    void init() { s = std::make_unique<ContainerStoreFixture>(); }
    void cleanup() { s.reset(); }

    void memoryHogIsOomKilled() {
        // Doubling a shell string until the 32 MiB limit is hit.
        auto r = s->berth({"run", "--name", "hog", "--memory", "32m", "busybox", "sh", "-c",
                           "a=xxxxxxxxxxxxxxxx; while true; do a=\"$a$a\"; done"});
        QCOMPARE(r.exitCode, 137);
        auto j = s->inspect("hog");
        QCOMPARE(j["State"]["OOMKilled"].get<bool>(), true);
        QCOMPARE(j["State"]["ExitCode"].get<int>(), 137);
        QCOMPARE(j["HostConfig"]["Memory"].get<int64_t>(), int64_t(32) << 20);
        auto ev = s->berth({"events", "--filter", "event=oom"});
        QVERIFY2(ev.out.find("oom") != std::string::npos, "no oom event recorded");
    }

    void forkBombStopsAtPidsLimit() {
        QCOMPARE(s->berth({"run", "-d", "--name", "bomb", "--pids-limit", "20", "busybox", "sh", "-c",
                           "while true; do sleep 300 & done"}).exitCode, 0);
        // Wait until it has filled its allowance, then check it never went beyond.
        QVERIFY(eventually([&] { return statsOf("bomb").value("PIDs", "0") == "20"; }));
        std::this_thread::sleep_for(std::chrono::seconds(1));
        QCOMPARE(statsOf("bomb").value("PIDs", ""), std::string("20"));
        auto top = s->berth({"top", "bomb"});
        int lines = int(std::count(top.out.begin(), top.out.end(), '\n')) - 1;
        QVERIFY2(lines <= 20, top.out.c_str());
        QVERIFY(lines >= 2);
    }

    void cpusHalfACore() {
        QCOMPARE(s->berth({"run", "-d", "--name", "spin", "--cpus", "0.5", "busybox", "sh", "-c",
                           "while true; do :; done"}).exitCode, 0);
        auto first = statsOf("spin");
        QVERIFY(first.contains("CPUUsageNs"));
        auto t0 = std::chrono::steady_clock::now();
        std::this_thread::sleep_for(std::chrono::seconds(3));
        auto second = statsOf("spin");
        double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        double cpu = double(second["CPUUsageNs"].get<uint64_t>() - first["CPUUsageNs"].get<uint64_t>()) / 1e9;
        double cores = cpu / wall;
        QVERIFY2(cores > 0.3 && cores < 0.7, qPrintable(QString("used %1 cores").arg(cores)));
    }
};

BERTH_ROOT_TEST_MAIN(ContainersLimits)
#include "tst_containers_limits.moc"
