// The Images page on a real store holding the demo busybox image: the list shows it with
// its tag and size, its details show its layer and config, and the file browser shows
// /bin/busybox as added by layer 1.
#include "skip.h"
#include "imagedetailsview.h"
#include "imagefilesmodel.h"
#include "imagesmodel.h"
#include "imagespage.h"
#include "layersmodel.h"
#include "mainwindow.h"
#include "resources.h"
#include "fixtures.h"
#include "ui_test_support.h"

#include <QSortFilterProxyModel>
#include <QTableView>

using namespace berth::ui;

class ImagesPageTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { initResources(); }
    void showsDemoImage();
    void badRemoveShowsSentence();
};

void ImagesPageTest::showsDemoImage() {
    QString error;
    if (!berth::test::haveBusybox()) BERTH_SKIP("/bin/busybox missing (apt install busybox-static)", MissingProgram);
    auto store = berth::test::openUiStore(true, &error);
    QVERIFY2(store, qPrintable(QStringLiteral("cannot make the demo image: ") + error));
    MainWindow w(store->client.get());
    w.setErrorSink([](const QString& s, const QString& d) { QFAIL(qPrintable(s + " " + d)); });
    w.show();
    w.showPage(MainWindow::ImagesPageIndex);
    ImagesPage* page = w.imagesPage();
    QVERIFY(berth::test::waitUntil([&] { return page->model()->rowCount() == 1; }));
    QCOMPARE(page->model()->index(0, ImagesModel::Repository).data().toString(), QStringLiteral("busybox"));
    QCOMPARE(page->model()->index(0, ImagesModel::Tag).data().toString(), QStringLiteral("latest"));
    QVERIFY(page->model()->rows().first().size > 500000);  // busybox-static is about 2 MB
    QCOMPARE(page->table()->model()->rowCount(), 1);  // shown in the view, not only the model
    // The first image is selected: its details and files load.
    QVERIFY(berth::test::waitUntil([&] { return page->details()->layersModel()->rowCount() == 1; }));
    QVERIFY(page->details()->layersModel()->layers().first().size > 500000);
    QVERIFY(berth::test::waitUntil([&] { return page->details()->filesModel()->indexOfPath("/bin/busybox").isValid(); }));
    const QModelIndex bb = page->details()->filesModel()->indexOfPath("/bin/busybox");
    QCOMPARE(bb.data(ImageFilesModel::ChangeRole).toInt(), int(FsNode::Change::Added));
    QCOMPARE(bb.data(ImageFilesModel::LayerRole).toInt(), 0);
    QVERIFY(page->details()->filesModel()->indexOfPath("/var/www/index.html").isValid());
    // A CLI change shows up through the events journal without a manual refresh.
    auto r = berth::test::runBerth(store->root(), {"tag", "busybox:latest", "busybox:gui-test"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(berth::test::waitUntil([&] { return page->model()->rowCount() == 2; }, 5000));
}

void ImagesPageTest::badRemoveShowsSentence() {
    QString error;
    auto store = berth::test::openUiStore(false, &error);
    QVERIFY2(store, qPrintable(error));
    MainWindow w(store->client.get());
    QStringList errors;
    w.setErrorSink([&](const QString& s, const QString& d) { errors.append(s + QLatin1Char('|') + d); });
    // Asking the engine for an image that is not there reports a sentence, never a crash.
    w.imagesPage()->details()->showImage(QStringLiteral("sha256:0000000000000000000000000000000000000000000000000000000000000000"));
    QVERIFY(berth::test::waitUntil([&] { return store->client->activeJobCount() == 0; }));
    QCOMPARE(w.imagesPage()->details()->layersModel()->rowCount(), 0);
}

BERTH_TEST_MAIN(ImagesPageTest)
#include "images_page_test.moc"
