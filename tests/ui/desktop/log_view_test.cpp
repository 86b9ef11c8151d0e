// The log view under load: 100,000 lines appended while it follows; every line arrives, the
// GUI thread keeps running while they do (it sees the row count grow step by step), the
// view ends on the last line, and a million-line log opens with every line. How long the
// GUI thread may stall is a latency goal, measured by tests/bench/desktop/log_view_bench.cpp
// (ctest -L bench), not asserted here.
#include "skip.h"
#include "log_load.h"
#include "logmodel.h"
#include "logview.h"
#include "ui_test_support.h"

#include "container/log_reader.h"

#include <QApplication>
#include <QFile>
#include <QListView>
#include <QScrollBar>
#include <QSet>
#include <QTimer>

using namespace berth::ui;
using berth::test::logLine;
using berth::test::logText;

class LogViewTest : public QObject {
    Q_OBJECT
private slots:
    void followsHundredThousandLines();
    void scrollingUpPausesFollow();
    void opensMillionLineLog();
};

void LogViewTest::followsHundredThousandLines() {
    berth::test::FollowedLog log;
    QVERIFY(log.exposed());
    LogView& view = log.view;
    constexpr int total = 100000;
    // The row counts the GUI thread saw while the lines came in: a view that read the log
    // in one blocking go would see one or two.
    QSet<int> countsSeen;
    QTimer probe;
    probe.setInterval(5);
    QObject::connect(&probe, &QTimer::timeout, [&] { countsSeen.insert(view.model()->rowCount()); });
    probe.start();
    bool all = false;
    {
        berth::test::ChattyWriter writer(log.path, total);  // 1,000 writes of 100 lines, 10 ms apart
        all = berth::test::waitUntil([&] { return writer.done() && view.model()->rowCount() == total; }, 120000);
    }
    probe.stop();
    QVERIFY2(all, qPrintable(QStringLiteral("rows: %1").arg(view.model()->rowCount())));
    QVERIFY2(countsSeen.size() >= 10, qPrintable(QStringLiteral("the GUI thread saw the row count at only %1 values "
                                                                "while 1,000 writes came in").arg(countsSeen.size())));
    QVERIFY(view.isFollowing());
    QCoreApplication::processEvents();
    const QScrollBar* sb = view.listView()->verticalScrollBar();
    QVERIFY(berth::test::waitUntil([&] { return sb->value() == sb->maximum(); }, 10000));
    const QModelIndex last = view.listView()->indexAt(QPoint(5, view.listView()->viewport()->height() - 5));
    QVERIFY(last.isValid());
    QVERIFY(last.row() >= total - 3);
    QCOMPARE(view.model()->index(total - 1).data().toString(), logText(total - 1));
}

void LogViewTest::scrollingUpPausesFollow() {
    berth::test::TempDir dir;
    const QString path = QString::fromStdString((dir.path() / "log.jsonl").string());
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        for (int i = 0; i < 2000; ++i) f.write(logLine(i));
    }
    LogView view;
    view.resize(800, 400);
    view.show();
    view.setLog(*berth::container::openJsonLogFile(dir.path()));
    QVERIFY(berth::test::waitUntil([&] { return view.model()->rowCount() == 2000; }));
    QScrollBar* sb = view.listView()->verticalScrollBar();
    QVERIFY(berth::test::waitUntil([&] { return sb->maximum() > 0 && sb->value() == sb->maximum(); }));
    sb->triggerAction(QAbstractSlider::SliderPageStepSub);  // the user scrolls up
    QVERIFY(berth::test::waitUntil([&] { return !view.isFollowing(); }));
    const int kept = sb->value();
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::Append));
        for (int i = 2000; i < 2500; ++i) f.write(logLine(i));
    }
    QVERIFY(berth::test::waitUntil([&] { return view.model()->rowCount() == 2500; }));
    QCoreApplication::processEvents();
    QCOMPARE(sb->value(), kept);  // new lines did not pull the view down
    sb->triggerAction(QAbstractSlider::SliderToMaximum);  // back to the end: follow again
    QVERIFY(berth::test::waitUntil([&] { return view.isFollowing(); }));
}

void LogViewTest::opensMillionLineLog() {
    berth::test::TempDir dir;
    const QString path = QString::fromStdString((dir.path() / "log.jsonl").string());
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QByteArray chunk;
        for (int i = 0; i < 1000000; ++i) {
            chunk += logLine(i);
            if (chunk.size() > (4 << 20)) {
                f.write(chunk);
                chunk.clear();
            }
        }
        f.write(chunk);
    }
    LogView view;
    view.resize(800, 400);
    view.show();
    view.setLog(*berth::container::openJsonLogFile(dir.path()));
    QVERIFY(berth::test::waitUntil([&] { return view.model()->rowCount() == 1000000; }, 180000));
    QCOMPARE(view.model()->index(999999).data().toString(), logText(999999));
    QCOMPARE(view.model()->index(0).data().toString(), logText(0));
}

BERTH_TEST_MAIN(LogViewTest)
#include "log_view_test.moc"
