#include "firstpaintreporter.h"

#include <QCoreApplication>
#include <QEvent>
#include <QFile>
#include <QTimer>
#include <QWidget>

#include <cstdio>
#include <ctime>
#include <unistd.h>

namespace berth::ui {

FirstPaintReporter::FirstPaintReporter(QElapsedTimer sinceMain, bool quit, QObject* parent)
    : QObject(parent), m_sinceMain(sinceMain), m_quit(quit) {}

void FirstPaintReporter::installIfRequested(QWidget* window, const QElapsedTimer& sinceMain) {
    const QByteArray mode = qgetenv("BERTH_DESKTOP_REPORT_FIRST_PAINT");
    if (mode.isEmpty() || mode == "0") return;
    window->installEventFilter(new FirstPaintReporter(sinceMain, mode == "exit", window));
}

namespace {

// The fields of /proc/self/stat after the ")" that closes the process name: [0] is field 3
// (state), so field N is at [N - 3]. Empty when it cannot be read.
QList<QByteArray> statFields() {
    QFile f(QStringLiteral("/proc/self/stat"));
    if (!f.open(QIODevice::ReadOnly)) return {};
    const QByteArray stat = f.readAll();
    const int close = stat.lastIndexOf(')');
    if (close < 0) return {};
    return stat.mid(close + 2).split(' ');
}

} // namespace

double FirstPaintReporter::secondsSinceProcessStart() {
    const QList<QByteArray> fields = statFields();
    // Field 22: starttime, in clock ticks since boot.
    if (fields.size() < 20) return -1;
    const double started = fields[19].toDouble() / double(sysconf(_SC_CLK_TCK));
    timespec now{};
    clock_gettime(CLOCK_BOOTTIME, &now);
    return double(now.tv_sec) + double(now.tv_nsec) / 1e9 - started;
}

double FirstPaintReporter::cpuSeconds() {
    const QList<QByteArray> fields = statFields();
    if (fields.size() < 13) return -1;
    // utime and stime (fields 14 and 15), every thread of the process.
    return (fields[11].toDouble() + fields[12].toDouble()) / double(sysconf(_SC_CLK_TCK));
}

bool FirstPaintReporter::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() == QEvent::Paint) {
        // CPU time too: on a loaded machine the wall-clock figure is mostly waiting for a CPU.
        std::fprintf(stderr, "berth-desktop: first paint %.3f s after process start, %.3f s after main(), %.3f s CPU\n",
                     secondsSinceProcessStart(), double(m_sinceMain.nsecsElapsed()) / 1e9, cpuSeconds());
        std::fflush(stderr);
        watched->removeEventFilter(this);
        if (m_quit) QTimer::singleShot(0, qApp, &QCoreApplication::quit);
        deleteLater();
    }
    return QObject::eventFilter(watched, event);
}

} // namespace berth::ui
