// Resource limits enforced on real containers: memory (OOM kill recorded), pids, cpu (the
// quota as the kernel accounts it, not a wall-clock rate).
#include "skip.h"
#include "container_test_helpers.h"

#include <QtTest/QtTest>

#include <chrono>
#include <fstream>
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
    static std::string readText(const std::filesystem::path& p) {
        std::ifstream in(p);
        return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    }
    // A "key value" line of cpu.stat.
    static uint64_t statField(const std::string& text, const std::string& key) {
        std::istringstream in(text);
        std::string k;
        uint64_t v = 0;
        while (in >> k >> v)
            if (k == key) return v;
        return 0;
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

    // --cpus 0.5 is a CFS quota of half of every period. What the kernel promises with it,
    // and what this checks, holds however loaded the machine is: the container never used
    // more CPU than its quota for each period it ran in (cpu.stat's nr_periods), give or
    // take the two slices of bandwidth the kernel may hand out ahead. (A spinner without the
    // limit on an idle core uses twice that.) How much CPU a spinner gets in a second of
    // wall-clock time depends on the load, so that is not asserted.
    void cpusHalfACore() {
        QCOMPARE(s->berth({"run", "-d", "--name", "spin", "--cpus", "0.5", "busybox", "sh", "-c",
                           "while true; do :; done"}).exitCode, 0);
        const std::string id = s->inspect("spin")["Id"].get<std::string>();
        std::filesystem::path dir;
        for (const auto& d : s->cgroupDirs({id}))
            if (std::filesystem::exists(std::filesystem::path(d) / "cpu.cfs_quota_us")) dir = d;
        if (dir.empty() && std::filesystem::exists("/sys/fs/cgroup/berth/" + id + "/cpu.max"))
            dir = "/sys/fs/cgroup/berth/" + id;
        QVERIFY2(!dir.empty(), "no cpu cgroup directory for the container");
        const bool v2 = std::filesystem::exists(dir / "cpu.max");
        if (v2) {
            QCOMPARE(trimmed(readText(dir / "cpu.max")), std::string("50000 100000"));
        } else {
            QCOMPARE(trimmed(readText(dir / "cpu.cfs_quota_us")), std::string("50000"));
            QCOMPARE(trimmed(readText(dir / "cpu.cfs_period_us")), std::string("100000"));
        }
        // Let it spin for at least 40 periods' worth of quota (2 s of CPU); a generous bound.
        auto usageNs = [&] {
            auto j = statsOf("spin");
            return j.contains("CPUUsageNs") ? j["CPUUsageNs"].get<uint64_t>() : uint64_t(0);
        };
        uint64_t used = 0;
        for (int i = 0; i < 600 && (used = usageNs()) < 2000000000ull; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        QVERIFY2(used >= 2000000000ull, qPrintable(QString("the spinner used only %1 ms of CPU").arg(used / 1000000)));
        // Periods read after the usage: they only grow, so the bound is never too tight.
        const uint64_t periods = statField(readText(dir / "cpu.stat"), "nr_periods");
        const uint64_t quotaNs = 50000ull * 1000;
        QVERIFY2(used <= (periods + 2) * quotaNs,
                 qPrintable(QString("used %1 ms of CPU in %2 periods of 100 ms: more than half of each")
                                .arg(used / 1000000)
                                .arg(periods)));
    }
};

BERTH_ROOT_TEST_MAIN(ContainersLimits)
#include "tst_containers_limits.moc"
