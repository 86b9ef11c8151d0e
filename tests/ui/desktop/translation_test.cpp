// Switching the language to German (and French) gives translated labels in the window.
#include "imagesmodel.h"
#include "mainwindow.h"
#include "resources.h"
#include "translations.h"
#include "ui_test_support.h"

#include <QAction>
#include <QListWidget>
#include <QToolButton>

using namespace berth::ui;

class TranslationTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { initResources(); }
    void germanLabels();
    void frenchLabels();
    void englishIsTheSource();
};

static QStringList sidebarTexts(MainWindow& w) {
    QStringList out;
    auto* sidebar = w.findChild<QListWidget*>(QStringLiteral("sidebar"));
    for (int i = 0; sidebar && i < sidebar->count(); ++i) out.append(sidebar->item(i)->text());
    return out;
}

static QStringList actionTexts(QWidget* page) {
    QStringList out;
    for (QAction* a : page->actions()) out.append(a->text());
    return out;
}

void TranslationTest::germanLabels() {
    QVERIFY2(Translations::install(QLocale(QLocale::German, QLocale::Germany)), "no German translation embedded");
    QString error;
    auto store = berth::test::openUiStore(false, &error);
    QVERIFY2(store, qPrintable(error));
    MainWindow w(store->client.get());
    const QStringList sidebar = sidebarTexts(w);
    QVERIFY2(sidebar.contains(QStringLiteral("Übersicht")), qPrintable(sidebar.join(",")));
    QVERIFY2(sidebar.contains(QStringLiteral("Abbilder")), qPrintable(sidebar.join(",")));
    const QStringList actions = actionTexts(reinterpret_cast<QWidget*>(w.imagesPage()));
    QVERIFY2(actions.contains(QStringLiteral("Entfernen")), qPrintable(actions.join(",")));
    ImagesModel m;
    QCOMPARE(m.headerData(ImagesModel::Size, Qt::Horizontal).toString(), QStringLiteral("Größe"));
    QCOMPARE(m.headerData(ImagesModel::Created, Qt::Horizontal).toString(), QStringLiteral("Erstellt"));
}

void TranslationTest::frenchLabels() {
    QVERIFY2(Translations::install(QLocale(QLocale::French, QLocale::France)), "no French translation embedded");
    ImagesModel m;
    QCOMPARE(m.headerData(ImagesModel::Size, Qt::Horizontal).toString(), QStringLiteral("Taille"));
    QString error;
    auto store = berth::test::openUiStore(false, &error);
    QVERIFY2(store, qPrintable(error));
    MainWindow w(store->client.get());
    QVERIFY(sidebarTexts(w).contains(QStringLiteral("Tableau de bord")));
}

void TranslationTest::englishIsTheSource() {
    Translations::install(QLocale(QLocale::English, QLocale::UnitedStates));
    ImagesModel m;
    QCOMPARE(m.headerData(ImagesModel::Size, Qt::Horizontal).toString(), QStringLiteral("Size"));
}

QTEST_MAIN(TranslationTest)
#include "translation_test.moc"
