// Everyday qualities of the window: every button a screen reader meets has a name (its text
// or an accessible name), every page action has a keyboard shortcut, and no two actions of
// one page share a shortcut.
#include "skip.h"
#include "containerspage.h"
#include "imagespage.h"
#include "mainwindow.h"
#include "networkspage.h"
#include "volumespage.h"
#include "resources.h"
#include "ui_test_support.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAction>
#include <QLineEdit>
#include <QTabBar>
#include <QToolButton>

using namespace berth::ui;

class AccessibilityTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { initResources(); }
    void buttonsHaveNames();
    void actionsHaveShortcuts();
};

void AccessibilityTest::buttonsHaveNames() {
    QString error;
    auto store = berth::test::openUiStore(false, &error);
    QVERIFY2(store, qPrintable(error));
    MainWindow w(store->client.get());
    w.show();
    w.imagesPage()->openPullDialog();  // its buttons too
    w.openPreferences();
    QStringList unnamed;
    int checked = 0;
    for (QAbstractButton* b : w.findChildren<QAbstractButton*>()) {
        QString name = b->accessibleName();
        if (name.isEmpty()) name = b->text();
        if (auto* tb = qobject_cast<QToolButton*>(b); tb && name.isEmpty() && tb->defaultAction()) name = tb->defaultAction()->text();
        // Qt's own internal buttons (scroll-bar arrows, the line edits' clear buttons) are
        // named by Qt's accessibility layer; ours all have an object path under a page.
        if (b->objectName().startsWith(QLatin1String("qt_")) || qobject_cast<QLineEdit*>(b->parentWidget()) ||
            qobject_cast<QAbstractItemView*>(b->parentWidget()) || qobject_cast<QTabBar*>(b->parentWidget()))
            continue;
        ++checked;
        if (name.remove(QLatin1Char('&')).trimmed().isEmpty())
            unnamed.append(QStringLiteral("%1 (%2 in %3)").arg(b->objectName(), QString::fromLatin1(b->metaObject()->className()),
                                                                b->parentWidget() ? QString::fromLatin1(b->parentWidget()->metaObject()->className()) : QString()));
    }
    QVERIFY(checked > 20);
    QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(QStringLiteral(", "))));
}

void AccessibilityTest::actionsHaveShortcuts() {
    QString error;
    auto store = berth::test::openUiStore(false, &error);
    QVERIFY2(store, qPrintable(error));
    MainWindow w(store->client.get());
    for (QWidget* page : std::initializer_list<QWidget*>{w.containersPage(), w.imagesPage(), w.volumesPage(), w.networksPage(), &w}) {
        QHash<QString, QString> seen;
        for (QAction* a : page->actions()) {
            QVERIFY2(!a->shortcut().isEmpty(), qPrintable(a->text() + QStringLiteral(" has no shortcut")));
            const QString key = a->shortcut().toString();
            QVERIFY2(!seen.contains(key), qPrintable(key + QStringLiteral(": ") + seen.value(key) + QStringLiteral(" and ") + a->text()));
            seen.insert(key, a->text());
        }
        QVERIFY(!seen.isEmpty());
    }
}

BERTH_TEST_MAIN(AccessibilityTest)
#include "accessibility_test.moc"
