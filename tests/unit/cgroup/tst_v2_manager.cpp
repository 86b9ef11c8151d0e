// The v2 manager writing into a temporary directory that stands in for a cgroup2 mount:
// the exact contents of every file each flag writes, controller delegation in the
// parents, stats parsed from fixture files, and bad values refused before anything exists.

#include "skip.h"
#include "cgroup/cgroup_manager.h"
#include "cgroup/control_files.h"
#include "fake_files.h"

#include <QtTest/QtTest>

using namespace berth;
using namespace berth::cgroup;
using berth::test::readText;
using berth::test::writeText;
namespace fs = std::filesystem;

class TestV2Manager : public QObject {
    Q_OBJECT

    std::unique_ptr<test::TempDir> m_tmp;
    fs::path m_root;

    std::unique_ptr<CgroupManager> manager(ManagerOptions opts = {}) {
        auto m = makeManager(CgroupVersion::V2, m_root, "berth/c1", opts);
        if (!m) qFatal("makeManager: %s", m.error().message().c_str());
        return std::move(*m);
    }
    fs::path leaf() const { return m_root / "berth" / "c1"; }

private slots:
    void init() {
        m_tmp = std::make_unique<test::TempDir>();
        m_root = m_tmp->path();
        // What a cgroup2 root offers; nothing enabled for children yet.
        writeText(m_root / "cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma misc\n");
        writeText(m_root / "cgroup.subtree_control", "");
    }
    void cleanup() { m_tmp.reset(); }

    void createWritesEveryLimit() {
        Resources r;
        r.memoryBytes = 64ll << 20;
        r.memorySwapBytes = 128ll << 20;
        r.cpuQuotaUs = 50000;
        r.cpuShares = 1024;
        r.cpusetCpus = "0-1";
        r.pidsLimit = 100;
        auto m = manager();
        auto res = m->create(r);
        QVERIFY2(res, res ? "" : res.error().message().c_str());
        QVERIFY(fs::is_directory(leaf()));
        QCOMPARE(readText(leaf() / "memory.max"), std::string("67108864"));
        QCOMPARE(readText(leaf() / "memory.swap.max"), std::string("67108864"));  // 128M - 64M
        QCOMPARE(readText(leaf() / "cpu.max"), std::string("50000 100000"));
        QCOMPARE(readText(leaf() / "cpu.weight"), std::string("39"));
        QCOMPARE(readText(leaf() / "cpuset.cpus"), std::string("0-1"));
        QCOMPARE(readText(leaf() / "pids.max"), std::string("100"));
        QCOMPARE(m->describe(), "v2 " + leaf().string());
        QCOMPARE(m->paths().size(), size_t(1));
        QCOMPARE(m->paths()[0], leaf());
    }

    void parentsDelegateControllers() {
        QVERIFY(manager()->create({}));
        QCOMPARE(readText(m_root / "cgroup.subtree_control"), std::string("+memory +cpu +pids +cpuset +io"));
        QCOMPARE(readText(m_root / "berth" / "cgroup.subtree_control"),
                 std::string("+memory +cpu +pids +cpuset +io"));
        // The leaf holds processes, so it delegates nothing.
        QVERIFY(!fs::exists(leaf() / "cgroup.subtree_control"));
    }

    void onlyOfferedAndMissingControllersAreEnabled() {
        writeText(m_root / "cgroup.controllers", "cpu memory pids\n");
        writeText(m_root / "cgroup.subtree_control", "memory\n");
        QVERIFY(manager()->create({}));
        QCOMPARE(readText(m_root / "cgroup.subtree_control"), std::string("+cpu +pids"));
    }

    void existingParentGetsControllersToo() {
        // "berth" made earlier (another container, an older version) without delegation.
        writeText(m_root / "cgroup.subtree_control", "cpuset cpu io memory pids\n");
        writeText(m_root / "berth" / "cgroup.controllers", "cpu memory\n");
        writeText(m_root / "berth" / "cgroup.subtree_control", "");
        QVERIFY(manager()->create({}));
        QCOMPARE(readText(m_root / "berth" / "cgroup.subtree_control"), std::string("+memory +cpu"));
        QCOMPARE(readText(m_root / "cgroup.subtree_control"), std::string("cpuset cpu io memory pids\n"));
    }

    void nothingRequestedWritesNoLimitFile() {
        QVERIFY(manager()->create({}));
        for (const char* f : {"memory.max", "memory.swap.max", "cpu.max", "cpu.weight", "cpuset.cpus", "pids.max"})
            QVERIFY2(!fs::exists(leaf() / f), f);
    }

