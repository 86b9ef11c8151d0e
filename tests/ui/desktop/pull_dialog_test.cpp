// The Images page's Pull… dialog against a real registry (Debian's docker-registry on
// 127.0.0.1, started per test case with the registry tests' fixture): busybox pushed there by
// the CLI is pulled through the dialog, which shows one progress row per layer and the image
// then appears in the images model; a pull that is cancelled mid-download (through a proxy
// that sends slowly) leaves nothing in the store; failures are sentences with the engine's
// detail under "Details…".
#include "skip.h"
#include "imagesmodel.h"
#include "imagespage.h"
#include "mainwindow.h"
#include "pulldialog.h"
#include "pulllayersmodel.h"
#include "registry_fixture.h"
#include "resources.h"
#include "ui_test_support.h"
#include "store/layout.h"
#include "fixtures.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTest>

using namespace berth::ui;
using namespace berth::test;
namespace fs = std::filesystem;

class PullDialogTest : public QObject {
    Q_OBJECT

    std::unique_ptr<TempDir> m_tmp;
    std::unique_ptr<RegistryProcess> m_registry;
    std::string m_ref;  // 127.0.0.1:<port>/ui/busybox:1, pushed in initTestCase

    bool hasImage(const fs::path& root, const std::string& ref) {
        // `berth images` prints the repository without its tag: look for "<repo> <tag>".
        auto r = runBerth(root, {"images"});
        const auto colon = ref.rfind(':');
        const std::string repo = ref.substr(0, colon), tag = ref.substr(colon + 1);
        const auto at = r.out.find(repo);
        return r.exitCode == 0 && at != std::string::npos && r.out.find(tag, at + repo.size()) != std::string::npos;
    }
    static size_t filesBelow(const fs::path& dir) {
        size_t n = 0;
        std::error_code ec;
        if (!fs::exists(dir, ec)) return 0;
        for (auto it = fs::recursive_directory_iterator(dir, ec); it != fs::recursive_directory_iterator(); it.increment(ec))
            ++n;
        return n;
    }

private slots:
    void initTestCase();
    void cleanupTestCase() {
        m_registry.reset();
        m_tmp.reset();
    }
    void pullShowsLayersAndImage();
    void cancelMidwayLeavesStoreClean();
    void failuresAreSentences();
};

void PullDialogTest::initTestCase() {
    initResources();
    if (!haveProgram("docker-registry")) BERTH_SKIP("docker-registry is not installed (apt install docker-registry)", MissingProgram);
    if (!haveBusybox()) BERTH_SKIP("/bin/busybox missing (apt install busybox-static)", MissingProgram);
    m_tmp = std::make_unique<TempDir>();
    m_registry = std::make_unique<RegistryProcess>(m_tmp->path() / "registry");
    QVERIFY2(m_registry->ok(), m_registry->log().c_str());
    m_ref = m_registry->host() + "/ui/busybox:1";
    const fs::path source = m_tmp->path() / "source";
    fs::create_directories(source);
    QVERIFY(!importBusybox(source, m_ref).empty());
    auto push = runBerth(source, {"push", m_ref});
    QVERIFY2(push.exitCode == 0, (push.out + push.err).c_str());
}

