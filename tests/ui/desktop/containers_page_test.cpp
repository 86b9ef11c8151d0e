// The Containers page with a real container (root only): clicking Start shows it running,
// the Stats tab receives chart points while it runs, clicking Stop shows it exited.
#include "skip.h"
#include "containerbackend.h"
#include "containerdetailsview.h"
#include "containersmodel.h"
#include "containerspage.h"
#include "mainwindow.h"
#include "resources.h"
#include "statshistorymodel.h"
#include "statssampler.h"
#include "timeserieschart.h"
#include "fixtures.h"
#include "ui_test_support.h"

#include <QAction>
#include <QTableView>
#include <QToolBar>
#include <QToolButton>

#include <unistd.h>

using namespace berth::ui;

class ContainersPageTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void startShowsRunningStopShowsExited();
};

void ContainersPageTest::initTestCase() {
    initResources();
    if (::geteuid() != 0) BERTH_SKIP("running containers needs root", NeedsRoot);
}

static void click(ContainersPage* page, QAction* action) {
    for (QToolBar* bar : page->findChildren<QToolBar*>()) {
        if (auto* button = qobject_cast<QToolButton*>(bar->widgetForAction(action))) {
            QVERIFY2(button->isEnabled(), qPrintable(action->text() + " is disabled"));
            QTest::mouseClick(button, Qt::LeftButton);
            return;
        }
    }
    QFAIL("no toolbar button for the action");
}

void ContainersPageTest::startShowsRunningStopShowsExited() {
    QString error;
    if (!berth::test::haveBusybox()) BERTH_SKIP("/bin/busybox missing (apt install busybox-static)", MissingProgram);
    auto store = berth::test::openUiStore(true, &error);
    QVERIFY2(store, qPrintable(QStringLiteral("cannot make the demo image: ") + error));
    auto created = berth::test::runBerth(store->root(), {"create", "--name", "ui-start-stop", "busybox:latest", "sleep", "600"});
    QVERIFY2(created.exitCode == 0, created.err.c_str());
    struct Cleanup {
        std::filesystem::path root;
        ~Cleanup() { berth::test::runBerth(root, {"rm", "-f", "ui-start-stop"}); }
    } cleanup{store->root()};

    MainWindow w(store->client.get());
    QStringList errors;
    w.setErrorSink([&](const QString& s, const QString& d) { errors.append(s + QLatin1Char(' ') + d); });
    w.show();
    w.showPage(MainWindow::ContainersPageIndex);
    ContainersPage* page = w.containersPage();
    ContainersModel* model = page->model();
    QVERIFY(berth::test::waitUntil([&] { return model->rowCount() == 1; }));
    const QString id = model->rows().first().id;
    QCOMPARE(model->rows().first().state, ContainerState::Created);
    page->selectContainer(id);

    click(page, page->actionFor(backend::ContainerAction::Start));
    QVERIFY2(berth::test::waitUntil([&] { return model->rowAt(model->findRow(id))->state == ContainerState::Running; }, 30000),
             qPrintable(errors.join('\n')));
    QCOMPARE(model->index(model->findRow(id), ContainersModel::State).data().toString(), QStringLiteral("Running"));

    // Stats: the one sampler feeds the selected container's charts.
    w.client()->stats()->setIntervalMs(250);
    ContainerDetailsView* details = page->details();
    details->setCurrentIndex(1);
    QVERIFY2(berth::test::waitUntil([&] { return details->statsModel()->rowCount() >= 3; }, 20000), qPrintable(errors.join('\n')));
    QVERIFY(berth::test::waitUntil([&] { return details->cpuChart()->pointCount() >= 2; }, 5000));
    QVERIFY(details->memoryChart()->pointCount() >= 2);
    QVERIFY(details->statsModel()->value(details->statsModel()->rowCount() - 1, StatsHistoryModel::MemoryMiB) > 0);

    click(page, page->actionFor(backend::ContainerAction::Stop));
    QVERIFY2(berth::test::waitUntil([&] { return model->rowAt(model->findRow(id))->state == ContainerState::Exited; }, 60000),
             qPrintable(errors.join('\n')));
    QVERIFY(errors.isEmpty());
}

BERTH_TEST_MAIN(ContainersPageTest)
#include "containers_page_test.moc"
