// What a new user trips over (issue 19), over a fake engine (no root, no store): the window
// fits a 1024x700 screen with the container list taking most of its height; the Stats
// tab's charts are readable (axis labels, the current value, the limit only when there is
// one, each container's history kept); one map of shortcuts that work after a click in
// the sidebar; a stop shows "Stopping…" at once and then as stopped, not failed; an OOM
// kill shows in the state column, its tooltip and the logs pane; the figures agree (paused
// is not running, the images' total counts shared layers once, binary units everywhere).
#include "skip.h"
#include "builddialog.h"
#include "containerdetailsview.h"
#include "containersmodel.h"
#include "containerspage.h"
#include "dashboardpage.h"
#include "format.h"
#include "imagesmodel.h"
#include "logview.h"
#include "fake_engine.h"
#include "imagespage.h"
#include "mainwindow.h"
#include "networkspage.h"
#include "resources.h"
#include "statshistorymodel.h"
#include "timeserieschart.h"
#include "ui_test_support.h"
#include "volumespage.h"

#include <QAction>
#include <QDateTime>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>

using namespace berth::ui;

class UsabilityTest : public QObject {
    Q_OBJECT
    QTemporaryDir m_settingsDir;
private slots:
    void initTestCase() {
        initResources();
        // Window geometry and splitters are remembered: start from none, keep them out of
        // the user's files.
        QVERIFY(m_settingsDir.isValid());
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    }
    void init() { QSettings().clear(); }
    void windowFitsSmallScreens_data();
    void windowFitsSmallScreens();
    void statsChartsAreReadable();
    void statsHistoryIsKeptPerContainer();
    void oneShortcutMap();
    void shortcutsWorkAfterASidebarClick();
    void stopShowsStoppingThenStopped();
    void oomKillIsShown();
    void binaryUnitsEverywhere();
    void pausedIsNotRunning();
    void imagesTotalIsTheEnginesFigure();
};

static berth::ContainerSummary container(char idChar, const std::string& name, berth::ContainerStatus state) {
    berth::ContainerSummary c;
    c.id = std::string(64, idChar);
    c.name = name;
    c.image = "busybox";
    c.state = state;
    return c;
}

// Nine containers, as on the store the issue was found with.
static std::vector<berth::ContainerSummary> nineContainers() {
    std::vector<berth::ContainerSummary> rows;
    for (int i = 0; i < 9; ++i)
        rows.push_back(container(char('a' + i), "c" + std::to_string(i), berth::ContainerStatus::Running));
    rows[0].ports = {{"", 8080, 80, "tcp"}};
    return rows;
}

void UsabilityTest::windowFitsSmallScreens_data() {
    QTest::addColumn<QSize>("screen");
    QTest::newRow("1024x700") << QSize(1024, 700);
    QTest::newRow("1280x800") << QSize(1280, 800);
}

void UsabilityTest::windowFitsSmallScreens() {
    QFETCH(QSize, screen);
    berth::test::FakeEngine engine;
    engine.setContainers(nineContainers());
    EngineClient client(engine);
    MainWindow w(&client);
    w.showPage(MainWindow::ContainersPageIndex);
    w.show();
    const QSize min = w.minimumSizeHint().expandedTo(w.minimumSize());
    QVERIFY2(min.width() <= 1000 && min.height() <= 640,
             qPrintable(QStringLiteral("the window needs at least %1x%2").arg(min.width()).arg(min.height())));
    w.resize(screen);
    ContainersPage* page = w.containersPage();
    QVERIFY(berth::test::waitUntil([&] { return page->model()->rowCount() == 9; }));
    QVERIFY(berth::test::waitUntil([&] { return w.size() == screen; }));
    QCoreApplication::processEvents();
    // The status bar is on screen, at the bottom of the window.
    QVERIFY(w.statusBar()->isVisible());
    QVERIFY(w.rect().contains(w.statusBar()->geometry()));
    // The list gets most of the height: at 1024x700 at least eight of the nine rows show.
    QTableView* table = page->table();
    const int rowHeight = table->verticalHeader()->defaultSectionSize();
    const int visibleRows = table->viewport()->height() / rowHeight;
    QVERIFY2(visibleRows >= 8, qPrintable(QStringLiteral("%1 rows visible").arg(visibleRows)));
    QVERIFY(table->height() > page->details()->height());
    client.waitForIdle();
}

