// The per-container sampler: one cgroup read and one /proc/<pid>/net/dev read per sample,
// lo left out of network totals, CPU % from two samples (100 = one core).

#include "skip.h"
#include "cgroup/stats_sampler.h"
#include "fake_files.h"

#include <QtTest/QtTest>

using namespace berth;
using namespace berth::cgroup;
using berth::test::writeText;
namespace fs = std::filesystem;

namespace {

// Returns scripted stats and counts how often it was asked.
class ScriptedManager final : public CgroupManager {
public:
    std::vector<Stats> script;
    mutable size_t reads = 0;

    VoidResult create(const Resources&) override { return {}; }
    VoidResult update(const Resources&) override { return {}; }
    VoidResult addProcess(pid_t) override { return {}; }
    Result<Stats> stats() const override {
        if (reads >= script.size()) return fail(Errc::Internal, "no more scripted stats");
        return script[reads++];
    }
    VoidResult freeze(bool) override { return {}; }
    VoidResult destroy() override { return {}; }
    std::string describe() const override { return "scripted"; }
    CgroupVersion version() const override { return CgroupVersion::V2; }
    Result<std::vector<pid_t>> processes() const override { return std::vector<pid_t>{}; }
    std::vector<fs::path> paths() const override { return {}; }
};

const char* kNetDev =
    "Inter-|   Receive                                                |  Transmit\n"
    " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"
    "    lo:  999999     100    0    0    0     0          0         0   999999     100    0    0    0     0       0          0\n"
    "  eth0:    1000      10    0    0    0     0          0         0     2000      20    0    0    0     0       0          0\n"
    "  eth1:      10       1    0    0    0     0          0         0       20       2    0    0    0     0       0          0\n";

} // namespace

class TestStatsSampler : public QObject {
    Q_OBJECT

private slots:
    void netDevSkipsLoopback() {
        uint64_t rx = 0, tx = 0;
        QVERIFY(parseNetDev(kNetDev, rx, tx));
        QCOMPARE(rx, uint64_t(1010));
        QCOMPARE(tx, uint64_t(2020));
    }

    void netDevOnlyLoopbackIsZero() {
        std::string text(kNetDev);
        text = text.substr(0, text.find("  eth0"));
        uint64_t rx = 1, tx = 1;
        QVERIFY(parseNetDev(text, rx, tx));
        QCOMPARE(rx, uint64_t(0));
        QCOMPARE(tx, uint64_t(0));
    }

    void netDevGarbageRejected() {
        uint64_t rx, tx;
        QVERIFY(!parseNetDev("hello\nworld\n", rx, tx));
        std::string truncated = std::string(kNetDev).substr(0, std::string(kNetDev).find("  eth1")) + "  eth1: 5 6\n";
        QVERIFY(!parseNetDev(truncated, rx, tx));
    }

    void cpuPercentFormula() {
        // Half a core: 0.5 s of CPU over 1 s of wall time.
        QCOMPARE(*cpuPercent(1000000000, 1500000000, 10000000000, 11000000000), 50.0);
        // Two full cores.
        QCOMPARE(*cpuPercent(0, 2000000000, 0, 1000000000), 200.0);
        QVERIFY(!cpuPercent(0, 100, 5, 5));
        QCOMPARE(*cpuPercent(500, 100, 0, 10), 0.0);
    }

    void twoSamplesGiveCpuPercent() {
        test::TempDir tmp;
        writeText(tmp.path() / "4321" / "net" / "dev", kNetDev);
        ScriptedManager m;
        Stats a, b;
        a.cpuUsageNs = 1000000000;
        a.memoryUsage = 4096;
        b.cpuUsageNs = 1250000000;
        b.memoryUsage = 8192;
        b.pids = 2;
        m.script = {a, b};
        uint64_t now = 10000000000;
        StatsSampler sampler(m, 4321, tmp.path(), [&] { return now; });
        auto s1 = sampler.sample();
        QVERIFY2(s1, s1 ? "" : s1.error().message().c_str());
        QVERIFY(!s1->cpuPercent);
        QCOMPARE(s1->netRxBytes, uint64_t(1010));
        QCOMPARE(s1->netTxBytes, uint64_t(2020));
        QCOMPARE(m.reads, size_t(1));
        now += 500000000;  // half a second later, a quarter second of CPU: 50 %
        auto s2 = sampler.sample();
        QVERIFY(s2);
        QVERIFY(s2->cpuPercent);
        QCOMPARE(*s2->cpuPercent, 50.0);
        QCOMPARE(s2->cgroup.memoryUsage, uint64_t(8192));
        QCOMPARE(s2->cgroup.pids, uint64_t(2));
        QCOMPARE(m.reads, size_t(2));  // one cgroup read per sample
    }

    void exitedProcessIsNotFound() {
        test::TempDir tmp;
        ScriptedManager m;
        m.script = {Stats{}};
        StatsSampler sampler(m, 999999, tmp.path());
        auto s = sampler.sample();
        QVERIFY(!s);
        QCOMPARE(s.error().code(), Errc::NotFound);
    }

    void cgroupErrorCarriesContext() {
        test::TempDir tmp;
        writeText(tmp.path() / "7" / "net" / "dev", kNetDev);
        ScriptedManager m;  // nothing scripted: stats() fails
        StatsSampler sampler(m, 7, tmp.path());
        auto s = sampler.sample();
        QVERIFY(!s);
        QCOMPARE(s.error().message(), std::string("stats scripted: no more scripted stats"));
    }
};

BERTH_GUILESS_TEST_MAIN(TestStatsSampler)
#include "tst_stats_sampler.moc"
