// container::Lifecycle: the records and decisions berth-monitor and ContainerService share.
#include "skip.h"
#include "container/lifecycle.h"
#include "store/events.h"
#include "test_support.h"

#include <QtTest/QtTest>

using namespace berth;
using namespace berth::container;

namespace {

const std::string kId(64, 'a');

struct Fixture {
    test::TempDir dir;
    store::StoreLayout layout;
    ContainerConfig config;
    Fixture() {
        auto l = store::openLayout(dir.path() / "root", dir.path() / "run");
        if (!l) qFatal("openLayout: %s", l.error().message().c_str());
        layout = *l;
        config.id = kId;
        config.name = "web";
        config.image = "busybox:latest";
        std::filesystem::create_directories(layout.containers() / kId);
    }
    ContainerState state() const {
        auto s = ContainerStore(layout).loadState(kId);
        if (!s) qFatal("loadState: %s", s.error().message().c_str());
        return *s;
    }
    std::vector<std::string> actions() const {
        std::vector<std::string> out;
        auto events = store::readEvents(layout);
        if (!events) qFatal("readEvents: %s", events.error().message().c_str());
        for (auto& e : *events) {
            if (e.type != "container" || e.id != kId || e.name != "web" || e.attributes.at("image") != "busybox:latest" ||
                e.attributes.at("name") != "web")
                qFatal("event %s without the container's id, name and image", e.action.c_str());
            out.push_back(e.action);
        }
        return out;
    }
};

} // namespace

class LifecycleTest : public QObject {
    Q_OBJECT
private slots:
    void restartPolicies();
    void startThenExitRecordsAndJournals();
    void exitBeforeARestartIsNotTheEnd();
    void failedStartKeepsTheError();
    void removeTakesTheRecordAndJournalsDestroy();
};

void LifecycleTest::restartPolicies() {
    Fixture f;
    ContainerStore store(f.layout);
    auto decide = [&](const char* policy, int code, int restarts, bool stopRequested) {
        f.config.options.restart = *parseRestartPolicy(policy);
        return Lifecycle(store, f.config).shouldRestart(code, restarts, stopRequested);
    };
    QVERIFY(!decide("no", 1, 0, false));
    QVERIFY(decide("always", 0, 5, false));
    QVERIFY(decide("unless-stopped", 0, 0, false));
    QVERIFY(!decide("always", 0, 0, true));  // the user stopped it
    QVERIFY(!decide("unless-stopped", 137, 0, true));
    QVERIFY(decide("on-failure", 1, 100, false));  // no maximum
    QVERIFY(!decide("on-failure", 0, 0, false));   // success is not a failure
    QVERIFY(decide("on-failure:3", 2, 2, false));
    QVERIFY(!decide("on-failure:3", 2, 3, false));  // three restarts made
    QVERIFY(!decide("on-failure:3", 2, 0, true));
}

void LifecycleTest::startThenExitRecordsAndJournals() {
    Fixture f;
    ContainerStore store(f.layout);
    Lifecycle life(store, f.config);
    const int64_t started = 1'800'000'000'123'456'789;
    QVERIFY(life.recordStart(4242, 4241, started, 0));
    auto s = f.state();
    QCOMPARE(s.status, Status::Running);
    QCOMPARE(s.pid, pid_t(4242));
    QCOMPARE(s.monitorPid, pid_t(4241));
    QCOMPARE(s.startedAt, formatTimeNano(started));
    QVERIFY(life.recordExit(137, true, false, 0));
    s = f.state();
    QCOMPARE(s.status, Status::Exited);
    QCOMPARE(s.pid, pid_t(0));
    QCOMPARE(s.exitCode, 137);
    QVERIFY(s.oomKilled);
    QVERIFY(!s.finishedAt.empty());
    QCOMPARE(f.actions(), (std::vector<std::string>{"start", "oom", "die"}));
    auto events = store::readEvents(f.layout);
    QCOMPARE(events->back().attributes.at("exitCode"), std::string("137"));
}

void LifecycleTest::exitBeforeARestartIsNotTheEnd() {
    Fixture f;
    ContainerStore store(f.layout);
    Lifecycle life(store, f.config);
    QVERIFY(life.recordStart(10, 9, nowNano(), 0));
    QVERIFY(life.recordExit(1, false, true, 0));
    QCOMPARE(f.state().status, Status::Restarting);  // `wait` keeps waiting
    QVERIFY(life.recordRestartCount(1));
    QVERIFY(life.recordStart(11, 9, nowNano(), 1));
    QCOMPARE(f.state().restartCount, 1);
    QVERIFY(life.recordExit(1, false, true, 1));
    QVERIFY(life.recordStopDuringBackoff());
    QCOMPARE(f.state().status, Status::Exited);
    QCOMPARE(f.actions(), (std::vector<std::string>{"start", "die", "start", "die"}));  // no oom
}

void LifecycleTest::failedStartKeepsTheError() {
    Fixture f;
    ContainerStore store(f.layout);
    Lifecycle life(store, f.config);
    Error notFound(Errc::CommandNotFound, "command: exec `nope`: executable file not found in $PATH", ENOENT);
    QVERIFY(life.recordFailedStart(notFound, 127, true));
    auto s = f.state();
    QCOMPARE(s.status, Status::Created);  // never ran: docker leaves it created
    QCOMPARE(s.exitCode, 127);
    QCOMPARE(s.error, notFound.message());
    QVERIFY(s.finishedAt.empty());
    QVERIFY(life.recordFailedStart(notFound, 127, false));  // a restart that failed
    s = f.state();
    QCOMPARE(s.status, Status::Exited);
    QVERIFY(!s.finishedAt.empty());
    QVERIFY(f.actions().empty());  // nothing started, nothing died
}

void LifecycleTest::removeTakesTheRecordAndJournalsDestroy() {
    Fixture f;
    ContainerStore store(f.layout);
    Lifecycle life(store, f.config);
    QVERIFY(store.claimName("web", kId));
    QVERIFY(life.remove(true));
    QVERIFY(!std::filesystem::exists(f.layout.containers() / kId));
    QVERIFY(!store.nameTaken("web"));
    QVERIFY(life.removed());
    QCOMPARE(f.actions(), std::vector<std::string>{"destroy"});
}

BERTH_GUILESS_TEST_MAIN(LifecycleTest)
#include "tst_lifecycle.moc"
