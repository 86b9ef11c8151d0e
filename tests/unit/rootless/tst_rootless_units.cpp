// Rootless building blocks that need neither root nor another user: /etc/subuid parsing,
// the map a user gets (ranges or the single-id fallback with its warning), map lookups,
// cgroup delegation detection and the v2 manager under a delegated base (a temporary
// directory standing in for /sys/fs/cgroup), limits refused with the flags named where
// nothing is delegated, and published ports below ip_unprivileged_port_start refused.

#include "skip.h"
#include "cgroup/rootless_cgroup.h"
#include "runtime/rootless_network.h"
#include "sys/userns.h"

#include <QtTest/QtTest>

#include <pwd.h>
#include <stdlib.h>
#include <unistd.h>

#include <fstream>

using namespace berth;
namespace fs = std::filesystem;

namespace {

struct Tmp {
    fs::path path;
    Tmp() {
        char tpl[] = "/tmp/berth-rootless-unit-XXXXXX";
        path = ::mkdtemp(tpl);
    }
    ~Tmp() { fs::remove_all(path); }
};

void writeText(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
}

std::string readText(const fs::path& p) {
    std::ifstream in(p);
    std::string s((std::istreambuf_iterator<char>(in)), {});
    while (!s.empty() && s.back() == '\n') s.pop_back();
    return s;
}

std::string myName() {
    passwd* pw = ::getpwuid(::getuid());
    return pw ? pw->pw_name : "";
}

} // namespace

class TestRootlessUnits : public QObject {
    Q_OBJECT

private slots:
    void parsesSubordinateIdsByNameAndUid() {
        std::string text = "# comment\nalice:100000:65536\nbob:165536:65536\n1002:231072:1000\nbroken:x:5\nzero:1:0\n";
        auto alice = sys::parseSubordinateIds(text, "alice", 1000);
        QCOMPARE(alice.size(), size_t(1));
        QCOMPARE(alice[0].outside, 100000u);
        QCOMPARE(alice[0].count, 65536u);
        auto byUid = sys::parseSubordinateIds(text, "carol", 1002);
        QCOMPARE(byUid.size(), size_t(1));
        QCOMPARE(byUid[0].outside, 231072u);
        QCOMPARE(byUid[0].count, 1000u);
        QVERIFY(sys::parseSubordinateIds(text, "broken", 7).empty());
        QVERIFY(sys::parseSubordinateIds(text, "zero", 8).empty());  // a count of 0 is no range
        QVERIFY(sys::parseSubordinateIds(text, "dave", 1003).empty());
    }

    void mappingPutsTheUserAtZeroAndTheRangeAbove() {
        Tmp t;
        std::string name = myName();
        QVERIFY(!name.empty());
        writeText(t.path / "subuid", name + ":200000:100000\n");
        writeText(t.path / "subgid", name + ":300000:65536\n");
        auto m = sys::rootlessIdMapping((t.path / "subuid").string(), (t.path / "subgid").string());
        QVERIFY2(m, m ? "" : m.error().message().c_str());
        QVERIFY(m->needsHelpers);
        QVERIFY(m->warning.empty());
        QCOMPARE(m->uids.size(), size_t(2));
        QCOMPARE(m->hostUid(0), int64_t(::getuid()));
        QCOMPARE(m->hostUid(1), int64_t(200000));
        QCOMPARE(m->hostUid(65536), int64_t(200000 + 65535));
        QCOMPARE(m->hostUid(65537), int64_t(-1));  // capped at 65536 ids, as Podman maps
        QCOMPARE(m->hostGid(1000), int64_t(300999));
        QCOMPARE(m->insideUid(200999), int64_t(1000));
        QCOMPARE(m->insideUid(::getuid()), int64_t(0));
        QCOMPARE(m->insideGid(12), int64_t(-1));
    }

    void withoutRangesTheMapIsSingleIdWithAWarning() {
        Tmp t;
        writeText(t.path / "subuid", "somebody-else:100000:65536\n");
        writeText(t.path / "subgid", "");
        auto m = sys::rootlessIdMapping((t.path / "subuid").string(), (t.path / "subgid").string());
        QVERIFY(m);
        QVERIFY(m->singleId());
        QCOMPARE(m->uids.size(), size_t(1));
        QCOMPARE(m->hostUid(0), int64_t(::getuid()));
        QCOMPARE(m->hostUid(1), int64_t(-1));
        QVERIFY(m->warning.find("single-id") != std::string::npos);
        QVERIFY(m->warning.find("usermod --add-subuids") != std::string::npos);
    }

