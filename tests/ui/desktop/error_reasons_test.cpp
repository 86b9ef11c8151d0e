// Issue 19, defect 7: an error says why in its message (not behind "Show Details…");
// removing an image a container uses offers Force Remove, and forcing removes it; a network
// create the engine refuses keeps the form open with what was typed. (The volume-in-use
// refusal naming its containers is in volumes_networks_test.)
#include "skip.h"
#include "errordialog.h"
#include "imagesmodel.h"
#include "imagespage.h"
#include "mainwindow.h"
#include "networkcreatedialog.h"
#include "networksmodel.h"
#include "networkspage.h"
#include "resources.h"
#include "fixtures.h"
#include "ui_test_support.h"

#include <QDialogButtonBox>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QTest>

using namespace berth::ui;

class ErrorReasonsTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { initResources(); }
    void reasonIsInTheMessage();
    void imageInUseOffersForce();
    void refusedNetworkCreateKeepsTheForm();
};

void ErrorReasonsTest::reasonIsInTheMessage() {
    QMessageBox box;
    ErrorDialog::fill(box, QStringLiteral("The volume data could not be removed."),
                      QStringLiteral("remove data: volume is in use - [0123456789ab]"));
    QCOMPARE(box.text(), QStringLiteral("The volume data could not be removed."));
    QVERIFY(box.informativeText().startsWith(QStringLiteral("remove data: volume is in use - [0123456789ab]")));
    QVERIFY(box.informativeText().contains(QStringLiteral("Remove that container first.")));  // the hint after it
    QVERIFY(box.detailedText().isEmpty());  // no "Show Details…" button hiding it
}

void ErrorReasonsTest::imageInUseOffersForce() {
    QString error;
    if (!berth::test::haveBusybox()) BERTH_SKIP("/bin/busybox missing (apt install busybox-static)", MissingProgram);
    auto store = berth::test::openUiStore(true, &error);
    QVERIFY2(store, qPrintable(QStringLiteral("cannot make the demo image: ") + error));
    auto created = berth::test::runBerth(store->root(), {"create", "--name", "holder", "busybox:latest", "true"});
    QVERIFY2(created.exitCode == 0, created.err.c_str());
    MainWindow w(store->client.get());
    QStringList errors;
    w.setErrorSink([&](const QString& s, const QString& d) { errors.append(s + QLatin1Char('|') + d); });
    ImagesPage* page = w.imagesPage();
    page->refresh();
    QVERIFY(berth::test::waitUntil([&] { return page->model()->rowCount() == 1; }));
    auto tagged = [&] { return page->model()->index(0, ImagesModel::Tag).data().toString() == QStringLiteral("latest"); };

    // Declined: nothing removed, no second error on top of the question.
    QStringList asked;
    page->setForceAsker([&](const QString& sentence, const QString& reason) {
        asked.append(sentence + QLatin1Char('|') + reason);
        return false;
    });
    page->removeImages({QStringLiteral("busybox:latest")});
    QVERIFY(berth::test::waitUntil([&] { return asked.size() == 1; }));
    QVERIFY2(asked.first().contains(QStringLiteral("could not be removed")) && asked.first().contains(QStringLiteral("must force")),
             qPrintable(asked.first()));
    QVERIFY(berth::test::waitUntil([&] { return store->client->activeJobCount() == 0; }));
    QVERIFY(errors.isEmpty());
    QVERIFY(tagged());

    // Forced: the name goes, the container keeps its image.
    page->setForceAsker([&](const QString&, const QString&) { return true; });
    page->removeImages({QStringLiteral("busybox:latest")});
    QVERIFY2(berth::test::waitUntil([&] { return !tagged(); }), qPrintable(errors.join('\n')));
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join('\n')));
    auto ls = berth::test::runBerth(store->root(), {"images", "--format", "{{.Repository}}:{{.Tag}}"});
    QVERIFY(ls.out.find("busybox:latest") == std::string::npos);
    berth::test::runBerth(store->root(), {"rm", "-f", "holder"});
}

void ErrorReasonsTest::refusedNetworkCreateKeepsTheForm() {
    QString error;
    auto store = berth::test::openUiStore(false, &error);
    QVERIFY2(store, qPrintable(error));
    MainWindow w(store->client.get());
    QStringList errors;
    w.setErrorSink([&](const QString& s, const QString& d) { errors.append(s + QLatin1Char('|') + d); });
    w.show();
    w.showPage(MainWindow::NetworksPageIndex);
    NetworksPage* page = w.networksPage();
    NetworkCreateDialog* d = page->askCreate();
    QPointer<NetworkCreateDialog> alive(d);
    d->setRequest({QStringLiteral("typed-net"), QStringLiteral("10.77.0.0/40"), QStringLiteral("10.77.0.1"), true});
    auto clickCreate = [&] {
        QPushButton* ok = d->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
        QVERIFY(ok->isEnabled());
        QTest::mouseClick(ok, Qt::LeftButton);
    };
    clickCreate();
    QVERIFY(berth::test::waitUntil([&] { return !alive || !d->refusalText().isEmpty(); }));
    QVERIFY2(alive && d->isVisible(), "the form closed on a refusal");
    QVERIFY2(d->refusalText().contains(QStringLiteral("could not be created")), qPrintable(d->refusalText()));
    QVERIFY2(d->refusalText().contains(QStringLiteral("10.77.0.0/40")), qPrintable(d->refusalText()));  // the reason
    const auto kept = d->request();
    QCOMPARE(kept.name, QStringLiteral("typed-net"));
    QCOMPARE(kept.subnet, QStringLiteral("10.77.0.0/40"));
    QCOMPARE(kept.gateway, QStringLiteral("10.77.0.1"));
    QVERIFY(kept.internal);
    QVERIFY(errors.isEmpty());  // said in the form, not in a second dialog

    // Corrected in place (the next free subnet, its first address): created, the form closes.
    d->findChild<QLineEdit*>(QStringLiteral("networkSubnet"))->clear();
    d->findChild<QLineEdit*>(QStringLiteral("networkGateway"))->clear();
    clickCreate();
    QVERIFY2(berth::test::waitUntil([&] { return !alive || !d->isVisible(); }), qPrintable(alive ? d->refusalText() : QString()));
    QVERIFY(berth::test::waitUntil([&] { return page->model()->findRow(QStringLiteral("typed-net")) >= 0; }));
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join('\n')));
    berth::test::runBerth(store->root(), {"network", "rm", "typed-net"});
}

BERTH_TEST_MAIN(ErrorReasonsTest)
#include "error_reasons_test.moc"
