// The Terminal tab. The screen model alone (no root): escape sequences land in the cells,
// the scrollback keeps what scrolled off, keys and pastes become the bytes a terminal sends.
// Then a shell in a real busybox container (root): typed `echo hi` shows "hi", printf's
// colours reach the cells, Ctrl+C interrupts, `stty size` follows the widget's size, `exit`
// ends the session, and removing the container ends a running one.
#include "skip.h"
#include "containerdetailsview.h"
#include "containersmodel.h"
#include "containerspage.h"
#include "mainwindow.h"
#include "resources.h"
#include "terminalscreen.h"
#include "terminalsession.h"
#include "terminaltab.h"
#include "terminalview.h"
#include "fixtures.h"
#include "ui_test_support.h"

#include <QSignalSpy>
#include <QTest>

#include <unistd.h>

using namespace berth::ui;

class TerminalTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { initResources(); }
    void cellsFollowEscapeSequences();
    void scrollbackKeepsLinesScrolledOff();
    void keysBecomeTerminalBytes();
    void shellInRunningContainer();
};

void TerminalTest::cellsFollowEscapeSequences() {
    TerminalScreen s(5, 20);
    s.feed("\x1b[1;31mred\x1b[0m plain\r\n\x1b[4;6HX\x1b[42m \x1b[0m");
    QCOMPARE(s.lineText(0), QStringLiteral("red plain"));
    const TerminalCell r = s.cell(0, 0);
    QCOMPARE(QChar(char16_t(r.ch)), QLatin1Char('r'));
    QVERIFY(r.flags & TerminalCell::Bold);
    QVERIFY(!(r.flags & TerminalCell::DefaultFg));
    QVERIFY(qRed(r.fg) > 150 && qGreen(r.fg) < 100);  // palette red
    QVERIFY(s.cell(0, 4).flags & TerminalCell::DefaultFg);  // after the reset
    QCOMPARE(s.cell(3, 5).ch, char32_t('X'));               // cursor addressing: row 4, column 6
    QVERIFY(!(s.cell(3, 6).flags & TerminalCell::DefaultBg));
    QCOMPARE(s.cursor(), QPoint(7, 3));
    s.feed("\x1b[2J\x1b[H");
    QCOMPARE(s.screenText().trimmed(), QString());
}

void TerminalTest::scrollbackKeepsLinesScrolledOff() {
    TerminalScreen s(4, 20);
    for (int i = 0; i < 30; ++i) s.feed(QStringLiteral("line %1\r\n").arg(i).toUtf8());
    QCOMPARE(s.scrollbackCount(), 27);  // 30 lines and the empty one the cursor is on, 4 shown
    QCOMPARE(s.lineText(-27), QStringLiteral("line 0"));
    QCOMPARE(s.lineText(-1), QStringLiteral("line 26"));
    QCOMPARE(s.lineText(0), QStringLiteral("line 27"));
    QCOMPARE(s.text(QPoint(5, -2), QPoint(6, -1)), QStringLiteral("25\nline 2"));
    s.setScrollbackLimit(10);
    QCOMPARE(s.scrollbackCount(), 10);
    QCOMPARE(s.lineText(-10), QStringLiteral("line 17"));
    // Taller: lines come back from the scrollback onto the screen.
    s.resize(8, 20);
    QCOMPARE(s.rows(), 8);
    QCOMPARE(s.lineText(0), QStringLiteral("line 23"));
}

void TerminalTest::keysBecomeTerminalBytes() {
    TerminalScreen s(5, 20);
    QByteArray sent;
    connect(&s, &TerminalScreen::input, this, [&](const QByteArray& b) { sent += b; });
    auto key = [&](int k, Qt::KeyboardModifiers m = Qt::NoModifier, const QString& text = {}) {
        sent.clear();
        if (!s.sendKey(k, m, text)) return QByteArray("<not sent>");
        return sent;
    };
    QCOMPARE(key(Qt::Key_C, Qt::ControlModifier, QStringLiteral("\x03")), QByteArray("\x03"));
    QCOMPARE(key(Qt::Key_Tab, Qt::NoModifier, QStringLiteral("\t")), QByteArray("\t"));
    QCOMPARE(key(Qt::Key_Return, Qt::NoModifier, QStringLiteral("\r")), QByteArray("\r"));
    QCOMPARE(key(Qt::Key_Up), QByteArray("\x1b[A"));
    QCOMPARE(key(Qt::Key_Left), QByteArray("\x1b[D"));
    QCOMPARE(key(Qt::Key_A, Qt::ShiftModifier, QStringLiteral("A")), QByteArray("A"));
    QCOMPARE(key(Qt::Key_unknown, Qt::NoModifier, QStringLiteral("é")), QByteArray("\xc3\xa9"));
    s.feed("\x1b[?1h");  // application cursor keys (as vi and readline ask)
    QCOMPARE(key(Qt::Key_Up), QByteArray("\x1bOA"));
    sent.clear();
    s.paste(QStringLiteral("a\nb"));
    QCOMPARE(sent, QByteArray("a\rb"));
    s.feed("\x1b[?2004h");  // bracketed paste
    sent.clear();
    s.paste(QStringLiteral("x"));
    QCOMPARE(sent, QByteArray("\x1b[200~x\x1b[201~"));
}

// Typing goes through the widget as a user's keys do.
static void type(TerminalView* v, const QString& text) {
    QTest::keyClicks(v, text);
    QTest::keyClick(v, Qt::Key_Return);
}

