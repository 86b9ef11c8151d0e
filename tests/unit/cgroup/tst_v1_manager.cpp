// The v1 manager against a temporary directory of controller "mounts": one directory per
// controller, the exact values written, cpuset inheritance, joined cpu,cpuacct mounts,
// stats from fixture files, and clear errors for what the host lacks.

#include "skip.h"
#include "cgroup/cgroup_manager.h"
#include "fake_files.h"

#include <QtTest/QtTest>

using namespace berth;
using namespace berth::cgroup;
using berth::test::readText;
using berth::test::writeText;
namespace fs = std::filesystem;

static const char* kAll[] = {"memory", "cpu", "cpuacct", "cpuset", "pids", "blkio", "freezer", "devices"};

class TestV1Manager : public QObject {
    Q_OBJECT

    std::unique_ptr<test::TempDir> m_tmp;
    fs::path m_root;

    std::unique_ptr<CgroupManager> manager(ManagerOptions opts = {}) {
        auto m = makeManager(CgroupVersion::V1, m_root, "berth/c1", opts);
        if (!m) qFatal("makeManager: %s", m.error().message().c_str());
        return std::move(*m);
    }
    fs::path leaf(const char* ctrl) const { return m_root / ctrl / "berth" / "c1"; }

private slots:
    void init() {
        m_tmp = std::make_unique<test::TempDir>();
        m_root = m_tmp->path();
        for (const char* c : kAll) fs::create_directories(m_root / c);
        writeText(m_root / "cpuset" / "cpuset.cpus", "0-3\n");
        writeText(m_root / "cpuset" / "cpuset.mems", "0\n");
    }
    void cleanup() { m_tmp.reset(); }

    void createWritesEveryLimit() {
        Resources r;
        r.memoryBytes = 64ll << 20;
        r.memorySwapBytes = 128ll << 20;
        r.cpuQuotaUs = 50000;
        r.cpuShares = 512;
        r.cpusetCpus = "1";
        r.pidsLimit = 100;
        auto m = manager();
        auto res = m->create(r);
        QVERIFY2(res, res ? "" : res.error().message().c_str());
        for (const char* c : kAll) QVERIFY2(fs::is_directory(leaf(c)), c);
        QCOMPARE(readText(leaf("memory") / "memory.limit_in_bytes"), std::string("67108864"));
        QCOMPARE(readText(leaf("memory") / "memory.memsw.limit_in_bytes"), std::string("134217728"));
        QCOMPARE(readText(leaf("cpu") / "cpu.cfs_period_us"), std::string("100000"));
        QCOMPARE(readText(leaf("cpu") / "cpu.cfs_quota_us"), std::string("50000"));
        QCOMPARE(readText(leaf("cpu") / "cpu.shares"), std::string("512"));
        QCOMPARE(readText(leaf("cpuset") / "cpuset.cpus"), std::string("1"));
        QCOMPARE(readText(leaf("pids") / "pids.max"), std::string("100"));
        QCOMPARE(m->paths().size(), size_t(8));
    }

    // berth update on v1: a value refused half-way (pids.max made a directory: EISDIR, as
    // the kernel's EBUSY/EINVAL would be) puts back memory and memsw in an order the
    // kernel accepts, and the cpu files; the error names the refused file.
    void updateIsAllOrNothing() {
        Resources r;
        r.memoryBytes = 64ll << 20;
        r.cpuQuotaUs = 50000;
        r.pidsLimit = 10;
        auto m = manager();
        QVERIFY(m->create(r));
        fs::remove(leaf("pids") / "pids.max");
        fs::create_directories(leaf("pids") / "pids.max");
        Resources u;
        u.memoryBytes = 256ll << 20;  // above the current memsw (128M): memsw is written first
        u.cpuQuotaUs = 150000;
        u.cpusetCpus = "2";
        u.pidsLimit = 20;
        auto res = m->update(u);
        QVERIFY(!res);
        QCOMPARE(res.error().sysErrno(), EISDIR);
        QVERIFY2(res.error().message().find("pids.max") != std::string::npos, res.error().message().c_str());
        QCOMPARE(readText(leaf("memory") / "memory.limit_in_bytes"), std::string("67108864"));
        QCOMPARE(readText(leaf("memory") / "memory.memsw.limit_in_bytes"), std::string("134217728"));
        QCOMPARE(readText(leaf("cpu") / "cpu.cfs_quota_us"), std::string("50000"));
        QCOMPARE(readText(leaf("cpuset") / "cpuset.cpus"), std::string("0-3"));
        fs::remove(leaf("pids") / "pids.max");
        QVERIFY(m->update(u));
        QCOMPARE(readText(leaf("memory") / "memory.limit_in_bytes"), std::string("268435456"));
        QCOMPARE(readText(leaf("memory") / "memory.memsw.limit_in_bytes"), std::string("536870912"));
        QCOMPARE(readText(leaf("cpu") / "cpu.cfs_quota_us"), std::string("150000"));
        QCOMPARE(readText(leaf("cpuset") / "cpuset.cpus"), std::string("2"));
        QCOMPARE(readText(leaf("pids") / "pids.max"), std::string("20"));
    }

