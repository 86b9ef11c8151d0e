// The pages against a fake engine (fake_engine.h), no root and no store: what the engine
// lists is what the page shows, and a click reaches the engine as the call it names. The
// window knows the engine only as berth::Engine, so nothing else is needed.
#include "skip.h"
#include "containerspage.h"
#include "containersmodel.h"
#include "fake_engine.h"
#include "networkspage.h"
#include "networksmodel.h"
#include "resources.h"
#include "ui_test_support.h"
#include "volumespage.h"
#include "volumesmodel.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QTableView>

#include <algorithm>

using namespace berth::ui;

class FakeEnginePagesTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { initResources(); }
    void containersPageListsAndStops();
    void networksAndVolumesPagesShowTheEngine();
};

static bool called(const berth::test::FakeEngine& e, const std::string& call) {
    auto calls = e.calls();
    return std::find(calls.begin(), calls.end(), call) != calls.end();
}

void FakeEnginePagesTest::containersPageListsAndStops() {
    berth::test::FakeEngine engine;
    berth::ContainerSummary web;
    web.id = std::string(64, 'a');
    web.name = "web";
    web.image = "nginx";
    web.state = berth::ContainerStatus::Running;
    web.ports = {{"", 8080, 80, "tcp"}};
    berth::ContainerSummary job = web;
    job.id = std::string(64, 'b');
    job.name = "job";
    job.state = berth::ContainerStatus::Exited;
    job.ports.clear();
    engine.setContainers({web, job});
    EngineClient client(engine);
    ContainersPage page(&client);
    QAbstractItemModelTester tester(page.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    page.refresh();
    QVERIFY(berth::test::waitUntil([&] { return page.model()->rowCount() == 2; }));
    QCOMPARE(page.model()->runningCount(), 1);
    page.selectContainer(QString::fromStdString(web.id));
    QAction* stop = page.actionFor(backend::ContainerAction::Stop);
    QVERIFY(stop->isEnabled());
    stop->trigger();
    QVERIFY(berth::test::waitUntil([&] { return called(engine, "stop " + web.id); }));
    // The page lists again after the action: the engine now says it exited.
    QVERIFY(berth::test::waitUntil([&] { return page.model()->runningCount() == 0; }));
    client.waitForIdle();
}

void FakeEnginePagesTest::networksAndVolumesPagesShowTheEngine() {
    berth::test::FakeEngine engine;
    berth::NetworkInfo bridge;
    bridge.name = "bridge";
    bridge.id = std::string(64, '1');
    bridge.driver = "bridge";
    bridge.subnet = "10.77.0.0/16";
    bridge.builtin = true;
    berth::NetworkInfo backend = bridge;
    backend.name = "backend";
    backend.id = std::string(64, '2');
    backend.subnet = "10.90.0.0/24";
    backend.builtin = false;
    engine.setNetworks({bridge, backend});
    berth::VolumeSummary data;
    data.volume.name = "data";
    data.usedBy = {std::string(64, 'a')};
    berth::VolumeSummary cache;
    cache.volume.name = "cache";
    engine.setVolumes({data, cache});
    EngineClient client(engine);

    NetworksPage networks(&client);
    QAbstractItemModelTester netTester(networks.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    networks.refresh();
    QVERIFY(berth::test::waitUntil([&] { return networks.model()->rowCount() == 2; }));

    VolumesPage volumes(&client);
    QAbstractItemModelTester volTester(volumes.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    volumes.refresh();
    QVERIFY(berth::test::waitUntil([&] { return volumes.model()->rowCount() == 2; }));
    volumes.removeVolumes({QStringLiteral("cache")});
    QVERIFY(berth::test::waitUntil([&] { return called(engine, "volume rm cache"); }));
    QVERIFY(berth::test::waitUntil([&] { return volumes.model()->rowCount() == 1; }));
    client.waitForIdle();
}

BERTH_TEST_MAIN(FakeEnginePagesTest)
#include "fake_engine_pages_test.moc"