static bool screenHasLine(TerminalScreen* s, const QString& line) {
    for (int i = -s->scrollbackCount(); i < s->rows(); ++i)
        if (s->lineText(i) == line) return true;
    return false;
}

void TerminalTest::shellInRunningContainer() {
    if (::geteuid() != 0) BERTH_SKIP("running containers needs root", NeedsRoot);
    if (!berth::test::haveBusybox()) BERTH_SKIP("/bin/busybox missing (apt install busybox-static)", MissingProgram);
    QString error;
    auto store = berth::test::openUiStore(true, &error);
    QVERIFY2(store, qPrintable(QStringLiteral("cannot make the demo image: ") + error));
    auto ran = berth::test::runBerth(store->root(), {"run", "-d", "--name", "ui-terminal", "busybox:latest", "sleep", "600"});
    QVERIFY2(ran.exitCode == 0, ran.err.c_str());
    struct Cleanup {
        std::filesystem::path root;
        ~Cleanup() { berth::test::runBerth(root, {"rm", "-f", "ui-terminal"}); }
    } cleanup{store->root()};

    MainWindow w(store->client.get());
    w.resize(1024, 700);
    w.show();
    w.showPage(MainWindow::ContainersPageIndex);
    ContainersPage* page = w.containersPage();
    QVERIFY(berth::test::waitUntil([&] { return page->model()->rowCount() == 1; }));
    const QString id = page->model()->rows().first().id;
    page->selectContainer(id);
    TerminalTab* tab = page->details()->terminal();
    page->details()->setCurrentWidget(tab);  // the first look starts a shell
    QVERIFY(berth::test::waitUntil([&] { return tab->session(id) != nullptr; }));
    TerminalScreen* screen = tab->screen(id);
    TerminalView* view = tab->view(id);
    QVERIFY2(berth::test::waitUntil([&] { return screen->screenText().contains(QLatin1Char('#')); }, 30000),
             qPrintable(tab->statusText() + QLatin1Char('\n') + screen->screenText()));

    type(view, QStringLiteral("echo hi"));
    QVERIFY2(berth::test::waitUntil([&] { return screenHasLine(screen, QStringLiteral("hi")); }), qPrintable(screen->screenText()));

    // printf's escape sequences reach the cells: bold green on the line after the command.
    type(view, QStringLiteral("printf '\\033[1;32mgreen\\033[0m\\n'"));
    QVERIFY(berth::test::waitUntil([&] { return screenHasLine(screen, QStringLiteral("green")); }));
    for (int i = 0; i < screen->rows(); ++i) {
        if (screen->lineText(i) != QStringLiteral("green")) continue;
        const TerminalCell g = screen->cell(i, 0);
        QVERIFY(g.flags & TerminalCell::Bold);
        QVERIFY(!(g.flags & TerminalCell::DefaultFg));
        QVERIFY(qGreen(g.fg) > qRed(g.fg));
    }

    // Ctrl+C reaches the shell's foreground process, not the window.
    type(view, QStringLiteral("sleep 300"));
    QTest::qWait(300);
    QTest::keyClick(view, Qt::Key_C, Qt::ControlModifier);
    type(view, QStringLiteral("echo after-$((6*7))"));
    QVERIFY2(berth::test::waitUntil([&] { return screenHasLine(screen, QStringLiteral("after-42")); }), qPrintable(screen->screenText()));

    // The pty's size is the widget's, and follows it.
    auto sttyShows = [&](int rows, int cols) {
        const QString want = QStringLiteral("%1 %2").arg(rows).arg(cols);
        type(view, QStringLiteral("stty size"));
        return berth::test::waitUntil([&] { return screenHasLine(screen, want); });
    };
    QVERIFY2(sttyShows(screen->rows(), screen->cols()), qPrintable(screen->screenText()));
    const int rowsBefore = screen->rows(), colsBefore = screen->cols();
    w.resize(1300, 900);
    QVERIFY(berth::test::waitUntil([&] { return screen->rows() > rowsBefore && screen->cols() > colsBefore; }));
    type(view, QStringLiteral("clear"));
    QVERIFY2(sttyShows(screen->rows(), screen->cols()), qPrintable(screen->screenText()));

    // `exit` ends the session; the last screen stays, read-only.
    type(view, QStringLiteral("exit 3"));
    QVERIFY(berth::test::waitUntil([&] { return tab->session(id) == nullptr; }));
    QVERIFY2(tab->statusText().contains(QStringLiteral("code 3")), qPrintable(tab->statusText()));
    QVERIFY(tab->screen(id));

    // A running shell ends when its container goes away.
    tab->startShell();
    TerminalSession* second = tab->session(id);
    QVERIFY(second);
    QSignalSpy ended(second, &TerminalSession::finished);
    QVERIFY(berth::test::waitUntil([&] { return tab->screen(id)->screenText().contains(QLatin1Char('#')); }, 30000));
    auto removed = berth::test::runBerth(store->root(), {"rm", "-f", "ui-terminal"});
    QVERIFY2(removed.exitCode == 0, removed.err.c_str());
    QVERIFY(berth::test::waitUntil([&] { return ended.count() == 1 || !tab->session(id); }, 30000));
    QVERIFY(berth::test::waitUntil([&] { return page->model()->rowCount() == 0; }));
    QVERIFY(!tab->screen(id));  // its tab content went with it
}

BERTH_TEST_MAIN(TerminalTest)
#include "terminal_test.moc"