    void devicesRestrictedByDefault() {
        QVERIFY(manager()->create({}));
        // Deny all, then one allow write per rule; the fake file keeps the last one.
        QCOMPARE(readText(leaf("devices") / "devices.deny"), std::string("a"));
        QCOMPARE(readText(leaf("devices") / "devices.allow"), std::string("c 10:200 rwm"));
    }

    void deviceRulesAfterTheDefaults() {
        Resources r;
        r.deviceRules = {"c 10:229 r"};  // --device /dev/fuse:/dev/fuse:r
        QVERIFY(manager()->create(r));
        QCOMPARE(readText(leaf("devices") / "devices.allow"), std::string("c 10:229 r"));  // the last write
    }

    void privilegedLeavesDevicesOpen() {
        Resources r;
        r.restrictDevices = false;
        QVERIFY(manager()->create(r));
        QVERIFY(fs::is_directory(leaf("devices")));
        QVERIFY(!fs::exists(leaf("devices") / "devices.deny"));
        QVERIFY(!fs::exists(leaf("devices") / "devices.allow"));
    }

    void cpusetInheritedFromParent() {
        QVERIFY(manager()->create({}));
        // Both the intermediate "berth" and the leaf get the parent's cpus and mems.
        QCOMPARE(readText(m_root / "cpuset" / "berth" / "cpuset.cpus"), std::string("0-3"));
        QCOMPARE(readText(m_root / "cpuset" / "berth" / "cpuset.mems"), std::string("0"));
        QCOMPARE(readText(leaf("cpuset") / "cpuset.cpus"), std::string("0-3"));
        QCOMPARE(readText(leaf("cpuset") / "cpuset.mems"), std::string("0"));
    }

    void swapSemantics_data() {
        QTest::addColumn<qlonglong>("swap");  // -2: not given
        QTest::addColumn<QString>("expected");
        QTest::newRow("unlimited") << -1ll << "-1";
        QTest::newRow("equal to memory") << (64ll << 20) << "67108864";
        QTest::newRow("not given: twice memory") << -2ll << "134217728";
    }
    void swapSemantics() {
        QFETCH(qlonglong, swap);
        QFETCH(QString, expected);
        Resources r;
        r.memoryBytes = 64ll << 20;
        if (swap != -2) r.memorySwapBytes = swap;
        QVERIFY(manager()->create(r));
        QCOMPARE(readText(leaf("memory") / "memory.memsw.limit_in_bytes"), expected.toStdString());
        QCOMPARE(readText(leaf("memory") / "memory.limit_in_bytes"), std::string("67108864"));
    }

