#pragma once
// FirstPaintReporter: for the start-up benchmark (BERTH_DESKTOP_REPORT_FIRST_PAINT=1). On the
// first paint event of the watched window it prints, on stderr, how long after the process
// started (from /proc/self/stat) and after main() began that paint came; with the value
// "exit" it then quits the application. Costs nothing when the variable is unset: it is not
// installed at all.

#include <QElapsedTimer>
#include <QObject>

class QWidget;

namespace berth::ui {

class FirstPaintReporter : public QObject {
    Q_OBJECT
public:
    // Installs a reporter on `window` when the environment asks for one.
    static void installIfRequested(QWidget* window, const QElapsedTimer& sinceMain);
    // Seconds since this process was started by the kernel (10 ms resolution).
    static double secondsSinceProcessStart();
    // CPU time (user + system) this process has used so far.
    static double cpuSeconds();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    FirstPaintReporter(QElapsedTimer sinceMain, bool quit, QObject* parent);
    QElapsedTimer m_sinceMain;
    bool m_quit;
};

} // namespace berth::ui
