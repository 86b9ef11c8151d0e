// Desktop notifications: a container that dies with a non-zero code, or is OOM-killed, makes
// the tray show a notification naming it; a clean exit (code 0) does not. The die comes from
// a real container (root only); the OOM event is written to the store's journal the way the
// monitor writes it, since forcing the kernel's OOM killer is not something a test should
// count on.
#include "skip.h"
#include "containerbackend.h"
#include "containersmodel.h"
#include "containerspage.h"
#include "eventsfollower.h"
#include "mainwindow.h"
#include "resources.h"
#include "store/events.h"
#include "store/layout.h"
#include "traycontroller.h"
#include "fixtures.h"
#include "ui_test_support.h"

#include <unistd.h>

using namespace berth::ui;

namespace {

// The journal's die entries the window has read, by container name. The follower decides
// about a notification in the same call that hands these on (containerDied comes first),
// so once a name is here the window has made up its mind about it: no need to wait and see.
class DiesRead {
public:
    explicit DiesRead(berth::ui::EngineClient* client) {
        QObject::connect(client->events(), &EventsFollower::eventsArrived, &m_context, [this](const QList<StoreEvent>& events) {
            for (const auto& e : events)
                if (e.type == QLatin1String("container") && e.action == QLatin1String("die")) m_names << e.name;
        });
        QObject::connect(client->events(), &EventsFollower::containerDied, &m_context,
                         [this](const QString&, const QString& name, int) { m_notified << name; });
    }
    bool wait(const QString& name) { return berth::test::waitUntil([&] { return m_names.contains(name); }, 30000); }
    // Names containerDied (the notification's trigger) was emitted for.
    const QStringList& notified() const { return m_notified; }

private:
    QObject m_context;
    QStringList m_names, m_notified;
};

} // namespace

class NotificationsTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { initResources(); }
    void oomEventNotifies();
    void nonZeroExitNotifiesCleanExitDoesNot();
    void stopOutsideWindowDoesNotNotifyCrashDoes();
};

void NotificationsTest::oomEventNotifies() {
    QString error;
    auto store = berth::test::openUiStore(false, &error);
    QVERIFY2(store, qPrintable(error));
    MainWindow w(store->client.get());
    w.show();
    QCOMPARE(w.tray()->lastMessage(), QString());
    const auto paths = store->engine->system().storePaths();
    berth::store::Event e{0, "container", "oom", std::string(64, 'a'), "hungry", {{"name", "hungry"}, {"image", "busybox"}}};
    QVERIFY(berth::store::appendEvent(berth::store::StoreLayout{paths.root, paths.runRoot}, e).has_value());
    QVERIFY(berth::test::waitUntil([&] { return !w.tray()->lastMessage().isEmpty(); }, 30000));
    QVERIFY2(w.tray()->lastMessage().contains(QStringLiteral("hungry")), qPrintable(w.tray()->lastMessage()));
    QVERIFY(w.tray()->lastMessage().contains(QStringLiteral("out of memory")));
}

