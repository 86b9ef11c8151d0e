// Rootless limits through a delegated systemd user scope, against a STAND-IN systemd:
// this machine has no systemd as PID 1, so the test starts its own session bus
// (`dbus-daemon --session`) with berth_fake_systemd_user on it, which implements
// StartTransientUnit/StopUnit/GetUnit by making and removing the scope's directory in a
// temporary directory standing in for the cgroup v2 root (and moves no process). The
// engine reaches it as in production, through the berth-scope helper program (found
// beside the build's programs, or $BERTH_SCOPE_HELPER). What is checked: the call Berth makes (unit name, mode, PIDs, Delegate=true), the limits
// written as files in the directory systemd names as the scope's cgroup, a second
// manager (another process: exec, stats, rm) finding the scope by name, StopUnit at
// destroy. And the paths that keep today's behaviour: no bus, a user manager without
// controllers, cgroup v1 — each a clear error naming the limit flags.

#include "skip.h"
#include "cgroup/rootless_cgroup.h"
#include "cgroup/systemd_scope_manager.h"
#include "fixtures.h"
#include "test_support.h"

#include <QtCore/QProcess>
#include <QtCore/QStandardPaths>
#include <QtTest/QtTest>

#include <stdlib.h>
#include <unistd.h>

#include <fmt/format.h>

#include <fstream>

using namespace berth;
namespace fs = std::filesystem;

namespace {

using test::TempDir;

// Control files read back without their trailing newline.
std::string readText(const fs::path& p) {
    std::string s = test::readFileText(p);
    while (!s.empty() && s.back() == '\n') s.pop_back();
    return s;
}

std::vector<std::string> lines(const fs::path& p) {
    std::ifstream in(p);
    std::vector<std::string> out;
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
}

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

} // namespace

class TestRootlessScope : public QObject {
    Q_OBJECT

    TempDir m_tmp;
    QProcess m_bus;
    QProcess m_systemd;
    std::string m_address;
    fs::path m_root;       // stands in for /sys/fs/cgroup (a cgroup2 mount)
    std::string m_manager; // the user manager's cgroup, as systemd names it
    fs::path m_log;

    // The berth-scope CTest names (BERTH_SCOPE_HELPER), as the engine's settings would.
    static fs::path scopeHelper() { return qEnvironmentVariable("BERTH_SCOPE_HELPER").toStdString(); }

    void useBus(const std::string& address) { ::setenv("DBUS_SESSION_BUS_ADDRESS", address.c_str(), 1); }

private slots:
    void initTestCase() {
        QString daemon = QStandardPaths::findExecutable("dbus-daemon");
        if (daemon.isEmpty()) BERTH_SKIP("dbus-daemon is not installed (Debian package dbus-daemon)", MissingProgram);
        fs::path socket = m_tmp.path() / "bus";
        m_bus.start(daemon, {"--session", "--nofork", "--print-address=1",
                             QString::fromStdString("--address=unix:path=" + socket.string())});
        QVERIFY2(m_bus.waitForStarted(10000), qPrintable(m_bus.errorString()));
        QVERIFY2(m_bus.waitForReadyRead(10000), "dbus-daemon printed no address");
        m_address = m_bus.readLine().trimmed().toStdString();
        QVERIFY2(contains(m_address, socket.string()), m_address.c_str());

        m_root = m_tmp.path() / "cgroup";
        m_manager = fmt::format("/user.slice/user-{}.slice/user@{}.service", ::getuid(), ::getuid());
        test::writeFile(m_root / "cgroup.controllers", "cpuset cpu io memory hugetlb pids\n");
        test::writeFile(m_root / fs::path(m_manager).relative_path() / "cgroup.controllers", "memory pids cpu\n");
        m_log = m_tmp.path() / "systemd-calls.log";
        useBus(m_address);
        m_systemd.setProgram(QCoreApplication::applicationDirPath() + "/berth_fake_systemd_user");
        m_systemd.setArguments({QString::fromStdString(m_root.string()), QString::fromStdString(m_manager),
                                QString::fromStdString(m_log.string())});
        m_systemd.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_systemd.start();
        QVERIFY2(m_systemd.waitForStarted(10000), qPrintable(m_systemd.errorString()));
        QVERIFY2(m_systemd.waitForReadyRead(10000), "the stand-in systemd did not get its name");
        QCOMPARE(m_systemd.readLine().trimmed(), QByteArray("ready"));
    }