    void swapSemantics_data() {
        QTest::addColumn<qlonglong>("swap");  // -2: not given
        QTest::addColumn<QString>("expected");
        QTest::newRow("unlimited") << -1ll << "max";
        QTest::newRow("equal to memory: no swap") << (64ll << 20) << "0";
        QTest::newRow("double") << (128ll << 20) << "67108864";
        QTest::newRow("not given: as much swap as memory") << -2ll << "67108864";
    }
    void swapSemantics() {
        QFETCH(qlonglong, swap);
        QFETCH(QString, expected);
        Resources r;
        r.memoryBytes = 64ll << 20;
        if (swap != -2) r.memorySwapBytes = swap;
        QVERIFY(manager()->create(r));
        QCOMPARE(readText(leaf() / "memory.swap.max"), expected.toStdString());
    }

    void weightConversion_data() {
        QTest::addColumn<qulonglong>("shares");
        QTest::addColumn<QString>("weight");
        QTest::newRow("min") << 2ull << "1";
        QTest::newRow("docker default") << 1024ull << "39";
        QTest::newRow("512") << 512ull << "20";
        QTest::newRow("max") << 262144ull << "10000";
    }
    void weightConversion() {
        QFETCH(qulonglong, shares);
        QFETCH(QString, weight);
        Resources r;
        r.cpuShares = shares;
        QVERIFY(manager()->create(r));
        QCOMPARE(readText(leaf() / "cpu.weight"), weight.toStdString());
        QCOMPARE(std::to_string(sharesToWeight(shares)), weight.toStdString());
    }

    void cpuQuotaWithPeriod() {
        Resources r;
        r.cpuQuotaUs = 150000;
        r.cpuPeriodUs = 50000;
        QVERIFY(manager()->create(r));
        QCOMPARE(readText(leaf() / "cpu.max"), std::string("150000 50000"));
    }

    void pidsUnlimited_data() {
        QTest::addColumn<qlonglong>("limit");
        QTest::newRow("0") << 0ll;
        QTest::newRow("-1") << -1ll;
    }
    void pidsUnlimited() {
        QFETCH(qlonglong, limit);
        Resources r;
        r.pidsLimit = limit;
        QVERIFY(manager()->create(r));
        QCOMPARE(readText(leaf() / "pids.max"), std::string("max"));
    }

    void badValuesRejectedBeforeCreate_data() {
        QTest::addColumn<int>("which");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("memory 0") << 0 << "memory limit must be positive";
        QTest::newRow("swap below memory") << 1 << "must not be smaller";
        QTest::newRow("swap without memory") << 2 << "needs a memory limit";
        QTest::newRow("shares 1") << 3 << "between 2 and 262144";
        QTest::newRow("shares too big") << 4 << "between 2 and 262144";
        QTest::newRow("cpuset reversed") << 5 << "bad cpu list";
        QTest::newRow("cpuset letters") << 6 << "bad cpu list";
        QTest::newRow("quota below 1ms") << 7 << "cpu quota";
        QTest::newRow("period above 1s") << 8 << "cpu period";
        QTest::newRow("pids -5") << 9 << "pids limit";
    }
    void badValuesRejectedBeforeCreate() {
        QFETCH(int, which);
        QFETCH(QString, mentions);
        Resources r;
        switch (which) {
        case 0: r.memoryBytes = 0; break;
        case 1: r.memoryBytes = 64 << 20; r.memorySwapBytes = 32 << 20; break;
        case 2: r.memorySwapBytes = 64 << 20; break;
        case 3: r.cpuShares = 1; break;
        case 4: r.cpuShares = 300000; break;
        case 5: r.cpusetCpus = "3-1"; break;
        case 6: r.cpusetCpus = "a,b"; break;
        case 7: r.cpuQuotaUs = 500; break;
        case 8: r.cpuQuotaUs = 100000; r.cpuPeriodUs = 2000000; break;
        case 9: r.pidsLimit = -5; break;
        }
        auto res = manager()->create(r);
        QVERIFY(!res);
        QCOMPARE(res.error().code(), Errc::InvalidArgument);
        QVERIFY2(res.error().message().find(mentions.toStdString()) != std::string::npos,
                 res.error().message().c_str());
        QVERIFY(!fs::exists(m_root / "berth"));
    }

    void badRelPathRejected() {
        for (const char* p : {"", "/abs/x", "berth/../../etc", "berth/./x"}) {
            auto m = makeManager(CgroupVersion::V2, m_root, p);
            QVERIFY2(!m, p);
            QCOMPARE(m.error().code(), Errc::InvalidArgument);
        }
    }

