#include "dashboardpage.h"

#include "format.h"
#include "statshistorymodel.h"
#include "timeserieschart.h"

#include <QFrame>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace berth::ui {

namespace {
QFrame* card(QWidget* parent, const QString& caption, QLabel*& value) {
    auto* f = new QFrame(parent);
    f->setFrameShape(QFrame::StyledPanel);
    f->setObjectName(QStringLiteral("card"));
    auto* l = new QVBoxLayout(f);
    l->setContentsMargins(14, 10, 14, 10);
    auto* c = new QLabel(caption, f);
    c->setObjectName(QStringLiteral("pageSubtitle"));
    value = new QLabel(QStringLiteral("–"), f);
    QFont font = value->font();
    font.setPointSizeF(font.pointSizeF() * 1.7);
    font.setWeight(QFont::DemiBold);
    value->setFont(font);
    l->addWidget(c);
    l->addWidget(value);
    return f;
}
} // namespace

DashboardPage::DashboardPage(QWidget* parent)
    : QWidget(parent), m_host(new StatsHistoryModel(300, this)), m_top(new QStandardItemModel(this)) {
    setObjectName(QStringLiteral("dashboardPage"));
    auto* title = new QLabel(tr("Dashboard"), this);
    title->setObjectName(QStringLiteral("pageTitle"));
    auto* subtitle = new QLabel(tr("Live CPU and memory of the running containers and of this machine"), this);
    subtitle->setObjectName(QStringLiteral("pageSubtitle"));

    auto* cards = new QHBoxLayout;
    cards->addWidget(card(this, tr("Running containers"), m_running));
    m_running->setObjectName(QStringLiteral("runningCount"));
    cards->addWidget(card(this, tr("Host CPU"), m_hostCpu));
    cards->addWidget(card(this, tr("Host memory"), m_hostMem));

    m_cpu = new TimeSeriesChart(tr("Containers: CPU"), tr("% of one core"), this);
    m_memory = new TimeSeriesChart(tr("Containers: memory"), tr("MiB"), this);
    m_hostChart = new TimeSeriesChart(tr("Host"), tr("%"), this);
    m_hostChart->addSeries(m_host, StatsHistoryModel::Time, StatsHistoryModel::Cpu, tr("CPU"), QColor(0x1f, 0x6f, 0xeb));
    m_hostChart->addSeries(m_host, StatsHistoryModel::Time, StatsHistoryModel::Pids, tr("Memory"), QColor(0x8e, 0x6c, 0xf0));
    m_hostChart->setFixedMaximum(100);

    m_top->setHorizontalHeaderLabels({tr("Container"), tr("CPU"), tr("Memory"), tr("Processes")});
    m_topView = new QTableView(this);
    m_topView->setModel(m_top);
    m_topView->setAccessibleName(tr("Top consumers"));
    m_topView->verticalHeader()->hide();
    m_topView->horizontalHeader()->setStretchLastSection(true);
    m_topView->setShowGrid(false);
    m_topView->setAlternatingRowColors(true);
    m_topView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_topView->setColumnWidth(0, 180);
    auto* topBox = new QWidget(this);
    auto* topLayout = new QVBoxLayout(topBox);
    topLayout->setContentsMargins(0, 0, 0, 0);
    auto* topTitle = new QLabel(tr("Top consumers"), topBox);
    topTitle->setObjectName(QStringLiteral("sectionTitle"));
    topLayout->addWidget(topTitle);
    topLayout->addWidget(m_topView);

    auto* grid = new QGridLayout;
    grid->setSpacing(10);
    grid->addWidget(m_cpu, 0, 0);
    grid->addWidget(m_memory, 0, 1);
    grid->addWidget(m_hostChart, 1, 0);
    grid->addWidget(topBox, 1, 1);
    grid->setRowStretch(0, 3);
    grid->setRowStretch(1, 2);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(18, 14, 18, 10);
    layout->setSpacing(10);
    auto* titles = new QVBoxLayout;
    titles->setSpacing(0);
    titles->addWidget(title);
    titles->addWidget(subtitle);
    layout->addLayout(titles);
    layout->addLayout(cards);
    layout->addLayout(grid, 1);
}

void DashboardPage::setRunningCount(int running) { m_running->setText(QLocale().toString(running)); }

QColor DashboardPage::colorFor(int i) const {
    static const QColor palette[] = {QColor(0x1f, 0x6f, 0xeb), QColor(0x2e, 0xa0, 0x43), QColor(0xe3, 0x62, 0x09),
                                     QColor(0x8e, 0x6c, 0xf0), QColor(0xd7, 0x3a, 0x49), QColor(0x16, 0xa2, 0xb8),
                                     QColor(0xd2, 0x99, 0x22), QColor(0xbf, 0x39, 0x89)};
    return palette[i % 8];
}

void DashboardPage::applyStats(const QList<StatsSample>& samples, const HostSample& host) {
    // The host chart shows memory as a percentage too, in the Pids column slot, so both
    // lines share one 0-100 axis.
    StatsSample h;
    h.timeMs = host.timeMs;
    h.cpuPercent = host.cpuPercent;
    h.pids = host.memTotal ? quint64(100.0 * double(host.memUsed) / double(host.memTotal)) : 0;
    m_host->append(h);
    m_hostCpu->setText(QStringLiteral("%1 %").arg(host.cpuPercent, 0, 'f', 1));
    m_hostMem->setText(tr("%1 of %2").arg(format::bytes(host.memUsed), format::bytes(host.memTotal)));

    QSet<QString> seen;
    for (const StatsSample& s : samples) {
        seen.insert(s.id);
        StatsHistoryModel* m = m_containers.value(s.id);
        if (!m) {
            m = new StatsHistoryModel(300, this);
            m_containers.insert(s.id, m);
            const QColor c = colorFor(m_nextColor++);
            m_cpu->addSeries(m, StatsHistoryModel::Time, StatsHistoryModel::Cpu, s.name, c);
            m_memory->addSeries(m, StatsHistoryModel::Time, StatsHistoryModel::MemoryMiB, s.name, c);
        }
        m->append(s);
    }
    for (auto it = m_containers.begin(); it != m_containers.end();) {
        if (!seen.contains(it.key())) {
            m_cpu->removeSeriesOf(it.value());
            m_memory->removeSeriesOf(it.value());
            delete it.value();
            it = m_containers.erase(it);
        } else {
            ++it;
        }
    }
    QList<StatsSample> sorted = samples;
    std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.cpuPercent > b.cpuPercent; });
    m_top->setRowCount(0);
    for (int i = 0; i < qMin(10, int(sorted.size())); ++i) {
        const StatsSample& s = sorted[i];
        QList<QStandardItem*> row{new QStandardItem(s.name), new QStandardItem(QStringLiteral("%1 %").arg(s.cpuPercent, 0, 'f', 1)),
                                  new QStandardItem(format::bytes(s.memoryUsage)), new QStandardItem(QString::number(s.pids))};
        m_top->appendRow(row);
    }
}

} // namespace berth::ui