static StatsSample sample(char idChar, qint64 timeMs, double cpu, quint64 memory, quint64 limit) {
    StatsSample s;
    s.id = QString(64, QLatin1Char(idChar));
    s.name = QStringLiteral("c");
    s.timeMs = timeMs;
    s.cpuPercent = cpu;
    s.memoryUsage = memory;
    s.memoryLimit = limit;
    s.pids = 3;
    return s;
}

void UsabilityTest::statsChartsAreReadable() {
    berth::test::FakeEngine engine;
    EngineClient client(engine);
    ContainerDetailsView details(&client);
    details.resize(900, 520);
    details.show();
    details.setCurrentIndex(1);  // Stats
    const QString a(64, QLatin1Char('a'));
    details.showContainer(a);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    constexpr quint64 MiB = 1024 * 1024;
    for (int i = 0; i < 5; ++i) details.addSample(sample('a', now - 4000 + i * 1000, 40 + i, 12 * MiB, 0));
    TimeSeriesChart* memory = details.memoryChart();
    // The current value in the legend; no limit line while there is no limit.
    QVERIFY2(berth::test::waitUntil([&] { return memory->legendTexts() == QStringList{QStringLiteral("Used: 12 MiB")}; }, 5000),
             qPrintable(memory->legendTexts().join(QLatin1String(" | "))));
    QVERIFY(berth::test::waitUntil([&] { return details.cpuChart()->legendTexts() == QStringList{QStringLiteral("CPU %: 44 %")}; }, 5000));
    // The Y axis is labelled with numbers, none elided to "…".
    for (TimeSeriesChart* chart : {details.cpuChart(), memory}) {
        QVERIFY(berth::test::waitUntil([&] { return chart->axisLabels().size() >= 2; }, 5000));
        const QStringList labels = chart->axisLabels();
        QVERIFY2(labels.size() >= 2, qPrintable(labels.join(QLatin1String(" | "))));
        QVERIFY2(labels.contains(QStringLiteral("0")) || labels.contains(QStringLiteral("0.0")), qPrintable(labels.join(QLatin1String(" | "))));
        for (const QString& l : labels) QVERIFY2(!l.contains(QChar(0x2026)) && !l.contains(QLatin1String("...")), qPrintable(l));
    }
    // With a limit (--memory 64m) the limit line is drawn, in MiB.
    details.addSample(sample('a', now + 1000, 45, 13 * MiB, 64 * MiB));
    QVERIFY2(berth::test::waitUntil([&] {
                 return memory->legendTexts() == QStringList({QStringLiteral("Used: 13 MiB"), QStringLiteral("Limit: 64 MiB")});
             }, 5000),
             qPrintable(memory->legendTexts().join(QLatin1String(" | "))));
    client.waitForIdle();
}

void UsabilityTest::statsHistoryIsKeptPerContainer() {
    berth::test::FakeEngine engine;
    EngineClient client(engine);
    ContainerDetailsView details(&client);
    const QString a(64, QLatin1Char('a')), b(64, QLatin1Char('b'));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    details.showContainer(a);
    // The sampler sends every running container's samples, selected or not.
    for (int i = 0; i < 4; ++i) {
        details.addSample(sample('a', now + i * 1000, 10, 1 << 20, 0));
        details.addSample(sample('b', now + i * 1000, 20, 2 << 20, 0));
    }
    QCOMPARE(details.statsModel()->rowCount(), 4);
    details.showContainer(b);
    QCOMPARE(details.statsModel()->rowCount(), 4);  // b's minutes, sampled while a was shown
    QCOMPARE(details.statsModel()->value(0, StatsHistoryModel::Cpu), 20.0);
    details.addSample(sample('b', now + 5000, 20, 2 << 20, 0));
    details.showContainer(a);
    QCOMPARE(details.statsModel()->rowCount(), 4);  // not restarted by the selection
    QCOMPARE(details.statsModel()->value(3, StatsHistoryModel::Cpu), 10.0);
    // A container no longer listed loses its history.
    details.keepHistoryOf({a});
    details.showContainer(b);
    QCOMPARE(details.statsModel()->rowCount(), 0);
    client.waitForIdle();
}

