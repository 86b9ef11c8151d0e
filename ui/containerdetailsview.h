#pragma once
// ContainerDetailsView: the lower half of the Containers page for one container: Logs
// (virtual, following), Stats (charts over the last minutes), Inspect (JSON tree) and
// Processes (top) and Terminal (a shell in it, TerminalTab).

#include "snapshots.h"

#include <QHash>
#include <QSet>
#include <QTabWidget>

class QStandardItemModel;
class QTreeView;
class QTableView;
class QLabel;

namespace berth::ui {

class EngineClient;
class LogView;
class StatsHistoryModel;
class TerminalTab;
class TimeSeriesChart;

class ContainerDetailsView : public QTabWidget {
    Q_OBJECT
public:
    ContainerDetailsView(EngineClient* client, QWidget* parent = nullptr);

    void showContainer(const QString& id);
    QString currentContainer() const { return m_id; }
    // Every running container's samples go to its own history (kept while the window is
    // open); the charts show the selected one's.
    void addSample(const StatsSample& s);
    // Drops the history of containers no longer listed.
    void keepHistoryOf(const QSet<QString>& ids);
    LogView* logView() const { return m_log; }
    TimeSeriesChart* cpuChart() const { return m_cpu; }
    TimeSeriesChart* memoryChart() const { return m_memory; }
    StatsHistoryModel* statsModel() const { return m_stats; }
    TerminalTab* terminal() const { return m_terminal; }

private:
    void loadInspect();
    void loadProcesses();
    QWidget* buildStats();
    void bindCharts(StatsHistoryModel* stats);
    StatsHistoryModel* historyOf(const QString& id);

    EngineClient* m_client;
    QString m_id;
    LogView* m_log;
    StatsHistoryModel* m_none;   // what the charts show with no container selected
    StatsHistoryModel* m_stats;  // the selected container's history, or m_none
    QHash<QString, StatsHistoryModel*> m_history;
    TimeSeriesChart* m_cpu;
    TimeSeriesChart* m_memory;
    TimeSeriesChart* m_net;
    TimeSeriesChart* m_block;
    TimeSeriesChart* m_pids;
    QStandardItemModel* m_inspect;
    QTreeView* m_inspectView;
    QStandardItemModel* m_processes;
    QTableView* m_processesView;
    TerminalTab* m_terminal;
};

} // namespace berth::ui
