// Switching the language to German (and French) gives translated labels in the window; and
// switching at run time through Preferences retranslates the window that is already open
// (labels, actions, table headers), remembers the choice, and switches back to English.
// The status bar's root/rootless mode texts (label and tooltip, with plural forms) are translated
// in German and French and take their English plurals from berth_en.ts.
#include "skip.h"
#include "imagesmodel.h"
#include "imagespage.h"
#include "mainwindow.h"
#include "preferencesdialog.h"
#include "resources.h"
#include "runtimemodetext.h"
#include "translations.h"
#include <QStatusBar>
#include "ui_test_support.h"

#include <QAction>
#include <QComboBox>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QSettings>
#include <QTableView>
#include <QTemporaryDir>
#include <QToolButton>

using namespace berth::ui;

class TranslationTest : public QObject {
    Q_OBJECT
    QTemporaryDir m_settingsDir;
private slots:
    void initTestCase() {
        initResources();
        // The language choice is remembered in QSettings: keep it out of the user's files.
        QVERIFY(m_settingsDir.isValid());
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
        QSettings().remove(QStringLiteral("ui/language"));
    }
    void germanLabels();
    void switchAtRunTime();
    void frenchLabels();
    void englishIsTheSource();
    void untranslatedLocalesGetEnglishPlurals();
    void modeTextsAreTranslated();
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

// A locale Berth has no translation for (the C locale of a bare session, Spanish) shows the
// English source with its plural forms, not "1 hour(s) ago".
void TranslationTest::untranslatedLocalesGetEnglishPlurals() {
    for (const QLocale& locale : {QLocale::c(), QLocale(QLocale::Spanish, QLocale::Spain)}) {
        QVERIFY(!Translations::install(locale));
        QCOMPARE(Translations::loadedLanguage(), QString());
        QCOMPARE(QCoreApplication::translate("Format", "%n hour(s) ago", nullptr, 1), QStringLiteral("1 hour ago"));
        QCOMPARE(QCoreApplication::translate("Format", "%n hour(s) ago", nullptr, 3), QStringLiteral("3 hours ago"));
    }
}

// The rootless strings of the status bar (label and tooltip) in German, French and English
// (plural forms from berth_en.ts), for a rootless mode missing two features, a single-id
// map missing one, and root.
void TranslationTest::modeTextsAreTranslated() {
    berth::RuntimeModeInfo rootless;
    rootless.rootless = true;
    rootless.mode = "rootless";
    rootless.idMapping = "0:1000:1,1:100000:65536";
    rootless.networkTool = "pasta";
    rootless.capabilities = {{"resource limits", false, "no delegated cgroup"},
                             {"network", true, "outbound traffic and -p through pasta"},
                             {"ports below 1024", true, "host ports from 0 up"},
                             {"ping", false, "ICMP sockets not allowed"}};
    berth::RuntimeModeInfo single = rootless;
    single.singleIdMapping = true;
    single.capabilities = {{"resource limits", true, "controllers: memory pids"},
                           {"other users in containers", false, "no subordinate ids"}};
    single.warning = "no ranges in /etc/subuid";
    berth::RuntimeModeInfo root;
    root.mode = "root";
    root.capabilities = {{"resource limits", true, "v1 /sys/fs/cgroup"}, {"ping", true, "root"}};

    QVERIFY(Translations::install(QLocale(QLocale::German, QLocale::Germany)));
    QCOMPARE(RuntimeModeText::label(rootless), QStringLiteral("Ohne Root (ohne Ressourcengrenzen, Ping)"));
    QCOMPARE(RuntimeModeText::label(single), QStringLiteral("Ohne Root, Einzel-ID-Abbildung (ohne weitere Benutzer in Containern)"));
    QCOMPARE(RuntimeModeText::label(root), QStringLiteral("Root-Modus"));
    QStringList tip = RuntimeModeText::toolTip(rootless).split(QLatin1Char('\n'));
    QCOMPARE(tip.value(0), QStringLiteral("Modus ohne Root: Container laufen in einem Benutzer-Namensraum, als Ihr Benutzer."));
    QCOMPARE(tip.value(1), QStringLiteral("2 Funktionen sind in diesem Modus auf diesem Rechner nicht verfügbar."));
    QVERIFY2(tip.contains(QStringLiteral("Benutzerkennungen innen → außen: 0:1000:1,1:100000:65536")), qPrintable(tip.join('|')));
    QVERIFY2(tip.contains(QStringLiteral("Netzwerk: pasta")), qPrintable(tip.join('|')));
    QVERIFY2(tip.contains(QStringLiteral("Ressourcengrenzen: nein (no delegated cgroup)")), qPrintable(tip.join('|')));
    QVERIFY2(tip.contains(QStringLiteral("Ports unter 1024: ja (host ports from 0 up)")), qPrintable(tip.join('|')));
    tip = RuntimeModeText::toolTip(single).split(QLatin1Char('\n'));
    QCOMPARE(tip.value(1), QStringLiteral("1 Funktion ist in diesem Modus auf diesem Rechner nicht verfügbar."));
    QCOMPARE(tip.last(), QStringLiteral("Warnung: no ranges in /etc/subuid"));
    QCOMPARE(RuntimeModeText::toolTip(root).split(QLatin1Char('\n')).value(0),
             QStringLiteral("Root-Modus: Container laufen mit den Root-Rechten des Rechners."));

    QVERIFY(Translations::install(QLocale(QLocale::French, QLocale::France)));
    QCOMPARE(RuntimeModeText::label(rootless), QStringLiteral("Sans root (sans limites de ressources, ping)"));
    QCOMPARE(RuntimeModeText::label(single), QStringLiteral("Sans root, un seul identifiant (sans autres utilisateurs dans les conteneurs)"));
    QCOMPARE(RuntimeModeText::label(root), QStringLiteral("Mode root"));
    tip = RuntimeModeText::toolTip(rootless).split(QLatin1Char('\n'));
    QCOMPARE(tip.value(1), QStringLiteral("2 fonctions ne sont pas disponibles dans ce mode sur cette machine."));
    QVERIFY2(tip.contains(QStringLiteral("limites de ressources : non (no delegated cgroup)")), qPrintable(tip.join('|')));
    QCOMPARE(RuntimeModeText::toolTip(single).split(QLatin1Char('\n')).value(1),
             QStringLiteral("1 fonction n'est pas disponible dans ce mode sur cette machine."));

    // English is the source; its plural forms come from berth_en.ts.
    QVERIFY(Translations::install(QLocale(QLocale::English, QLocale::UnitedStates)));
    QCOMPARE(RuntimeModeText::label(rootless), QStringLiteral("Rootless (no resource limits, ping)"));
    QCOMPARE(RuntimeModeText::toolTip(rootless).split(QLatin1Char('\n')).value(1),
             QStringLiteral("2 features are unavailable in this mode on this machine."));
    QCOMPARE(RuntimeModeText::toolTip(single).split(QLatin1Char('\n')).value(1),
             QStringLiteral("1 feature is unavailable in this mode on this machine."));
}

static QString pageTitle(QWidget* page) {
    auto* title = page->findChild<QLabel*>(QStringLiteral("pageTitle"));
    return title ? title->text() : QString();
}

void TranslationTest::switchAtRunTime() {
    Translations::install(QLocale(QLocale::English, QLocale::UnitedStates));
    QString error;
    auto store = berth::test::openUiStore(false, &error);
    QVERIFY2(store, qPrintable(error));
    MainWindow w(store->client.get());
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    auto* table = w.imagesPage()->table();
    QCOMPARE(pageTitle(w.imagesPage()), QStringLiteral("Images"));
    QCOMPARE(table->model()->headerData(ImagesModel::Size, Qt::Horizontal).toString(), QStringLiteral("Size"));
    QVERIFY(sidebarTexts(w).contains(QStringLiteral("Dashboard")));

    // Preferences -> Deutsch: the open window turns German at once.
    PreferencesDialog* prefs = w.openPreferences();
    QVERIFY(prefs && prefs->isVisible());
    QComboBox* box = prefs->languageBox();
    box->setCurrentIndex(box->findData(QStringLiteral("de")));
    QCoreApplication::processEvents();  // LanguageChange is posted to every window
    QCoreApplication::processEvents();
    QVERIFY2(sidebarTexts(w).contains(QStringLiteral("Übersicht")), qPrintable(sidebarTexts(w).join(",")));
    QVERIFY2(sidebarTexts(w).contains(QStringLiteral("Abbilder")), qPrintable(sidebarTexts(w).join(",")));
    QCOMPARE(pageTitle(w.imagesPage()), QStringLiteral("Abbilder"));
    QVERIFY2(actionTexts(w.imagesPage()).contains(QStringLiteral("Entfernen")), qPrintable(actionTexts(w.imagesPage()).join(",")));
    // The header the view shows comes from the model, through the sort proxy.
    QCOMPARE(table->model()->headerData(ImagesModel::Size, Qt::Horizontal).toString(), QStringLiteral("Größe"));
    QCOMPARE(prefs->windowTitle(), QStringLiteral("Einstellungen"));
    // The status bar's mode label (root or rootless, built with the mode's details) too.
    auto* modeLabel = w.statusBar()->findChild<QLabel*>(QStringLiteral("modeLabel"));
    QVERIFY(modeLabel);
    QCOMPARE(modeLabel->text(), RuntimeModeText::label(berth::runtimeModeInfo()));
    QVERIFY2(modeLabel->text().startsWith(QStringLiteral("Root-Modus")) || modeLabel->text().startsWith(QStringLiteral("Ohne Root")),
             qPrintable(modeLabel->text()));
    QVERIFY2(modeLabel->toolTip().contains(QStringLiteral("Modus")), qPrintable(modeLabel->toolTip()));
    QCOMPARE(box->itemText(0), QStringLiteral("Systemsprache"));
    QVERIFY2(!w.statusBar()->findChildren<QLabel*>().isEmpty(), "no status bar labels");
    bool storeLabel = false;
    for (QLabel* l : w.statusBar()->findChildren<QLabel*>()) storeLabel = storeLabel || l->text().startsWith(QStringLiteral("Speicher: "));
    QVERIFY(storeLabel);
    prefs->accept();
    QCOMPARE(QSettings().value(QStringLiteral("ui/language")).toString(), QStringLiteral("de"));
    QCOMPARE(Translations::languageSetting(), QStringLiteral("de"));

    // And back to English the same way.
    prefs = w.openPreferences();
    prefs->languageBox()->setCurrentIndex(prefs->languageBox()->findData(QStringLiteral("en")));
    QCoreApplication::processEvents();
    QCoreApplication::processEvents();
    QVERIFY2(sidebarTexts(w).contains(QStringLiteral("Dashboard")), qPrintable(sidebarTexts(w).join(",")));
    QCOMPARE(pageTitle(w.imagesPage()), QStringLiteral("Images"));
    QVERIFY(actionTexts(w.imagesPage()).contains(QStringLiteral("Remove")));
    QCOMPARE(table->model()->headerData(ImagesModel::Size, Qt::Horizontal).toString(), QStringLiteral("Size"));
    prefs->accept();
    QCOMPARE(Translations::languageSetting(), QStringLiteral("en"));

    // Cancel undoes a language tried in the dialog.
    prefs = w.openPreferences();
    prefs->languageBox()->setCurrentIndex(prefs->languageBox()->findData(QStringLiteral("fr")));
    QCoreApplication::processEvents();
    QCoreApplication::processEvents();
    QCOMPARE(pageTitle(w.imagesPage()), QStringLiteral("Images"));  // FR keeps "Images"
    QVERIFY(sidebarTexts(w).contains(QStringLiteral("Tableau de bord")));
    prefs->reject();
    QCoreApplication::processEvents();
    QCoreApplication::processEvents();
    QVERIFY(sidebarTexts(w).contains(QStringLiteral("Dashboard")));
    QCOMPARE(Translations::languageSetting(), QStringLiteral("en"));
}

BERTH_TEST_MAIN(TranslationTest)
#include "translation_test.moc"