void UsabilityTest::oneShortcutMap() {
    berth::test::FakeEngine engine;
    EngineClient client(engine);
    MainWindow w(&client);
    // Over every page: a command has one key and a key means one command.
    QMap<QString, QString> keyOf, commandOf;
    int checked = 0;
    for (QWidget* page : std::initializer_list<QWidget*>{w.containersPage(), w.imagesPage(), w.volumesPage(), w.networksPage()}) {
        for (QAction* a : page->actions()) {
            if (a->shortcut().isEmpty()) continue;
            ++checked;
            const QString key = a->shortcut().toString(), text = a->text();
            QVERIFY2(!keyOf.contains(text) || keyOf[text] == key,
                     qPrintable(QStringLiteral("%1 is %2 and %3").arg(text, keyOf[text], key)));
            QVERIFY2(!commandOf.contains(key) || commandOf[key] == text,
                     qPrintable(QStringLiteral("%1 means %2 and %3").arg(key, commandOf[key], text)));
            keyOf[text] = key;
            commandOf[key] = text;
            QCOMPARE(a->shortcutContext(), Qt::WindowShortcut);
        }
    }
    QVERIFY(checked >= 20);
    QCOMPARE(keyOf.value(QStringLiteral("Run…")), QStringLiteral("Ctrl+R"));
    QCOMPARE(keyOf.value(QStringLiteral("Build…")), QStringLiteral("Ctrl+B"));
    QCOMPARE(keyOf.value(QStringLiteral("Open in Browser")), QStringLiteral("Ctrl+L"));
    client.waitForIdle();
}

static void clickSidebar(MainWindow& w, MainWindow::Page page) {
    auto* sidebar = w.findChild<QListWidget*>(QStringLiteral("sidebar"));
    QVERIFY(sidebar);
    QListWidgetItem* item = sidebar->item(int(page) + 1);  // row 0 is the brand
    QTest::mouseClick(sidebar->viewport(), Qt::LeftButton, {}, sidebar->visualItemRect(item).center());
    QCOMPARE(w.currentPage(), int(page));
    QCOMPARE(QApplication::focusWidget(), sidebar);
}

void UsabilityTest::shortcutsWorkAfterASidebarClick() {
    berth::test::FakeEngine engine;
    engine.setContainers(nineContainers());
    EngineClient client(engine);
    MainWindow w(&client);
    w.resize(1280, 800);
    w.show();
    w.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&w));
    ContainersPage* containers = w.containersPage();
    QList<QUrl> opened;
    containers->setUrlOpener([&](const QUrl& u) {
        opened.append(u);
        return true;
    });
    w.showPage(MainWindow::ContainersPageIndex);
    QVERIFY(berth::test::waitUntil([&] { return containers->model()->rowCount() == 9; }));
    containers->selectContainer(QString(64, QLatin1Char('a')));

    // Focus on the sidebar: the Containers page's Open in Browser (Ctrl+L) still fires.
    clickSidebar(w, MainWindow::ContainersPageIndex);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_L, Qt::ControlModifier);
    QCOMPARE(opened, QList<QUrl>{QUrl(QStringLiteral("http://127.0.0.1:8080/"))});

    // On Images, Ctrl+B is Build… (and the hidden Containers page's Ctrl+L does nothing).
    clickSidebar(w, MainWindow::ImagesPageIndex);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_L, Qt::ControlModifier);
    QCOMPARE(opened.size(), 1);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_B, Qt::ControlModifier);
    auto* build = w.imagesPage()->findChild<BuildDialog*>();
    QVERIFY2(build && build->isVisible(), "Ctrl+B after a sidebar click did not open Build…");
    build->close();
    client.waitForIdle();
}

