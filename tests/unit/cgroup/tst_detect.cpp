// Choosing v1 or v2 from what is mounted, with the file-system types supplied by the
// test: pure v2, hybrid v1 with a controller-less v2 mount (this build machine), a v2
// mount beside empty v1, nothing usable, and being told.

#include "skip.h"
#include "cgroup/cgroup_manager.h"
#include "fake_files.h"

#include <QtTest/QtTest>

#include <linux/magic.h>

#include <map>

using namespace berth;
using namespace berth::cgroup;
using berth::test::writeText;
namespace fs = std::filesystem;

class TestDetect : public QObject {
    Q_OBJECT

    std::unique_ptr<test::TempDir> m_tmp;
    fs::path m_root;
    std::map<fs::path, long> m_types;

    DetectOptions opts() {
        DetectOptions o;
        o.fsType = [this](const fs::path& p) -> Result<long> {
            auto it = m_types.find(p);
            if (it == m_types.end()) return failErrno("statfs `" + p.string() + "`", ENOENT);
            return it->second;
        };
        return o;
    }

private slots:
    void init() {
        m_tmp = std::make_unique<test::TempDir>();
        m_root = m_tmp->path();
        m_types.clear();
    }
    void cleanup() { m_tmp.reset(); }

    void pureV2() {
        writeText(m_root / "cgroup.controllers", "cpuset cpu io memory pids\n");
        m_types[m_root] = CGROUP2_SUPER_MAGIC;
        auto l = detectLayout(m_root, opts());
        QVERIFY(l);
        QCOMPARE(l->version, CgroupVersion::V2);
        QCOMPARE(l->root, m_root);
    }

    void hybridWithControllerlessUnifiedIsV1() {
        m_types[m_root] = TMPFS_MAGIC;
        for (const char* c : {"memory", "cpu", "cpuacct", "pids", "cpuset", "blkio", "freezer"})
            m_types[m_root / c] = CGROUP_SUPER_MAGIC;
        m_types[m_root / "unified"] = CGROUP2_SUPER_MAGIC;
        writeText(m_root / "unified" / "cgroup.controllers", "hugetlb\n");
        auto l = detectLayout(m_root, opts());
        QVERIFY(l);
        QCOMPARE(l->version, CgroupVersion::V1);
        QCOMPARE(l->root, m_root);
    }

    void unifiedWithControllersAndNoV1IsV2() {
        m_types[m_root] = TMPFS_MAGIC;
        m_types[m_root / "unified"] = CGROUP2_SUPER_MAGIC;
        writeText(m_root / "unified" / "cgroup.controllers", "cpu memory pids\n");
        auto l = detectLayout(m_root, opts());
        QVERIFY(l);
        QCOMPARE(l->version, CgroupVersion::V2);
        QCOMPARE(l->root, m_root / "unified");
    }

    void nothingUsable() {
        m_types[m_root] = TMPFS_MAGIC;
        m_types[m_root / "unified"] = CGROUP2_SUPER_MAGIC;
        writeText(m_root / "unified" / "cgroup.controllers", "\n");
        auto l = detectLayout(m_root, opts());
        QVERIFY(!l);
        QCOMPARE(l.error().code(), Errc::Unsupported);
        QVERIFY2(l.error().message().find("BERTH_CGROUP_VERSION") != std::string::npos,
                 l.error().message().c_str());
    }

    void plainDirectoryIsNeither() {
        // The real statfs of a temporary directory: not a cgroup file system.
        auto l = detectLayout(m_root);
        QVERIFY(!l);
        QCOMPARE(l.error().code(), Errc::Unsupported);
    }

    void toldByOption() {
        DetectOptions o;
        o.forced = CgroupVersion::V2;
        auto l = detectLayout(m_root, o);
        QVERIFY(l);
        QCOMPARE(l->version, CgroupVersion::V2);
        QCOMPARE(l->root, m_root);
    }

    // The engine's setting (BERTH_CGROUP_VERSION, resolved in sys/engine_settings.h).
    void toldBySetting() {
        auto v = detectLayout(m_root, {.versionSetting = "1"});
        QVERIFY(v);
        QCOMPARE(v->version, CgroupVersion::V1);
        auto bad = detectLayout(m_root, {.versionSetting = "3"});
        QVERIFY(!bad);
        QCOMPARE(bad.error().code(), Errc::InvalidArgument);
        QVERIFY2(bad.error().message().find("BERTH_CGROUP_VERSION") != std::string::npos,
                 bad.error().message().c_str());
    }

    void parseVersionText() {
        QCOMPARE(*parseVersion("v2"), CgroupVersion::V2);
        QCOMPARE(*parseVersion("2"), CgroupVersion::V2);
        QCOMPARE(*parseVersion("v1"), CgroupVersion::V1);
        QVERIFY(!parseVersion(""));
        QVERIFY(!parseVersion("two"));
    }
};

BERTH_GUILESS_TEST_MAIN(TestDetect)
#include "tst_detect.moc"
