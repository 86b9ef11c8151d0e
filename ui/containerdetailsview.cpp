#include "containerdetailsview.h"

#include "containerbackend.h"
#include "engineclient.h"
#include "jsontree.h"
#include "logview.h"
#include "statshistorymodel.h"
#include "terminaltab.h"
#include "timeserieschart.h"

#include <QGridLayout>
#include <QHeaderView>
#include <QScrollArea>
#include <QStandardItemModel>
#include <QTableView>
#include <QTreeView>

namespace berth::ui {

ContainerDetailsView::ContainerDetailsView(EngineClient* client, QWidget* parent)
    : QTabWidget(parent), m_client(client), m_log(new LogView(this)), m_none(new StatsHistoryModel(2, this)),
      m_inspect(new QStandardItemModel(this)), m_processes(new QStandardItemModel(this)) {
    addTab(m_log, QIcon(QStringLiteral(":/icons/follow.svg")), tr("Logs"));
    addTab(buildStats(), QIcon(QStringLiteral(":/icons/dashboard.svg")), tr("Stats"));
    m_inspectView = new QTreeView(this);
    m_inspectView->setModel(m_inspect);
    m_inspectView->setUniformRowHeights(true);
    m_inspectView->setAlternatingRowColors(true);
    m_inspectView->setAccessibleName(tr("Inspect"));
    addTab(m_inspectView, QIcon(QStringLiteral(":/icons/inspect.svg")), tr("Inspect"));
    m_processesView = new QTableView(this);
    m_processesView->setModel(m_processes);
    m_processesView->verticalHeader()->hide();
    m_processesView->horizontalHeader()->setStretchLastSection(true);
    m_processesView->setShowGrid(false);
    m_processesView->setAlternatingRowColors(true);
    m_processesView->setAccessibleName(tr("Processes"));
    addTab(m_processesView, QIcon(QStringLiteral(":/icons/containers.svg")), tr("Processes"));
    m_terminal = new TerminalTab(client, this);
    addTab(m_terminal, QIcon(QStringLiteral(":/icons/terminal.svg")), tr("Terminal"));
    connect(this, &QTabWidget::currentChanged, this, [this](int i) {
        if (widget(i) == m_inspectView) loadInspect();
        if (widget(i) == m_processesView) loadProcesses();
    });
}

QWidget* ContainerDetailsView::buildStats() {
    // The charts scroll inside the tab: their minimum heights must not hold the splitter
    // above (the container list gets most of a small window).
    auto* scroll = new QScrollArea(this);
    scroll->setObjectName(QStringLiteral("statsScroll"));
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto* w = new QWidget(scroll);
    auto* g = new QGridLayout(w);
    g->setContentsMargins(4, 4, 4, 4);
    g->setSpacing(6);
    m_cpu = new TimeSeriesChart(tr("CPU"), tr("%"), w);
    m_memory = new TimeSeriesChart(tr("Memory"), tr("MiB"), w);
    m_net = new TimeSeriesChart(tr("Network"), tr("KiB/s"), w);
    m_block = new TimeSeriesChart(tr("Block I/O"), tr("KiB/s"), w);
    m_pids = new TimeSeriesChart(tr("Processes"), QString(), w);
    bindCharts(m_none);
    g->addWidget(m_cpu, 0, 0);
    g->addWidget(m_memory, 0, 1);
    g->addWidget(m_net, 1, 0);
    g->addWidget(m_block, 1, 1);
    g->addWidget(m_pids, 2, 0, 1, 2);
    g->setRowStretch(0, 3);
    g->setRowStretch(1, 2);
    g->setRowStretch(2, 2);
    scroll->setWidget(w);
    return scroll;
}

void ContainerDetailsView::bindCharts(StatsHistoryModel* stats) {
    m_stats = stats;
    for (TimeSeriesChart* c : {m_cpu, m_memory, m_net, m_block, m_pids}) c->clearSeries();
    m_cpu->addSeries(stats, StatsHistoryModel::Time, StatsHistoryModel::Cpu, tr("CPU %"), QColor(0x1f, 0x6f, 0xeb));
    m_memory->addSeries(stats, StatsHistoryModel::Time, StatsHistoryModel::MemoryMiB, tr("Used"), QColor(0x8e, 0x6c, 0xf0));
    m_memory->addSeries(stats, StatsHistoryModel::Time, StatsHistoryModel::MemoryLimitMiB, tr("Limit"), QColor(0xd7, 0x3a, 0x49), true);
    m_net->addSeries(stats, StatsHistoryModel::Time, StatsHistoryModel::NetRxKiBs, tr("Received"), QColor(0x2e, 0xa0, 0x43));
    m_net->addSeries(stats, StatsHistoryModel::Time, StatsHistoryModel::NetTxKiBs, tr("Sent"), QColor(0x1f, 0x6f, 0xeb));
    m_block->addSeries(stats, StatsHistoryModel::Time, StatsHistoryModel::BlockReadKiBs, tr("Read"), QColor(0x16, 0xa2, 0xb8));
    m_block->addSeries(stats, StatsHistoryModel::Time, StatsHistoryModel::BlockWriteKiBs, tr("Written"), QColor(0xe3, 0x62, 0x09));
    m_pids->addSeries(stats, StatsHistoryModel::Time, StatsHistoryModel::Pids, tr("Processes"), QColor(0xd2, 0x99, 0x22));
}

StatsHistoryModel* ContainerDetailsView::historyOf(const QString& id) {
    StatsHistoryModel*& m = m_history[id];
    if (!m) m = new StatsHistoryModel(300, this);
    return m;
}

void ContainerDetailsView::keepHistoryOf(const QSet<QString>& ids) {
    for (auto it = m_history.begin(); it != m_history.end();) {
        if (ids.contains(it.key()) || it.key() == m_id) {
            ++it;
        } else {
            delete it.value();
            it = m_history.erase(it);
        }
    }
}

void ContainerDetailsView::showContainer(const QString& id) {
    if (id == m_id) return;
    m_id = id;
    // Each container keeps its recent samples while the window is open: selecting another
    // one and back shows the minutes already seen.
    bindCharts(id.isEmpty() ? m_none : historyOf(id));
    m_inspect->clear();
    m_processes->clear();
    m_log->setLog(nullptr);
    if (id.isEmpty()) return;
    // Opening the log resolves the container: a job, like every engine call.
    m_client->submit(
        QString(), QStringLiteral("container.log"), this,
        [id](Engine& e, std::stop_token, const ProgressFn&) { return e.containers().openLog(id.toStdString()); },
        [this, id](std::unique_ptr<LogFile> log) {
            if (id == m_id) m_log->setLog(std::shared_ptr<LogFile>(std::move(log)));
        },
        [](const Error&) {});  // removed meanwhile: nothing to show
    if (currentWidget() == m_inspectView) loadInspect();
    if (currentWidget() == m_processesView) loadProcesses();
}

void ContainerDetailsView::addSample(const StatsSample& s) { historyOf(s.id)->append(s); }

void ContainerDetailsView::loadInspect() {
    if (m_id.isEmpty()) return;
    const QString id = m_id;
    m_client->submit(
        tr("Inspecting container"), QStringLiteral("container.inspect"), this,
        [id](Engine& e, std::stop_token, const ProgressFn&) { return backend::inspect(e, id); },
        [this](QString json) {
            JsonTree::fill(m_inspect, json.toUtf8());
            m_inspectView->expandToDepth(0);
            m_inspectView->resizeColumnToContents(0);
        },
        [this](const Error& err) {
            m_inspect->clear();
            m_inspect->appendRow(new QStandardItem(tr("Could not inspect the container: %1").arg(QString::fromStdString(err.message()))));
        });
}

void ContainerDetailsView::loadProcesses() {
    if (m_id.isEmpty()) return;
    const QString id = m_id;
    m_client->submit(
        tr("Listing processes"), QStringLiteral("container.top"), this,
        [id](Engine& e, std::stop_token, const ProgressFn&) { return backend::top(e, id); },
        [this](ProcessTable t) {
            m_processes->clear();
            m_processes->setHorizontalHeaderLabels(t.titles);
            for (const QStringList& row : t.rows) {
                QList<QStandardItem*> items;
                for (const QString& c : row) {
                    auto* it = new QStandardItem(c);
                    it->setEditable(false);
                    items.append(it);
                }
                m_processes->appendRow(items);
            }
            m_processesView->resizeColumnsToContents();
        },
        [this](const Error& err) {
            m_processes->clear();
            m_processes->appendRow(new QStandardItem(tr("No processes to show: %1").arg(QString::fromStdString(err.message()))));
        });
}

} // namespace berth::ui