static QString stateText(ContainersPage& page, const QString& id, int role = Qt::DisplayRole) {
    ContainersModel* m = page.model();
    return m->index(m->findRow(id), ContainersModel::State).data(role).toString();
}

void UsabilityTest::stopShowsStoppingThenStopped() {
    berth::test::FakeEngine engine;
    auto rows = nineContainers();
    rows[2].state = berth::ContainerStatus::Exited;  // exited on its own: a failure
    rows[2].exitCode = 137;
    rows[1].exitCode = 137;  // the code its stop will leave
    engine.setContainers(rows);
    EngineClient client(engine);
    ContainersPage page(&client);
    page.refresh();
    QVERIFY(berth::test::waitUntil([&] { return page.model()->rowCount() == 9; }));
    const QString web = QString::fromStdString(rows[1].id), crashed = QString::fromStdString(rows[2].id);
    QCOMPARE(stateText(page, crashed), QStringLiteral("Exited (137)"));
    page.selectContainer(web);
    page.actionFor(backend::ContainerAction::Stop)->trigger();
    // At once, before the engine answers (no event processed yet).
    QCOMPARE(stateText(page, web), QStringLiteral("Stopping…"));
    QVERIFY(berth::test::waitUntil([&] { return page.model()->rowAt(page.model()->findRow(web))->state == ContainerState::Exited; }));
    QVERIFY(berth::test::waitUntil([&] { return stateText(page, web) == QStringLiteral("Stopped"); }));
    QCOMPARE(stateText(page, web, Qt::ToolTipRole), QStringLiteral("Exited (137) after a stop that was asked for"));
    QCOMPARE(stateText(page, crashed), QStringLiteral("Exited (137)"));
    // Started again, then exited by itself: a failure again.
    page.actionFor(backend::ContainerAction::Start)->trigger();
    QVERIFY(berth::test::waitUntil([&] { return stateText(page, web) == QStringLiteral("Running"); }));
    client.waitForIdle();
}

void UsabilityTest::oomKillIsShown() {
    berth::test::FakeEngine engine;
    auto rows = nineContainers();
    rows[3].state = berth::ContainerStatus::Exited;
    rows[3].exitCode = 137;
    rows[3].oomKilled = true;
    rows[3].memoryLimit = 16 << 20;  // --memory 16m
    engine.setContainers(rows);
    EngineClient client(engine);
    ContainersPage page(&client);
    page.refresh();
    QVERIFY(berth::test::waitUntil([&] { return page.model()->rowCount() == 9; }));
    const QString hog = QString::fromStdString(rows[3].id);
    QCOMPARE(stateText(page, hog), QStringLiteral("Exited (137), out of memory"));
    QCOMPARE(stateText(page, hog, Qt::ToolTipRole), QStringLiteral("Exited (137), out of memory at 16 MiB"));
    page.selectContainer(hog);
    QCOMPARE(page.details()->logView()->note(), QStringLiteral("Exited (137), out of memory at 16 MiB"));
    page.selectContainer(QString::fromStdString(rows[0].id));
    QCOMPARE(page.details()->logView()->note(), QString());
    client.waitForIdle();
}

