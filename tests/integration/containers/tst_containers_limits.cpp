// Resource limits enforced on real containers: memory (OOM kill recorded), pids, cpu.
#include "skip.h"
#include "container_test_helpers.h"

#include <QtTest/QtTest>

#include <chrono>
#include <sstream>
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
        // `events` streams like docker's; --until 0s prints what happened so far and exits.
        auto ev = s->berth({"events", "--filter", "event=oom", "--until", "0s"});
        QVERIFY2(ev.out.find("oom") != std::string::npos, "no oom event recorded");
    }

    void forkBombStopsAtPidsLimit() {
        // Forks up to 100 sleepers, printing the count before each fork. The pids
        // controller refuses the fork past 20 tasks (the shell is one), and busybox sh
        // gives up with "can't fork".
        auto r = s->berth({"run", "--name", "bomb", "--pids-limit", "20", "busybox", "sh", "-c",
                           "i=0; while [ $i -lt 100 ]; do i=$((i+1)); echo $i; sleep 300 & done"});
        QVERIFY2(r.exitCode != 0, "the fork bomb ran to completion under --pids-limit 20");
        QVERIFY2(r.err.find("can't fork") != std::string::npos, r.err.c_str());
        int last = 0;
        std::istringstream in(r.out);
        for (std::string l; std::getline(in, l);) last = std::stoi(l);
        // Tasks: the shell + 19 sleepers; the 20th fork attempt is the one refused.
        QCOMPARE(last, 20);
        QCOMPARE(s->inspect("bomb")["HostConfig"]["PidsLimit"].get<int64_t>(), int64_t(20));
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
        // The limit is the upper bound. The lower bound only shows the spinner really ran:
        // it is low because on a loaded machine (2 shared cores) the spinner may get less
        // than its half core.
        QVERIFY2(cores > 0.15 && cores < 0.7, qPrintable(QString("used %1 cores").arg(cores)));
    }
};

BERTH_ROOT_TEST_MAIN(ContainersLimits)
#include "tst_containers_limits.moc"
