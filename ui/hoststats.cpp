#include "hoststats.h"

#include <QDateTime>
#include <QFile>

namespace berth::ui {

HostStats::HostStats(QString procRoot) : m_proc(std::move(procRoot)) {}

HostSample HostStats::sample() {
    HostSample s;
    s.timeMs = QDateTime::currentMSecsSinceEpoch();
    QFile stat(m_proc + QStringLiteral("/stat"));
    if (stat.open(QIODevice::ReadOnly)) {
        const QList<QByteArray> lines = stat.readAll().split('\n');
        int cpus = 0;
        for (const QByteArray& line : lines) {
            if (line.startsWith("cpu ")) {
                const auto f = line.simplified().split(' ');
                quint64 total = 0, idle = 0;
                for (int i = 1; i < f.size(); ++i) {
                    const quint64 v = f[i].toULongLong();
                    if (i <= 8) total += v;  // user..steal; guest is already in user
                    if (i == 4 || i == 5) idle += v;  // idle + iowait
                }
                const quint64 busy = total - idle;
                if (m_prevTotal && total > m_prevTotal)
                    s.cpuPercent = 100.0 * double(busy - m_prevBusy) / double(total - m_prevTotal);
                m_prevBusy = busy;
                m_prevTotal = total;
            } else if (line.startsWith("cpu")) {
                ++cpus;
            }
        }
        s.cpuCount = qMax(1, cpus);
    }
    QFile mem(m_proc + QStringLiteral("/meminfo"));
    if (mem.open(QIODevice::ReadOnly)) {
        quint64 avail = 0;
        for (const QByteArray& line : mem.readAll().split('\n')) {
            const auto f = line.simplified().split(' ');
            if (f.size() < 2) continue;
            if (f[0] == "MemTotal:") s.memTotal = f[1].toULongLong() * 1024;
            if (f[0] == "MemAvailable:") avail = f[1].toULongLong() * 1024;
        }
        s.memUsed = s.memTotal > avail ? s.memTotal - avail : 0;
    }
    return s;
}

} // namespace berth::ui
