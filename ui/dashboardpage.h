#pragma once
// DashboardPage: every running container's CPU and memory over time, the host's totals
// (from /proc), and the top consumers, all fed by the one stats sampler.

#include "snapshots.h"

#include <QHash>
#include <QWidget>

class QLabel;
class QStandardItemModel;
class QTableView;

namespace berth::ui {

class StatsHistoryModel;
class TimeSeriesChart;

class DashboardPage : public QWidget {
    Q_OBJECT
public:
    explicit DashboardPage(QWidget* parent = nullptr);

    void applyStats(const QList<StatsSample>& samples, const HostSample& host);
    // The running count the status bar shows (a paused container is not running).
    void setRunningCount(int running);
    TimeSeriesChart* cpuChart() const { return m_cpu; }
    TimeSeriesChart* memoryChart() const { return m_memory; }
    QStandardItemModel* topModel() const { return m_top; }

private:
    QColor colorFor(int i) const;

    TimeSeriesChart* m_hostChart;
    TimeSeriesChart* m_cpu;
    TimeSeriesChart* m_memory;
    StatsHistoryModel* m_host;
    QHash<QString, StatsHistoryModel*> m_containers;
    QStandardItemModel* m_top;
    QTableView* m_topView;
    QLabel* m_hostCpu;
    QLabel* m_hostMem;
    QLabel* m_running;
    int m_nextColor = 0;
};

} // namespace berth::ui