void PullDialogTest::pullShowsLayersAndImage() {
    QString error;
    auto store = openUiStore(false, &error);
    QVERIFY2(store, qPrintable(error));
    MainWindow w(store->client.get());
    w.setErrorSink([](const QString& s, const QString& d) { QFAIL(qPrintable(s + " " + d)); });
    w.show();
    w.showPage(MainWindow::ImagesPageIndex);
    ImagesPage* page = w.imagesPage();
    QVERIFY(waitUntil([&] { return store->client->activeJobCount() == 0; }));
    QCOMPARE(page->model()->rowCount(), 0);

    page->pullAction()->trigger();
    PullDialog* dialog = page->pullDialog();
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    QAbstractItemModelTester tester(dialog->layersModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(!dialog->pullButton()->isEnabled());  // nothing to pull yet
    QTest::keyClicks(dialog->referenceEdit(), QString::fromStdString(m_ref));
    QVERIFY(dialog->pullButton()->isEnabled());
    QTest::mouseClick(dialog->pullButton(), Qt::LeftButton);
    QCOMPARE(dialog->state(), PullDialog::State::Pulling);
    QVERIFY(!dialog->referenceEdit()->isEnabled());
    QVERIFY(waitUntil([&] { return dialog->state() != PullDialog::State::Pulling; }, 120000));
    QVERIFY2(dialog->state() == PullDialog::State::Done,
             qPrintable(dialog->statusLabel()->text() + " / " + dialog->detailsText()->toPlainText()));

    // One row per layer of the image (busybox: one), finished, with its bytes all moved.
    PullLayersModel* layers = dialog->layersModel();
    QVERIFY(waitUntil([&] {
        return layers->rowCount() == 1 && layers->layers().first().state == berth::LayerState::PullComplete;
    }, 5000));
    const PullLayerRow row = layers->layers().first();
    QCOMPARE(row.id.size(), 12);
    QVERIFY(row.total > 100000);  // busybox compressed is about 1 MB
    QCOMPARE(row.current, row.total);
    QCOMPARE(layers->index(0, PullLayersModel::Progress).data(PullLayersModel::FractionRole).toDouble(), 1.0);
    QCOMPARE(dialog->overallBar()->value(), dialog->overallBar()->maximum());
    QVERIFY(dialog->lastSnapshot().resolved.contains(QStringLiteral("Pulling from ui/busybox")));
    // The relay folded the byte events: fewer deliveries than events reached the GUI thread.
    QVERIFY(dialog->lastSnapshot().deliveries < dialog->lastSnapshot().events);
    QVERIFY(dialog->statusLabel()->text().contains(QStringLiteral("Pulled")));

    // The image shows up in the images model (and the store has it).
    const QString repo = QString::fromStdString(m_registry->host() + "/ui/busybox");
    QVERIFY(waitUntil([&] {
        for (const auto& r : page->model()->rows())
            if (r.repository == repo && r.tag == QStringLiteral("1")) return true;
        return false;
    }, 10000));
    QVERIFY(hasImage(store->root(), m_ref));

    // Pulling again: the layer already exists, the image is up to date.
    QTest::mouseClick(dialog->pullButton(), Qt::LeftButton);
    QVERIFY(waitUntil([&] { return dialog->state() != PullDialog::State::Pulling; }, 60000));
    QCOMPARE(dialog->state(), PullDialog::State::Done);
    QVERIFY(dialog->statusLabel()->text().contains(QStringLiteral("up to date")));
}

void PullDialogTest::cancelMidwayLeavesStoreClean() {
    // The registry tests' proxy in its slow mode (16 KiB every 20 ms): busybox's layer
    // (about 1 MB) takes more than a second to come through.
    FaultProxy proxy(m_registry->port());
    proxy.mode = FaultProxy::Mode::Slow;
    QVERIFY(proxy.port() > 0);
    const std::string ref = proxy.host() + "/ui/busybox:1";
    QString error;
    auto store = openUiStore(false, &error);
    QVERIFY2(store, qPrintable(error));
    const auto paths = store->engine->system().storePaths();
    const berth::store::StoreLayout layout{paths.root, paths.runRoot};
    const size_t blobsBefore = filesBelow(layout.blobs());
    const size_t layersBefore = filesBelow(layout.layers());
    MainWindow w(store->client.get());
    w.show();
    w.showPage(MainWindow::ImagesPageIndex);
    PullDialog* dialog = w.imagesPage()->openPullDialog(QString::fromStdString(ref));
    QCOMPARE(dialog->referenceEdit()->text(), QString::fromStdString(ref));
    QTest::mouseClick(dialog->pullButton(), Qt::LeftButton);
    // Wait for the layer to be part-way down, then press Cancel.
    QVERIFY(waitUntil([&] {
        for (const auto& l : dialog->layersModel()->layers())
            if (l.state == berth::LayerState::Downloading && l.current > 0 && l.current < l.total) return true;
        return false;
    }, 60000));
    QVERIFY(dialog->state() == PullDialog::State::Pulling);
    QCOMPARE(dialog->cancelButton()->text(), QStringLiteral("&Cancel"));
    QTest::mouseClick(dialog->cancelButton(), Qt::LeftButton);
    QCOMPARE(dialog->state(), PullDialog::State::Cancelled);
    QVERIFY(dialog->isVisible());  // Cancel stops the pull; a second press closes
    // The pull's job is gone at once (the window's own list refreshes may still be running).
    QVERIFY(!store->client->isJobActive(dialog->jobId()));
    // The worker returns (the engine saw the stop), and had it gone on, the image would be
    // in the store by now: it is not, and no blob or layer of it was kept.
    store->client->waitForIdle();
    QVERIFY(!hasImage(store->root(), ref));
    QCOMPARE(filesBelow(layout.blobs()), blobsBefore);
    QCOMPARE(filesBelow(layout.layers()), layersBefore);
    QTest::mouseClick(dialog->cancelButton(), Qt::LeftButton);
    QVERIFY(!dialog->isVisible());
}

void PullDialogTest::failuresAreSentences() {
    QString error;
    auto store = openUiStore(false, &error);
    QVERIFY2(store, qPrintable(error));
    MainWindow w(store->client.get());
    w.show();
    PullDialog* dialog = w.imagesPage()->openPullDialog(QString::fromStdString(m_registry->host() + "/ui/nothing:here"));
    QTest::mouseClick(dialog->pullButton(), Qt::LeftButton);
    QVERIFY(waitUntil([&] { return dialog->state() != PullDialog::State::Pulling; }, 60000));
    QCOMPARE(dialog->state(), PullDialog::State::Failed);
    QVERIFY2(dialog->statusLabel()->text().startsWith(QStringLiteral("The registry has no image")),
             qPrintable(dialog->statusLabel()->text()));
    QVERIFY(!dialog->detailsButton()->isHidden());
    QVERIFY(!dialog->detailsText()->toPlainText().isEmpty());
    QVERIFY(dialog->detailsText()->isHidden());
    QTest::mouseClick(dialog->detailsButton(), Qt::LeftButton);
    QVERIFY(!dialog->detailsText()->isHidden());

    // A platform that is not one is refused before anything runs.
    dialog->platformEdit()->setText(QStringLiteral("not a platform"));
    const auto jobBefore = dialog->jobId();
    QTest::mouseClick(dialog->pullButton(), Qt::LeftButton);
    QCOMPARE(dialog->state(), PullDialog::State::Failed);
    QVERIFY2(dialog->statusLabel()->text().contains(QStringLiteral("is not a platform")), qPrintable(dialog->statusLabel()->text()));
    QCOMPARE(dialog->jobId(), jobBefore);  // no new pull job was submitted
    QVERIFY(!store->client->isJobActive(jobBefore));

    // A reference that is not one: a sentence, no crash.
    dialog->platformEdit()->clear();
    dialog->referenceEdit()->setText(QStringLiteral("UPPER/Case::bad"));
    QTest::mouseClick(dialog->pullButton(), Qt::LeftButton);
    QVERIFY(waitUntil([&] { return dialog->state() != PullDialog::State::Pulling; }, 30000));
    QCOMPARE(dialog->state(), PullDialog::State::Failed);
    QVERIFY2(dialog->statusLabel()->text().contains(QStringLiteral("UPPER/Case::bad")), qPrintable(dialog->statusLabel()->text()));
}

BERTH_TEST_MAIN(PullDialogTest)
#include "pull_dialog_test.moc"