    void cgroupV1IsNeverDelegated() {
        Tmp t;
        auto r = cgroup::detectRootlessCgroups(t.path, "0::/\n", 1000, cgroup::CgroupVersion::V1);
        QVERIFY(!r.delegated);
        QVERIFY(r.reason.find("cgroup v1") != std::string::npos);
        cgroup::Resources res;
        res.memoryBytes = 64 << 20;
        res.pidsLimit = 10;
        auto checked = cgroup::checkRootlessLimits(res, r);
        QVERIFY(!checked);
        QVERIFY(checked.error().message().find("--memory") != std::string::npos);
        QVERIFY(checked.error().message().find("--pids-limit") != std::string::npos);
        QVERIFY(checked.error().message().find("cgroup v1") != std::string::npos);
        QVERIFY(cgroup::checkRootlessLimits(cgroup::Resources{}, r));  // no flag, no error
    }

    void noDelegationMeansTheManagerRefusesLimitsButRuns() {
        cgroup::RootlessCgroups none;
        none.reason = "test reason";
        auto m = cgroup::makeRootlessManager(none, "berth/abc");
        QVERIFY(m);
        QVERIFY((*m)->create(cgroup::Resources{}));  // a container without limits still starts
        QVERIFY((*m)->addProcess(::getpid()));
        cgroup::Resources res;
        res.cpuQuotaUs = 50000;
        auto refused = (*m)->create(res);
        QVERIFY(!refused);
        QVERIFY(refused.error().message().find("--cpus") != std::string::npos);
        QVERIFY(refused.error().message().find("test reason") != std::string::npos);
        QVERIFY(!(*m)->freeze(true));
    }

    void delegatedV2SubtreeIsFoundAndLimitsAreWrittenThere() {
        Tmp t;
        fs::path service = t.path / "user.slice/user-1000.slice/user@1000.service";
        writeText(t.path / "cgroup.controllers", "cpuset cpu io memory pids\n");
        writeText(service / "cgroup.controllers", "cpu memory pids\n");
        writeText(service / "cgroup.subtree_control", "");
        auto r = cgroup::detectRootlessCgroups(t.path, "0::/user.slice/user-1000.slice/session-3.scope\n", 1000,
                                               cgroup::CgroupVersion::V2);
        // session-3.scope has no cgroup files here (a session scope is root's): the user's
        // service manager, delegated by systemd, is the next candidate.
        QVERIFY2(r.delegated, r.reason.c_str());
        QCOMPARE(r.base, service / "berth.slice");
        QCOMPARE(r.controllers, (std::vector<std::string>{"cpu", "memory", "pids"}));
        cgroup::Resources res;
        res.memoryBytes = 64ll << 20;
        res.pidsLimit = 50;
        QVERIFY(cgroup::checkRootlessLimits(res, r));
        cgroup::Resources cpuset;
        cpuset.cpusetCpus = "0";
        auto refused = cgroup::checkRootlessLimits(cpuset, r);
        QVERIFY(!refused);
        QVERIFY(refused.error().message().find("`cpuset` controller is not delegated") != std::string::npos);

        cgroup::ManagerOptions opts;
        opts.createMissingFiles = true;
        auto m = cgroup::makeRootlessManager(r, "berth/c1", opts);
        QVERIFY2(m, m ? "" : m.error().message().c_str());
        auto created = (*m)->create(res);
        QVERIFY2(created, created ? "" : created.error().message().c_str());
        fs::path leaf = service / "berth.slice" / "c1";
        QCOMPARE((*m)->paths().at(0), leaf);
        QCOMPARE(readText(leaf / "memory.max"), std::string("67108864"));
        QCOMPARE(readText(leaf / "pids.max"), std::string("50"));
    }

    void berthCgroupParentOverridesTheSearch() {
        Tmp t;
        fs::path scope = t.path / "user.slice/custom.scope";
        writeText(scope / "cgroup.controllers", "memory pids\n");
        writeText(scope / "cgroup.subtree_control", "");
        auto r = cgroup::detectRootlessCgroups(t.path, "0::/\n", 1000, cgroup::CgroupVersion::V2,
                                               "user.slice/custom.scope");
        QVERIFY2(r.delegated, r.reason.c_str());
        QCOMPARE(r.base, scope);
    }

    void portsBelowTheUnprivilegedStartAreRefused() {
        auto low = runtime::checkRootlessPorts({{"", 80, 80, "tcp"}}, 1024);
        QVERIFY(!low);
        QCOMPARE(low.error().code(), Errc::PermissionDenied);
        QVERIFY(low.error().message().find("ip_unprivileged_port_start") != std::string::npos);
        QVERIFY(runtime::checkRootlessPorts({{"127.0.0.1", 8080, 80, "tcp"}}, 1024));
        QVERIFY(runtime::checkRootlessPorts({{"", 80, 80, "tcp"}}, 80));  // the sysctl lowered
        QVERIFY(!runtime::checkRootlessPorts({{"", 0, 80, "tcp"}}, 1024));
    }
};

BERTH_GUILESS_TEST_MAIN(TestRootlessUnits)
#include "tst_rootless_units.moc"
