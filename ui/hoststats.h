#pragma once
// HostStats: the machine's CPU and memory totals from /proc/stat and /proc/meminfo, for the
// dashboard. Keeps the previous CPU counters so each sample is a rate since the last one.

#include "snapshots.h"

namespace berth::ui {

class HostStats {
public:
    explicit HostStats(QString procRoot = QStringLiteral("/proc"));
    HostSample sample();

private:
    QString m_proc;
    quint64 m_prevBusy = 0, m_prevTotal = 0;
};

} // namespace berth::ui