    void failedCreateRemovesWhatItMade() {
        // Without the kernel making files, a controller that is not delegated shows as a
        // missing interface file: the create must fail after mkdir and undo it.
        ManagerOptions o;
        o.createMissingFiles = false;
        Resources r;
        r.memoryBytes = 64 << 20;
        auto res = manager(o)->create(r);
        QVERIFY(!res);
        QCOMPARE(res.error().code(), Errc::Unsupported);
        QVERIFY2(res.error().message().find("memory controller") != std::string::npos,
                 res.error().message().c_str());
        QVERIFY(!fs::exists(leaf()));
        QVERIFY(!fs::exists(m_root / "berth"));
    }

    void failedCreateKeepsParentItDidNotMake() {
        fs::create_directories(m_root / "berth" / "other");
        ManagerOptions o;
        o.createMissingFiles = false;
        Resources r;
        r.pidsLimit = 10;
        QVERIFY(!manager(o)->create(r));
        QVERIFY(!fs::exists(leaf()));
        QVERIFY(fs::is_directory(m_root / "berth" / "other"));
    }

    void refusedWriteNamesFileAndValue() {
        // A directory where a control file should be: open(O_WRONLY) fails with EISDIR.
        fs::create_directories(m_root / "memory.max");
        auto res = detail::writeControl(m_root / "memory.max", "1", false);
        QVERIFY(!res);
        QCOMPARE(res.error().sysErrno(), EISDIR);
        QCOMPARE(res.error().message(),
                 "write `" + (m_root / "memory.max").string() + "` = 1: Is a directory");
    }

    void updateRewritesLimits() {
        Resources r;
        r.memoryBytes = 64 << 20;
        r.pidsLimit = 10;
        auto m = manager();
        QVERIFY(m->create(r));
        Resources u;
        u.memoryBytes = 32 << 20;
        u.memorySwapBytes = -1;
        u.pidsLimit = 20;
        QVERIFY(m->update(u));
        QCOMPARE(readText(leaf() / "memory.max"), std::string("33554432"));
        QCOMPARE(readText(leaf() / "memory.swap.max"), std::string("max"));
        QCOMPARE(readText(leaf() / "pids.max"), std::string("20"));
        Resources bad;
        bad.cpuShares = 0;
        QVERIFY(!m->update(bad));
    }

    // berth update on v2: a value refused half-way (here pids.max, a directory: EISDIR, as
    // the kernel's EINVAL/EBUSY would be) leaves every file the update wrote before it as
    // it was, and the error names the refused file.
    void updateIsAllOrNothing() {
        Resources r;
        r.memoryBytes = 64 << 20;
        r.cpuQuotaUs = 50000;
        auto m = manager();
        QVERIFY(m->create(r));
        const std::string memory = readText(leaf() / "memory.max"), swap = readText(leaf() / "memory.swap.max"),
                          cpu = readText(leaf() / "cpu.max");
        fs::remove(leaf() / "pids.max");
        fs::create_directories(leaf() / "pids.max");
        Resources u;
        u.memoryBytes = 32 << 20;
        u.cpuQuotaUs = 150000;
        u.cpuShares = 512;
        u.pidsLimit = 20;
        auto res = m->update(u);
        QVERIFY(!res);
        QCOMPARE(res.error().sysErrno(), EISDIR);
        QVERIFY2(res.error().message().find("pids.max") != std::string::npos, res.error().message().c_str());
        QCOMPARE(readText(leaf() / "memory.max"), memory);
        QCOMPARE(readText(leaf() / "memory.swap.max"), swap);
        QCOMPARE(readText(leaf() / "cpu.max"), cpu);
        QCOMPARE(readText(leaf() / "cpu.weight"), std::string("<missing>"));  // made by the update (stand-in), gone again
        // With the file writable again the same update applies whole.
        fs::remove(leaf() / "pids.max");
        QVERIFY(m->update(u));
        QCOMPARE(readText(leaf() / "memory.max"), std::string("33554432"));
        QCOMPARE(readText(leaf() / "cpu.max"), std::string("150000 100000"));
        QCOMPARE(readText(leaf() / "cpu.weight"), std::string("20"));
        QCOMPARE(readText(leaf() / "pids.max"), std::string("20"));
    }

    void addProcessWritesProcs() {
        auto m = manager();
        QVERIFY(m->create({}));
        QVERIFY(m->addProcess(4242));
        QCOMPARE(readText(leaf() / "cgroup.procs"), std::string("4242"));
        auto pids = m->processes();
        QVERIFY(pids);
        QCOMPARE(pids->size(), size_t(1));
        QCOMPARE((*pids)[0], pid_t(4242));
        QVERIFY(!m->addProcess(0));
        QVERIFY(!m->addProcess(-3));
    }