    void cleanupTestCase() {
        for (QProcess* p : {&m_systemd, &m_bus}) {
            if (p->state() == QProcess::NotRunning) continue;
            p->terminate();
            if (!p->waitForFinished(5000)) {
                p->kill();
                p->waitForFinished(5000);
            }
        }
    }

    void init() { useBus(m_address); }

    void scopeIsDetectedWithTheUserManagersControllers() {
        auto r = cgroup::detectRootlessCgroups(m_root, "0::/\n", ::getuid(), cgroup::CgroupVersion::V2, {}, scopeHelper());
        QVERIFY2(r.delegated, r.reason.c_str());
        QVERIFY(r.systemdScope);
        QCOMPARE(r.v2Root, m_root);
        QCOMPARE(r.controllers, (std::vector<std::string>{"memory", "pids", "cpu"}));
        cgroup::Resources cpuset;
        cpuset.cpusetCpus = "0";
        auto refused = cgroup::checkRootlessLimits(cpuset, r);
        QVERIFY(!refused);
        QVERIFY2(contains(refused.error().message(), "`cpuset` controller is not delegated"),
                 refused.error().message().c_str());
    }

    void scopeCarriesUnitPidsDelegateAndTakesTheLimits() {
        auto r = cgroup::detectRootlessCgroups(m_root, "0::/\n", ::getuid(), cgroup::CgroupVersion::V2, {}, scopeHelper());
        QVERIFY2(r.delegated && r.systemdScope, r.reason.c_str());
        auto before = lines(m_log).size();

        auto m = cgroup::makeRootlessManager(r, "berth/c0ffee");
        QVERIFY2(m, m ? "" : m.error().message().c_str());
        cgroup::Resources res;
        res.memoryBytes = 64ll << 20;
        res.pidsLimit = 50;
        res.cpuQuotaUs = 50000;
        QVERIFY((*m)->create(res));
        // Nothing asked of systemd yet: a scope needs its first process.
        QCOMPARE(lines(m_log).size(), before);
        pid_t pid = ::getpid();
        auto added = (*m)->addProcess(pid);
        QVERIFY2(added, added ? "" : added.error().message().c_str());

        auto log = lines(m_log);
        QCOMPARE(log.size(), before + 1);
        QCOMPARE(log.back(), fmt::format("StartTransientUnit unit=berth-c0ffee.scope mode=fail pids={} "
                                         "delegate=true collect=inactive-or-failed description=berth container c0ffee",
                                         pid));
        fs::path scope = m_root / fs::path(m_manager).relative_path() / "app.slice/berth-c0ffee.scope";
        QCOMPARE((*m)->paths(), std::vector<fs::path>{scope});
        QCOMPARE(readText(scope / "memory.max"), std::string("67108864"));
        QCOMPARE(readText(scope / "pids.max"), std::string("50"));
        QCOMPARE(readText(scope / "cpu.max"), std::string("50000 100000"));
        QCOMPARE(readText(scope / "cgroup.procs"), std::to_string(pid));

        // Another process (berth exec, stats, rm) finds the running scope by its name and
        // joins it; systemd is not asked for a second scope.
        auto other = cgroup::makeRootlessManager(r, "berth/c0ffee");
        QVERIFY(other);
        QCOMPARE((*other)->paths(), std::vector<fs::path>{scope});
        QVERIFY((*other)->addProcess(pid));
        QCOMPARE(lines(m_log).size(), before + 1);
        cgroup::Resources more;
        more.memoryBytes = 128ll << 20;
        QVERIFY((*other)->update(more));
        QCOMPARE(readText(scope / "memory.max"), std::string("134217728"));

        // rm: the scope is stopped and its cgroup is gone.
        auto destroyed = (*other)->destroy();
        QVERIFY2(destroyed, destroyed ? "" : destroyed.error().message().c_str());
        log = lines(m_log);
        QCOMPARE(log.back(), std::string("StopUnit unit=berth-c0ffee.scope mode=replace"));
        QVERIFY(!fs::exists(scope));
        // A second destroy (the monitor's, after rm -f) finds no unit: not an error.
        QVERIFY((*m)->destroy());
        QCOMPARE(lines(m_log).back(), std::string("StopUnit unit=berth-c0ffee.scope mode=replace"));
        // Gone means gone for stats too.
        auto st = (*other)->stats();
        QVERIFY(st);
        QCOMPARE(st->memoryLimit, uint64_t(0));
    }