    void swapLimitWithoutSwapAccountingIsNamed() {
        // A kernel without swap accounting: the memory cgroup has no memsw files. The
        // directory exists already (as the kernel would fill it), nothing is created.
        fs::path dir = leaf("memory");
        writeText(dir / "memory.limit_in_bytes", "9223372036854771712\n");
        writeText(dir / "cgroup.procs", "");
        for (const char* c : kAll)
            if (std::string(c) != "memory") fs::remove_all(m_root / c);
        ManagerOptions o;
        o.createMissingFiles = false;
        Resources r;
        r.memoryBytes = 64ll << 20;
        r.memorySwapBytes = 128ll << 20;
        auto res = manager(o)->create(r);
        QVERIFY(!res);
        QCOMPARE(res.error().code(), Errc::Unsupported);
        QVERIFY2(res.error().message().find("memory.memsw.limit_in_bytes") != std::string::npos,
                 res.error().message().c_str());
        QVERIFY2(res.error().message().find("does not account swap") != std::string::npos,
                 res.error().message().c_str());
        // Without an explicit swap limit the same host is fine: memory alone is written.
        Resources m;
        m.memoryBytes = 64ll << 20;
        auto ok = manager(o)->create(m);
        QVERIFY2(ok, ok ? "" : ok.error().message().c_str());
        QCOMPARE(readText(dir / "memory.limit_in_bytes"), std::string("67108864"));
        QVERIFY(!fs::exists(dir / "memory.memsw.limit_in_bytes"));
    }

    void joinedCpuMount() {
        fs::remove_all(m_root / "cpu");
        fs::remove_all(m_root / "cpuacct");
        fs::create_directories(m_root / "cpu,cpuacct");
        fs::create_directory_symlink("cpu,cpuacct", m_root / "cpu");
        fs::create_directory_symlink("cpu,cpuacct", m_root / "cpuacct");
        Resources r;
        r.cpuQuotaUs = 25000;
        auto m = manager();
        QVERIFY(m->create(r));
        fs::path joined = m_root / "cpu,cpuacct" / "berth" / "c1";
        QCOMPARE(readText(joined / "cpu.cfs_quota_us"), std::string("25000"));
        auto paths = m->paths();
        QCOMPARE(paths.size(), size_t(7));  // cpu and cpuacct share one directory
        QCOMPARE(std::count(paths.begin(), paths.end(), joined), long(1));
        writeText(joined / "cpuacct.usage", "5000\n");
        auto s = m->stats();
        QVERIFY(s);
        QCOMPARE(s->cpuUsageNs, uint64_t(5000));
        QVERIFY(m->destroy());
        QVERIFY(!fs::exists(joined));
    }

    void missingControllerIsNamedAndNothingCreated() {
        fs::remove_all(m_root / "pids");
        Resources r;
        r.pidsLimit = 10;
        auto res = manager()->create(r);
        QVERIFY(!res);
        QCOMPARE(res.error().code(), Errc::Unsupported);
        QVERIFY2(res.error().message().find("pids controller") != std::string::npos,
                 res.error().message().c_str());
        for (const char* c : kAll) QVERIFY2(!fs::exists(m_root / c / "berth"), c);
    }

    void noControllersAtAll() {
        for (const char* c : kAll) fs::remove_all(m_root / c);
        auto res = manager()->create({});
        QVERIFY(!res);
        QCOMPARE(res.error().code(), Errc::Unsupported);
    }

    void badValuesRejected() {
        Resources r;
        r.memoryBytes = 64 << 20;
        r.memorySwapBytes = 1 << 20;
        auto res = manager()->create(r);
        QVERIFY(!res);
        QCOMPARE(res.error().code(), Errc::InvalidArgument);
        for (const char* c : kAll) QVERIFY2(!fs::exists(m_root / c / "berth"), c);
        Resources s;
        s.cpusetCpus = "0-";
        QVERIFY(!manager()->create(s));
    }

    void failedCreateRemovesEveryHierarchy() {
        // The cpuset copy must fail: with files not created, the new cpuset directory
        // has no cpuset.cpus to write (a kernel would have made it).
        ManagerOptions o;
        o.createMissingFiles = false;
        auto res = manager(o)->create({});
        QVERIFY(!res);
        QVERIFY2(res.error().message().find("cpuset.cpus") != std::string::npos, res.error().message().c_str());
        for (const char* c : kAll) QVERIFY2(!fs::exists(m_root / c / "berth"), c);
    }

    void addProcessJoinsEveryHierarchy() {
        auto m = manager();
        QVERIFY(m->create({}));
        QVERIFY(m->addProcess(777));
        for (const char* c : kAll) QCOMPARE(readText(leaf(c) / "cgroup.procs"), std::string("777"));
        writeText(leaf("pids") / "cgroup.procs", "777\n778\n");
        auto pids = m->processes();
        QVERIFY(pids);
        QCOMPARE(*pids, (std::vector<pid_t>{777, 778}));
    }

