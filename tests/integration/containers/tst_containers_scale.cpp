// Many containers and many CLIs: 100 started, listed and removed leave nothing behind;
// four CLI processes creating and removing at once leave a consistent store.
#include "skip.h"
#include "container_test_helpers.h"

#include <QtTest/QtTest>

#include <set>
#include <sstream>

using namespace berth::test;

class ContainersScale : public QObject {
    Q_OBJECT
    std::unique_ptr<ContainerStoreFixture> s;

private slots:
    void init() { s = std::make_unique<ContainerStoreFixture>(); }
    void cleanup() { s.reset(); }

    void hundredContainersLeaveNothingBehind() {
        std::vector<std::string> ids;
        for (int i = 0; i < 100; ++i) {
            auto r = s->berth({"run", "-d", "--name", "c" + std::to_string(i), "busybox", "sleep", "600"});
            QCOMPARE(r.exitCode, 0);
            ids.push_back(trimmed(r.out));
        }
        auto ps = s->berth({"ps", "-q", "--no-trunc"});
        std::set<std::string> listed;
        std::istringstream in(ps.out);
        for (std::string l; std::getline(in, l);) listed.insert(l);
        QCOMPARE(listed, std::set<std::string>(ids.begin(), ids.end()));
        QCOMPARE(s->liveMonitors().size(), size_t(100));
        QVERIFY(!s->cgroupDirs(ids).empty());

        std::vector<std::string> rm{"rm", "-f"};
        rm.insert(rm.end(), ids.begin(), ids.end());
        QCOMPARE(s->berth(rm, 300000).exitCode, 0);

        QCOMPARE(s->berth({"ps", "-aq"}).out, std::string());
        QVERIFY(s->containerDirs().empty());
        // A kept container's overlay is unmounted (and synced) by a short-lived child of its
        // monitor after the exit is recorded: it goes by itself.
        QVERIFY(eventually([&] { return s->liveMonitors().empty(); }));
        QVERIFY(s->mountsUnderStore().empty());
        auto cg = s->cgroupDirs(ids);
        QVERIFY2(cg.empty(), cg.empty() ? "" : cg[0].c_str());
        std::error_code ec;
        size_t names = 0;
        for ([[maybe_unused]] auto& e : std::filesystem::directory_iterator(s->root() / "containers" / ".names", ec)) ++names;
        QCOMPARE(names, size_t(0));
    }

    void fourClisConcurrently() {
        std::string cli = builtProgram("berth").string();
        std::vector<std::unique_ptr<QProcess>> procs;
        for (int w = 0; w < 4; ++w) {
            // Each worker creates 15 containers and removes every other one.
            std::string script = "set -e; for i in $(seq 1 15); do id=$(\"$0\" --root \"$1\" create --name w" +
                                 std::to_string(w) + "_$i busybox true); if [ $((i % 2)) -eq 0 ]; then \"$0\" --root \"$1\" rm \"$id\" >/dev/null; fi; done";
            auto p = std::make_unique<QProcess>();
            p->start("/bin/sh", {"-c", QString::fromStdString(script), QString::fromStdString(cli),
                                 QString::fromStdString(s->root().string())});
            procs.push_back(std::move(p));
        }
        for (auto& p : procs) {
            QVERIFY(p->waitForFinished(300000));
            QCOMPARE(p->exitCode(), 0);
        }
        auto ps = s->berth({"ps", "-aq", "--no-trunc"});
        std::set<std::string> listed;
        std::istringstream in(ps.out);
        for (std::string l; std::getline(in, l);) listed.insert(l);
        QCOMPARE(listed.size(), size_t(4 * 8));
        for (auto& id : listed) QCOMPARE(s->inspect(id)["Id"].get<std::string>(), id);
        auto dirs = s->containerDirs();
        QCOMPARE(std::set<std::string>(dirs.begin(), dirs.end()), listed);
        // No half-made or half-removed leftovers.
        std::error_code ec;
        for (auto& e : std::filesystem::directory_iterator(s->root() / "containers", ec)) {
            auto n = e.path().filename().string();
            QVERIFY2(n.size() == 64 || n == ".names", n.c_str());
        }
    }
};

BERTH_ROOT_TEST_MAIN(ContainersScale)
#include "tst_containers_scale.moc"