    void scopeOfAStoppedContainerIsStartedAgain() {
        auto r = cgroup::detectRootlessCgroups(m_root, "0::/\n", ::getuid(), cgroup::CgroupVersion::V2, {}, scopeHelper());
        QVERIFY2(r.delegated && r.systemdScope, r.reason.c_str());
        auto m = cgroup::makeRootlessManager(r, "berth/again");
        QVERIFY(m);
        cgroup::Resources res;
        res.pidsLimit = 7;
        for (int round = 0; round < 2; ++round) {  // a restart policy: create, add, destroy, again
            QVERIFY((*m)->create(res));
            auto added = (*m)->addProcess(::getpid());
            QVERIFY2(added, added ? "" : added.error().message().c_str());
            fs::path scope = m_root / fs::path(m_manager).relative_path() / "app.slice/berth-again.scope";
            QCOMPARE(readText(scope / "pids.max"), std::string("7"));
            QVERIFY((*m)->destroy());
            QVERIFY(!fs::exists(scope));
        }
        int starts = 0;
        for (auto& l : lines(m_log)) starts += contains(l, "StartTransientUnit unit=berth-again.scope");
        QCOMPARE(starts, 2);
    }

    void withoutABusLimitsGiveTheClearError() {
        useBus("unix:path=" + (m_tmp.path() / "no-such-bus").string());
        auto r = cgroup::detectRootlessCgroups(m_root, "0::/\n", ::getuid(), cgroup::CgroupVersion::V2, {}, scopeHelper());
        QVERIFY(!r.delegated);
        QVERIFY(!r.systemdScope);
        QVERIFY2(contains(r.reason, "no systemd user manager to create a delegated scope"), r.reason.c_str());
        QVERIFY2(contains(r.reason, "connect to the user's D-Bus"), r.reason.c_str());
        cgroup::Resources res;
        res.memoryBytes = 64ll << 20;
        res.pidsLimit = 5;
        auto refused = cgroup::checkRootlessLimits(res, r);
        QVERIFY(!refused);
        QVERIFY(contains(refused.error().message(), "--memory, --pids-limit: resource limits are not available"));
        QVERIFY(contains(refused.error().message(), "no systemd user manager"));
        // ...and the container itself still runs, without a cgroup.
        auto m = cgroup::makeRootlessManager(r, "berth/nobus");
        QVERIFY(m);
        QVERIFY((*m)->create(cgroup::Resources{}));
        QVERIFY((*m)->addProcess(::getpid()));
    }

    void aUserManagerWithoutControllersDelegatesNothing() {
        TempDir t;
        fs::path root = t.path() / "cgroup";
        test::writeFile(root / "cgroup.controllers", "memory pids\n");
        test::writeFile(root / fs::path(m_manager).relative_path() / "cgroup.controllers", "");
        auto before = lines(m_log).size();
        auto r = cgroup::detectRootlessCgroups(root, "0::/\n", ::getuid(), cgroup::CgroupVersion::V2, {}, scopeHelper());
        QVERIFY(!r.delegated);
        QVERIFY2(contains(r.reason, "the systemd user manager has no cgroup controllers to delegate"),
                 r.reason.c_str());
        cgroup::Resources res;
        res.cpuQuotaUs = 10000;
        auto refused = cgroup::checkRootlessLimits(res, r);
        QVERIFY(!refused);
        QVERIFY(contains(refused.error().message(), "--cpus"));
        QCOMPARE(lines(m_log).size(), before);  // no scope was asked for
    }

    void cgroupV1NeverAsksSystemd() {
        auto before = lines(m_log).size();
        auto r = cgroup::detectRootlessCgroups(m_root, "0::/\n", ::getuid(), cgroup::CgroupVersion::V1, {}, scopeHelper());
        QVERIFY(!r.delegated);
        QVERIFY(!r.systemdScope);
        QVERIFY(contains(r.reason, "cgroup v1"));
        cgroup::Resources res;
        res.memoryBytes = 1 << 30;
        auto refused = cgroup::checkRootlessLimits(res, r);
        QVERIFY(!refused);
        QVERIFY(contains(refused.error().message(), "--memory: resource limits are not available in rootless mode"));
        QCOMPARE(lines(m_log).size(), before);
    }
};

BERTH_GUILESS_TEST_MAIN(TestRootlessScope)
#include "tst_rootless_scope.moc"