    void statsFromKernelFiles() {
        auto m = manager();
        QVERIFY(m->create({}));
        writeText(leaf() / "cpu.stat", "usage_usec 123456\nuser_usec 100000\nsystem_usec 23456\n"
                                       "nr_periods 0\nnr_throttled 0\nthrottled_usec 0\n");
        writeText(leaf() / "memory.current", "10485760\n");
        writeText(leaf() / "memory.stat", "anon 8388608\nfile 2097152\nactive_file 0\n"
                                          "inactive_file 2097152\nslab 4096\n");
        writeText(leaf() / "memory.max", "67108864\n");
        writeText(leaf() / "pids.current", "3\n");
        writeText(leaf() / "io.stat", "8:0 rbytes=1000 wbytes=2000 rios=1 wios=2 dbytes=0 dios=0\n"
                                      "253:0 rbytes=10 wbytes=20 rios=1 wios=1 dbytes=5 dios=1\n");
        writeText(leaf() / "memory.events", "low 0\nhigh 0\nmax 5\noom 2\noom_kill 1\noom_group_kill 0\n");
        auto s = m->stats();
        QVERIFY2(s, s ? "" : s.error().message().c_str());
        QCOMPARE(s->cpuUsageNs, uint64_t(123456000));
        QCOMPARE(s->memoryUsage, uint64_t(10485760 - 2097152));
        QCOMPARE(s->memoryLimit, uint64_t(67108864));
        QCOMPARE(s->pids, uint64_t(3));
        QCOMPARE(s->blkioRead, uint64_t(1010));
        QCOMPARE(s->blkioWrite, uint64_t(2020));
        QCOMPARE(s->oomKills, uint64_t(1));
        QCOMPARE(s->oomKillsSource, std::string("memory.events oom_kill"));
    }

    void statsUnlimitedAndMissing() {
        auto m = manager();
        QVERIFY(m->create({}));
        writeText(leaf() / "memory.max", "max\n");
        writeText(leaf() / "memory.current", "4096\n");
        auto s = m->stats();
        QVERIFY(s);
        QCOMPARE(s->memoryLimit, uint64_t(0));
        QCOMPARE(s->memoryUsage, uint64_t(4096));  // no memory.stat: nothing subtracted
        QCOMPARE(s->cpuUsageNs, uint64_t(0));
        QCOMPARE(s->oomKillsSource, std::string());
    }

    void statsRejectGarbage() {
        auto m = manager();
        QVERIFY(m->create({}));
        writeText(leaf() / "pids.current", "lots\n");
        auto s = m->stats();
        QVERIFY(!s);
        QCOMPARE(s.error().code(), Errc::Corrupt);
        QVERIFY2(s.error().message().find("pids.current") != std::string::npos, s.error().message().c_str());
    }

    void freezeWaitsForEvents() {
        auto m = manager();
        QVERIFY(m->create({}));
        writeText(leaf() / "cgroup.events", "populated 1\nfrozen 1\n");
        QVERIFY(m->freeze(true));
        QCOMPARE(readText(leaf() / "cgroup.freeze"), std::string("1"));
        writeText(leaf() / "cgroup.events", "populated 1\nfrozen 0\n");
        QVERIFY(m->freeze(false));
        QCOMPARE(readText(leaf() / "cgroup.freeze"), std::string("0"));
    }

    void freezeTimesOutWhenNeverFrozen() {
        ManagerOptions o;
        o.freezeTimeout = std::chrono::milliseconds(50);
        auto m = manager(o);
        QVERIFY(m->create({}));
        writeText(leaf() / "cgroup.events", "populated 1\nfrozen 0\n");
        auto r = m->freeze(true);
        QVERIFY(!r);
        QCOMPARE(r.error().code(), Errc::Timeout);
    }

    void destroyRemovesLeafOnly() {
        auto m = manager();
        Resources r;
        r.memoryBytes = 1 << 24;
        QVERIFY(m->create(r));
        QVERIFY(m->destroy());
        QVERIFY(!fs::exists(leaf()));
        QVERIFY(fs::is_directory(m_root / "berth"));  // shared by other containers
        QVERIFY(m->destroy());                        // idempotent
        auto gone = m->stats();
        QVERIFY(!gone);
        QCOMPARE(gone.error().code(), Errc::NotFound);
    }

    void existingCgroupIsReused() {
        QVERIFY(manager()->create({}));
        Resources r;
        r.pidsLimit = 5;
        QVERIFY(manager()->create(r));
        QCOMPARE(readText(leaf() / "pids.max"), std::string("5"));
    }
};

BERTH_GUILESS_TEST_MAIN(TestV2Manager)
#include "tst_v2_manager.moc"
