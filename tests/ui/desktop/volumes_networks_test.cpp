// The Volumes and Networks pages, the Ports column with "Open in Browser", and the status
// bar's plural forms, against a real store: what the CLI does shows up through the events
// journal, the Volumes page lists a volume with the containers using it, a volume in use is
// refused with a sentence, the Networks page lists the built-in networks.
#include "skip.h"
#include "containerbackend.h"
#include "containersmodel.h"
#include "containerspage.h"
#include "mainwindow.h"
#include "networksmodel.h"
#include "networkspage.h"
#include "resources.h"
#include "translations.h"
#include "fixtures.h"
#include "ui_test_support.h"
#include "volumesmodel.h"
#include "volumespage.h"

#include <QAction>
#include <QLabel>
#include <QPlainTextEdit>
#include <QStatusBar>
#include <QTableView>

using namespace berth::ui;

class VolumesNetworksTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        initResources();
        // English plural forms come from berth_en (the source text says "%n image(s)").
        QVERIFY(Translations::install(QLocale(QLocale::English, QLocale::UnitedStates)));
    }
    void volumesPageListsVolumesAndTheirUsers();
    void networksPageListsNetworks();
    void portsColumnAndOpenInBrowser();
    void statusBarUsesPluralForms();
};

static const VolumeRow* volumeRow(VolumesModel* m, const QString& name) { return m->rowAt(m->findRow(name)); }

void VolumesNetworksTest::volumesPageListsVolumesAndTheirUsers() {
    QString error;
    if (!berth::test::haveBusybox()) BERTH_SKIP("/bin/busybox missing (apt install busybox-static)", MissingProgram);
    auto store = berth::test::openUiStore(true, &error);
    QVERIFY2(store, qPrintable(QStringLiteral("cannot make the demo image: ") + error));
    QCOMPARE(berth::test::runBerth(store->root(), {"volume", "create", "data"}).exitCode, 0);
    auto created = berth::test::runBerth(store->root(), {"create", "--name", "user1", "-v", "data:/data", "busybox:latest", "true"});
    QVERIFY2(created.exitCode == 0, created.err.c_str());

    MainWindow w(store->client.get());
    QStringList errors;
    w.setErrorSink([&](const QString& s, const QString& d) { errors.append(s + QLatin1Char(' ') + d); });
    w.show();
    w.showPage(MainWindow::VolumesPageIndex);
    VolumesPage* page = w.volumesPage();
    VolumesModel* model = page->model();
    QVERIFY2(berth::test::waitUntil([&] { return volumeRow(model, QStringLiteral("data")); }), qPrintable(errors.join('\n')));
    QCOMPARE(volumeRow(model, QStringLiteral("data"))->userNames, QStringList{QStringLiteral("user1")});
    const int row = model->findRow(QStringLiteral("data"));
    QCOMPARE(model->index(row, VolumesModel::UsedBy).data().toString(), QStringLiteral("user1"));
    page->selectVolume(QStringLiteral("data"));
    QVERIFY(berth::test::waitUntil([&] { return page->details()->toPlainText().contains(QStringLiteral("\"Mountpoint\"")); }));
    QVERIFY(page->details()->toPlainText().startsWith(QStringLiteral("Used by: user1")));

    // Made by the CLI while the window is open: the events journal brings it in.
    QCOMPARE(berth::test::runBerth(store->root(), {"volume", "create", "fromcli"}).exitCode, 0);
    QVERIFY(berth::test::waitUntil([&] { return volumeRow(model, QStringLiteral("fromcli")); }));
    QVERIFY(volumeRow(model, QStringLiteral("fromcli"))->userNames.isEmpty());

    // Made in the window: in the store and in the list.
    page->createVolume(QStringLiteral("made-in-ui"), {QStringLiteral("team=web")});
    QVERIFY2(berth::test::waitUntil([&] { return volumeRow(model, QStringLiteral("made-in-ui")); }), qPrintable(errors.join('\n')));
    QCOMPARE(volumeRow(model, QStringLiteral("made-in-ui"))->labels.value(QStringLiteral("team")), QStringLiteral("web"));
    QVERIFY(std::filesystem::is_directory(store->root() / "volumes" / "made-in-ui" / "_data"));

    // In use: refused with a sentence, still listed.
    page->removeVolumes({QStringLiteral("data")});
    QVERIFY(berth::test::waitUntil([&] { return !errors.isEmpty(); }));
    // The sentence names the container (the engine's message has its id), the reason follows.
    QVERIFY2(errors.first().startsWith(QStringLiteral("The volume data was not removed: 1 container uses it: user1.")),
             qPrintable(errors.first()));
    QVERIFY2(errors.first().contains(QStringLiteral("volume is in use")), qPrintable(errors.first()));
    QVERIFY(volumeRow(model, QStringLiteral("data")));
    // Once its container is gone, the volume is unused, and removing it works.
    QCOMPARE(berth::test::runBerth(store->root(), {"rm", "user1"}).exitCode, 0);
    QVERIFY(berth::test::waitUntil([&] { return volumeRow(model, QStringLiteral("data"))->userNames.isEmpty(); }));
    QCOMPARE(model->index(model->findRow(QStringLiteral("data")), VolumesModel::UsedBy).data().toString(), QStringLiteral("unused"));
    page->removeVolumes({QStringLiteral("data")});
    QVERIFY(berth::test::waitUntil([&] { return !volumeRow(model, QStringLiteral("data")); }));
    QVERIFY(!std::filesystem::exists(store->root() / "volumes" / "data"));
}