void UsabilityTest::binaryUnitsEverywhere() {
    QCOMPARE(format::bytes(64ull << 20), QStringLiteral("64 MiB"));  // --memory 64m
    QCOMPARE(format::bytes(1536ull << 10), QStringLiteral("1.5 MiB"));
    QCOMPARE(format::bytes(3ull << 30), QStringLiteral("3 GiB"));
    QCOMPARE(format::bytes(512ull << 10), QStringLiteral("512 KiB"));
    berth::test::FakeEngine engine;
    auto rows = nineContainers();
    rows[0].memoryLimit = 64 << 20;
    engine.setContainers(rows);
    EngineClient client(engine);
    ContainersPage page(&client);
    page.refresh();
    QVERIFY(berth::test::waitUntil([&] { return page.model()->rowCount() == 9; }));
    StatsSample s = sample('a', QDateTime::currentMSecsSinceEpoch(), 5, 12ull << 20, 64ull << 20);
    page.applyStats({s}, HostSample{});
    ContainersModel* m = page.model();
    QCOMPARE(m->index(m->findRow(s.id), ContainersModel::Memory).data().toString(), QStringLiteral("12 MiB / 64 MiB"));
    client.waitForIdle();
}

void UsabilityTest::pausedIsNotRunning() {
    berth::test::FakeEngine engine;
    auto rows = nineContainers();
    rows.resize(3);
    rows[2].state = berth::ContainerStatus::Paused;
    engine.setContainers(rows);
    EngineClient client(engine);
    MainWindow w(&client);
    ContainersPage* page = w.containersPage();
    QVERIFY(berth::test::waitUntil([&] { return page->model()->rowCount() == 3; }));
    // The sampler samples the paused container too (its memory is still there).
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QList<StatsSample> samples{sample('a', now, 5, 1 << 20, 0), sample('b', now, 5, 1 << 20, 0), sample('c', now, 37.5, 1 << 20, 0)};
    page->applyStats(samples, HostSample{});
    w.dashboardPage()->applyStats(samples, HostSample{});
    auto* running = w.dashboardPage()->findChild<QLabel*>(QStringLiteral("runningCount"));
    QVERIFY(running);
    QCOMPARE(running->text(), QStringLiteral("2"));
    QVERIFY(w.statusBar()->findChildren<QLabel*>().size() > 0);
    bool statusSaysTwo = false;
    for (QLabel* l : w.statusBar()->findChildren<QLabel*>()) statusSaysTwo |= l->text().startsWith(QStringLiteral("2 running"));
    QVERIFY(statusSaysTwo);
    // No stale CPU figure beside a paused container; its memory is still shown.
    ContainersModel* m = page->model();
    const int paused = m->findRow(samples[2].id);
    QCOMPARE(m->index(paused, ContainersModel::Cpu).data().toString(), QString());
    QCOMPARE(m->index(paused, ContainersModel::Memory).data().toString(), QStringLiteral("1 MiB"));
    QCOMPARE(m->index(m->findRow(samples[0].id), ContainersModel::Cpu).data().toString(), QStringLiteral("5.0 %"));
    client.waitForIdle();
}

void UsabilityTest::imagesTotalIsTheEnginesFigure() {
    berth::test::FakeEngine engine;
    // Two images of 5 MiB each sharing a 4 MiB layer: 6 MiB on disk (berth system df).
    berth::ImageSummary a;
    a.id = "sha256:" + std::string(64, '1');
    a.repoTags = {"app:1"};
    a.size = 5 << 20;
    berth::ImageSummary b = a;
    b.id = "sha256:" + std::string(64, '2');
    b.repoTags = {"app:2"};
    engine.setImages({a, b});
    berth::ImageDiskUsage usage;
    usage.images = 2;
    usage.size = 6 << 20;
    engine.setImageDiskUsage(usage);
    EngineClient client(engine);
    ImagesPage page(&client);
    page.refresh();
    auto* subtitle = page.findChild<QLabel*>(QStringLiteral("pageSubtitle"));
    QVERIFY(subtitle);
    // (The plural form comes from the translations, not loaded here: "2 image(s)".)
    QVERIFY2(berth::test::waitUntil([&] { return subtitle->text().endsWith(QStringLiteral(", 6 MiB")); }),
             qPrintable(subtitle->text()));
    client.waitForIdle();
}

BERTH_TEST_MAIN(UsabilityTest)
#include "usability_test.moc"
