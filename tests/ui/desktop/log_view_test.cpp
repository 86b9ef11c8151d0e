// The log view under load: 100,000 lines appended while it follows; the GUI thread must
// never block longer than 50 ms (measured as the longest gap between 5 ms timer ticks),
// the view must end on the last line, and a million-line log must open with every line.
#include "skip.h"
#include "logmodel.h"
#include "logview.h"
#include "ui_test_support.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QListView>
#include <QScrollBar>
#include <QTimer>

#include <atomic>
#include <thread>

using namespace berth::ui;

class LogViewTest : public QObject {
    Q_OBJECT
private slots:
    void followsHundredThousandLinesWithoutBlocking();
    void scrollingUpPausesFollow();
    void opensMillionLineLog();
};

static QString loadAverage() {
    QFile f(QStringLiteral("/proc/loadavg"));
    return f.open(QIODevice::ReadOnly) ? QString::fromLatin1(f.readAll()).section(QLatin1Char(' '), 0, 2) : QString();
}

static QByteArray logLine(int i) {
    return QStringLiteral(R"({"log":"line %1 \u001b[32mok\u001b[0m some payload text to make it realistic\n","stream":"%2","time":"2026-11-26T21:00:00.%3Z"})" "\n")
        .arg(i)
        .arg(i % 7 == 0 ? QStringLiteral("stderr") : QStringLiteral("stdout"))
        .arg(i % 1000, 3, 10, QLatin1Char('0'))
        .toUtf8();
}

void LogViewTest::followsHundredThousandLinesWithoutBlocking() {
    berth::test::TempDir dir;
    const QString path = QString::fromStdString((dir.path() / "log.jsonl").string());
    QFile(path).open(QIODevice::WriteOnly);
    LogView view;
    view.resize(900, 600);
    view.show();
    view.setLogFile(path);
    QVERIFY(QTest::qWaitForWindowExposed(&view));

    constexpr int total = 100000;
    std::atomic_bool done{false};
    // 10,000 lines a second, in 100-line writes: a chatty container.
    std::thread writer([&] {
        QFile f(path);
        if (!f.open(QIODevice::Append)) return;
        for (int i = 0; i < total; i += 100) {
            QByteArray chunk;
            for (int j = i; j < i + 100; ++j) chunk += logLine(j);
            f.write(chunk);
            f.flush();
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        done = true;
    });

    QElapsedTimer sinceTick;
    qint64 worstGap = 0;
    // Diagnostics only: how much of the worst gap the GUI thread spent waiting for a CPU
    // (the kernel's run-queue wait, /proc/thread-self/schedstat), i.e. not running our code.
    qint64 worstGapQueuedMs = 0;
    auto runQueueNs = [] {
        QFile f(QStringLiteral("/proc/thread-self/schedstat"));
        if (!f.open(QIODevice::ReadOnly)) return qint64(0);
        const QList<QByteArray> parts = f.readAll().split(' ');
        return parts.size() >= 2 ? parts[1].toLongLong() : qint64(0);
    };
    qint64 lastQueued = runQueueNs();
    QTimer probe;
    probe.setInterval(5);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 gap = sinceTick.restart();
        const qint64 queued = runQueueNs();
        if (gap > worstGap) {
            worstGap = gap;
            worstGapQueuedMs = (queued - lastQueued) / 1000000;
        }
        lastQueued = queued;
    });
    sinceTick.start();
    probe.start();
    const bool all = berth::test::waitUntil([&] { return done && view.model()->rowCount() == total; }, 120000);
    probe.stop();
    writer.join();
    QVERIFY2(all, qPrintable(QStringLiteral("rows: %1").arg(view.model()->rowCount())));
    qInfo("worst gap between 5 ms ticks: %lld ms, of which %lld ms waiting for a CPU (load %s)", worstGap, worstGapQueuedMs,
          qPrintable(loadAverage()));
    QVERIFY2(worstGap < 50, qPrintable(QStringLiteral("the GUI thread blocked for %1 ms").arg(worstGap)));
    QVERIFY(view.isFollowing());
    QCoreApplication::processEvents();
    const QScrollBar* sb = view.listView()->verticalScrollBar();
    QVERIFY(berth::test::waitUntil([&] { return sb->value() == sb->maximum(); }, 2000));
    const QModelIndex last = view.listView()->indexAt(QPoint(5, view.listView()->viewport()->height() - 5));
    QVERIFY(last.isValid());
    QVERIFY(last.row() >= total - 3);
    QCOMPARE(view.model()->index(total - 1).data().toString(), QStringLiteral("line %1 ok some payload text to make it realistic").arg(total - 1));
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
    view.setLogFile(path);
    QVERIFY(berth::test::waitUntil([&] { return view.model()->rowCount() == 2000; }));
    QScrollBar* sb = view.listView()->verticalScrollBar();
    QVERIFY(berth::test::waitUntil([&] { return sb->maximum() > 0 && sb->value() == sb->maximum(); }, 3000));
    sb->triggerAction(QAbstractSlider::SliderPageStepSub);  // the user scrolls up
    QVERIFY(berth::test::waitUntil([&] { return !view.isFollowing(); }, 2000));
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
    QVERIFY(berth::test::waitUntil([&] { return view.isFollowing(); }, 2000));
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
    view.setLogFile(path);
    QVERIFY(berth::test::waitUntil([&] { return view.model()->rowCount() == 1000000; }, 60000));
    QCOMPARE(view.model()->index(999999).data().toString(), QStringLiteral("line 999999 ok some payload text to make it realistic"));
    QCOMPARE(view.model()->index(0).data().toString(), QStringLiteral("line 0 ok some payload text to make it realistic"));
}

BERTH_TEST_MAIN(LogViewTest)
#include "log_view_test.moc"