    void statsFromKernelFiles() {
        auto m = manager();
        QVERIFY(m->create({}));
        writeText(leaf("cpuacct") / "cpuacct.usage", "987654321\n");
        writeText(leaf("memory") / "memory.usage_in_bytes", "20971520\n");
        writeText(leaf("memory") / "memory.stat", "cache 4194304\nrss 16777216\ninactive_file 100\n"
                                                  "total_cache 4194304\ntotal_inactive_file 4194304\n");
        writeText(leaf("memory") / "memory.limit_in_bytes", "9223372036854771712\n");
        writeText(leaf("memory") / "memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");
        writeText(leaf("memory") / "memory.failcnt", "9\n");
        writeText(leaf("pids") / "pids.current", "4\n");
        writeText(leaf("blkio") / "blkio.throttle.io_service_bytes",
                  "8:0 Read 4096\n8:0 Write 8192\n8:0 Sync 0\n8:0 Async 12288\n8:0 Discard 0\n8:0 Total 12288\n"
                  "8:16 Read 1\n8:16 Write 2\n8:16 Total 3\nTotal 12291\n");
        auto s = m->stats();
        QVERIFY2(s, s ? "" : s.error().message().c_str());
        QCOMPARE(s->cpuUsageNs, uint64_t(987654321));
        QCOMPARE(s->memoryUsage, uint64_t(20971520 - 4194304));
        QCOMPARE(s->memoryLimit, uint64_t(0));  // the "unlimited" huge value
        QCOMPARE(s->pids, uint64_t(4));
        QCOMPARE(s->blkioRead, uint64_t(4097));
        QCOMPARE(s->blkioWrite, uint64_t(8194));
        QCOMPARE(s->oomKills, uint64_t(2));
        QCOMPARE(s->oomKillsSource, std::string("memory.oom_control oom_kill"));
    }

    void oomFallsBackToFailcnt() {
        auto m = manager();
        QVERIFY(m->create({}));
        writeText(leaf("memory") / "memory.oom_control", "oom_kill_disable 0\nunder_oom 0\n");
        writeText(leaf("memory") / "memory.failcnt", "9\n");
        writeText(leaf("memory") / "memory.limit_in_bytes", "33554432\n");
        auto s = m->stats();
        QVERIFY(s);
        QCOMPARE(s->oomKills, uint64_t(9));
        QCOMPARE(s->oomKillsSource, std::string("memory.failcnt"));
        QCOMPARE(s->memoryLimit, uint64_t(33554432));
    }

    void freezeWritesState() {
        auto m = manager();
        QVERIFY(m->create({}));
        QVERIFY(m->freeze(true));
        QCOMPARE(readText(leaf("freezer") / "freezer.state"), std::string("FROZEN"));
        QVERIFY(m->freeze(false));
        QCOMPARE(readText(leaf("freezer") / "freezer.state"), std::string("THAWED"));
    }

    void freezeWithoutFreezerIsNamed() {
        fs::remove_all(m_root / "freezer");
        auto m = manager();
        QVERIFY(m->create({}));
        auto r = m->freeze(true);
        QVERIFY(!r);
        QVERIFY2(r.error().message().find("freezer controller") != std::string::npos, r.error().message().c_str());
    }

    void destroyRemovesEveryLeaf() {
        auto m = manager();
        Resources r;
        r.memoryBytes = 1 << 24;
        QVERIFY(m->create(r));
        QVERIFY(m->destroy());
        for (const char* c : kAll) {
            QVERIFY2(!fs::exists(leaf(c)), c);
            QVERIFY2(fs::is_directory(m_root / c / "berth"), c);
        }
        QVERIFY(m->destroy());
        auto gone = m->stats();
        QVERIFY(!gone);
        QCOMPARE(gone.error().code(), Errc::NotFound);
    }
};

BERTH_GUILESS_TEST_MAIN(TestV1Manager)
#include "tst_v1_manager.moc"