void VolumesNetworksTest::networksPageListsNetworks() {
    QString error;
    auto store = berth::test::openUiStore(false, &error);
    QVERIFY2(store, qPrintable(error));
    MainWindow w(store->client.get());
    QStringList errors;
    w.setErrorSink([&](const QString& s, const QString& d) { errors.append(s + QLatin1Char(' ') + d); });
    w.show();
    w.showPage(MainWindow::NetworksPageIndex);
    NetworksModel* model = w.networksPage()->model();
    QVERIFY2(berth::test::waitUntil([&] { return model->rowCount() >= 3 || !errors.isEmpty(); }), "no networks listed");
    if (!errors.isEmpty() && errors.first().contains(QStringLiteral("not implemented yet")))
        BERTH_SKIP("the engine's network layer is not implemented in this build yet", NotBuilt);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join('\n')));
    const QStringList names = model->names();
    for (const char* builtin : {"bridge", "host", "none"}) QVERIFY2(names.contains(QLatin1String(builtin)), builtin);
    const NetworkRow* bridge = model->rowAt(model->findRow(QStringLiteral("bridge")));
    QVERIFY(bridge->builtin);
    QVERIFY(!bridge->subnet.isEmpty());
    // A built-in network cannot be removed from the page.
    w.networksPage()->selectNetwork(QStringLiteral("bridge"));
    QVERIFY(!w.networksPage()->removeAction()->isEnabled());
}

void VolumesNetworksTest::portsColumnAndOpenInBrowser() {
    QString error;
    if (!berth::test::haveBusybox()) BERTH_SKIP("/bin/busybox missing (apt install busybox-static)", MissingProgram);
    auto store = berth::test::openUiStore(true, &error);
    QVERIFY2(store, qPrintable(QStringLiteral("cannot make the demo image: ") + error));
    auto created = berth::test::runBerth(store->root(), {"create", "--name", "web", "-p", "127.0.0.1:18080:80", "busybox:latest", "true"});
    QVERIFY2(created.exitCode == 0, created.err.c_str());
    auto rows = backend::listContainers(*store->engine);
    QVERIFY(rows);
    QCOMPARE(rows->size(), qsizetype(1));
    QCOMPARE(rows->first().ports, QStringList{QStringLiteral("127.0.0.1:18080\u219280/tcp")});
    QCOMPARE(rows->first().browserPorts, QList<int>{18080});

    // The action opens 127.0.0.1:<host port> of a running container with a published port.
    ContainersPage page(store->client.get());
    QList<QUrl> opened;
    page.setUrlOpener([&](const QUrl& u) {
        opened.append(u);
        return true;
    });
    ContainerRow r = rows->first();
    r.state = ContainerState::Running;
    page.model()->setRows({r});
    page.selectContainer(r.id);
    QVERIFY(page.openBrowserAction()->isEnabled());
    QCOMPARE(page.model()->index(0, ContainersModel::Ports).data().toString(), QStringLiteral("127.0.0.1:18080\u219280/tcp"));
    page.openBrowserAction()->trigger();
    QCOMPARE(opened, QList<QUrl>{QUrl(QStringLiteral("http://127.0.0.1:18080/"))});
    // Not running, or nothing published: nothing to open.
    r.state = ContainerState::Exited;
    page.model()->setRows({r});
    page.selectContainer(r.id);
    QVERIFY(!page.openBrowserAction()->isEnabled());
    berth::test::runBerth(store->root(), {"rm", "-f", "web"});
}

void VolumesNetworksTest::statusBarUsesPluralForms() {
    QString error;
    if (!berth::test::haveBusybox()) BERTH_SKIP("/bin/busybox missing (apt install busybox-static)", MissingProgram);
    auto store = berth::test::openUiStore(true, &error);
    QVERIFY2(store, qPrintable(QStringLiteral("cannot make the demo image: ") + error));
    MainWindow w(store->client.get());
    w.show();
    auto countsText = [&]() -> QString {
        for (QLabel* l : w.statusBar()->findChildren<QLabel*>())
            if (l->text().contains(QStringLiteral(" running · "))) return l->text();
        return {};
    };
    // One image (the demo image), no containers: singular and plural each where they belong.
    QVERIFY2(berth::test::waitUntil([&] { return countsText().endsWith(QStringLiteral("1 image")); }), qPrintable(countsText()));
    QCOMPARE(countsText(), QStringLiteral("0 running · 0 containers · 1 image"));
}

BERTH_TEST_MAIN(VolumesNetworksTest)
#include "volumes_networks_test.moc"