void NotificationsTest::nonZeroExitNotifiesCleanExitDoesNot() {
    if (::geteuid() != 0) BERTH_SKIP("running containers needs root", NeedsRoot);
    QString error;
    if (!berth::test::haveBusybox()) BERTH_SKIP("/bin/busybox missing (apt install busybox-static)", MissingProgram);
    auto store = berth::test::openUiStore(true, &error);
    QVERIFY2(store, qPrintable(QStringLiteral("cannot make the demo image: ") + error));
    struct Cleanup {
        std::filesystem::path root;
        ~Cleanup() { berth::test::runBerth(root, {"rm", "-f", "ui-clean", "ui-fails"}); }
    } cleanup{store->root()};
    MainWindow w(store->client.get());
    w.show();
    DiesRead dies(store->client.get());

    auto clean = berth::test::runBerth(store->root(), {"run", "--name", "ui-clean", "busybox:latest", "true"});
    QCOMPARE(clean.exitCode, 0);
    // The clean exit's die event has been read by the follower once the list shows it exited
    // (the list refresh is what the same journal read triggers).
    auto exited = [&](const QString& name) {
        for (const auto& r : w.containersPage()->model()->rows())
            if (r.name == name && r.state == ContainerState::Exited) return true;
        return false;
    };
    QVERIFY(berth::test::waitUntil([&] { return exited(QStringLiteral("ui-clean")); }, 30000));
    QVERIFY2(dies.wait(QStringLiteral("ui-clean")), "the window never read ui-clean's die entry");
    QVERIFY2(dies.notified().isEmpty(), qPrintable(dies.notified().join(QLatin1Char(' '))));
    QCOMPARE(w.tray()->lastMessage(), QString());

    auto failing = berth::test::runBerth(store->root(), {"run", "--name", "ui-fails", "busybox:latest", "sh", "-c", "exit 3"});
    QCOMPARE(failing.exitCode, 3);
    QVERIFY(berth::test::waitUntil([&] { return !w.tray()->lastMessage().isEmpty(); }, 30000));
    QVERIFY2(w.tray()->lastMessage().contains(QStringLiteral("ui-fails")), qPrintable(w.tray()->lastMessage()));
    QVERIFY2(w.tray()->lastMessage().contains(QStringLiteral("code 3")), qPrintable(w.tray()->lastMessage()));
}

// A stop made outside the window (the CLI here; the engine journals "kill" before the
// death it causes) exits 137 without a notification; a crash afterwards still notifies.
void NotificationsTest::stopOutsideWindowDoesNotNotifyCrashDoes() {
    if (::geteuid() != 0) BERTH_SKIP("running containers needs root", NeedsRoot);
    QString error;
    if (!berth::test::haveBusybox()) BERTH_SKIP("/bin/busybox missing (apt install busybox-static)", MissingProgram);
    auto store = berth::test::openUiStore(true, &error);
    QVERIFY2(store, qPrintable(QStringLiteral("cannot make the demo image: ") + error));
    struct Cleanup {
        std::filesystem::path root;
        ~Cleanup() { berth::test::runBerth(root, {"rm", "-f", "ui-stopped", "ui-crashes"}); }
    } cleanup{store->root()};
    MainWindow w(store->client.get());
    w.show();
    DiesRead dies(store->client.get());
    auto stateOf = [&](const QString& name, ContainerState want) {
        for (const auto& r : w.containersPage()->model()->rows())
            if (r.name == name && r.state == want) return true;
        return false;
    };

    // sleep as the container's pid 1 ignores SIGTERM: stop -t 1 ends it with SIGKILL (137).
    QCOMPARE(berth::test::runBerth(store->root(), {"run", "-d", "--name", "ui-stopped", "busybox:latest", "sleep", "300"})
                 .exitCode,
             0);
    QVERIFY(berth::test::waitUntil([&] { return stateOf(QStringLiteral("ui-stopped"), ContainerState::Running); }, 30000));
    QCOMPARE(berth::test::runBerth(store->root(), {"stop", "-t", "1", "ui-stopped"}).exitCode, 0);
    QVERIFY(berth::test::waitUntil([&] { return stateOf(QStringLiteral("ui-stopped"), ContainerState::Exited); }, 30000));
    QVERIFY2(dies.wait(QStringLiteral("ui-stopped")), "the window never read ui-stopped's die entry");
    QVERIFY2(dies.notified().isEmpty(), qPrintable(dies.notified().join(QLatin1Char(' '))));
    QCOMPARE(w.tray()->lastMessage(), QString());

    auto crash = berth::test::runBerth(store->root(), {"run", "--name", "ui-crashes", "busybox:latest", "sh", "-c", "exit 3"});
    QCOMPARE(crash.exitCode, 3);
    QVERIFY(berth::test::waitUntil([&] { return !w.tray()->lastMessage().isEmpty(); }, 30000));
    QVERIFY2(w.tray()->lastMessage().contains(QStringLiteral("ui-crashes")), qPrintable(w.tray()->lastMessage()));
    QVERIFY2(w.tray()->lastMessage().contains(QStringLiteral("code 3")), qPrintable(w.tray()->lastMessage()));
}

BERTH_TEST_MAIN(NotificationsTest)
#include "notifications_test.moc"
