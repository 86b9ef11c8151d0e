#include "containersmodel.h"

#include "format.h"

#include <QColor>
#include <QIcon>
#include <QLocale>

namespace berth::ui {

QString stateName(ContainerState s) {
    switch (s) {
    case ContainerState::Created: return ContainersModel::tr("Created");
    case ContainerState::Running: return ContainersModel::tr("Running");
    case ContainerState::Paused: return ContainersModel::tr("Paused");
    case ContainerState::Restarting: return ContainersModel::tr("Restarting");
    case ContainerState::Exited: return ContainersModel::tr("Exited");
    case ContainerState::Dead: return ContainersModel::tr("Dead");
    case ContainerState::Unknown: break;
    }
    return ContainersModel::tr("Unknown");
}

ContainersModel::ContainersModel(QObject* parent) : SnapshotTableModel(parent) {}

QVariant ContainersModel::data(const QModelIndex& index, int role) const {
    const ContainerRow* r = rowAt(index.row());
    if (!r || index.column() < 0 || index.column() >= ColumnCount) return {};
    const bool live = r->state == ContainerState::Running || r->state == ContainerState::Paused;
    const StatsSample* st = live ? statsOf(r->id) : nullptr;
    // A paused container uses no CPU: no figure rather than the last one it had.
    const StatsSample* cpu = r->state == ContainerState::Running ? st : nullptr;
    switch (role) {
    case IdRole: return r->id;
    case StateRole: return int(r->state);
    case MemoryFractionRole: {
        if (!st) return {};
        const quint64 limit = st->memoryLimit ? st->memoryLimit : m_hostMemory;
        return limit ? qBound(0.0, double(st->memoryUsage) / double(limit), 1.0) : 0.0;
    }
    case SortRole:
        switch (index.column()) {
        case Cpu: return cpu ? cpu->cpuPercent : -1.0;
        case Memory: return st ? double(st->memoryUsage) : -1.0;
        case Uptime: return live && r->startedAt.isValid() ? r->startedAt.secsTo(QDateTime::currentDateTimeUtc()) : -1;
        default: return data(index, Qt::DisplayRole);
        }
    case Qt::DisplayRole:
        switch (index.column()) {
        case Name: return r->name;
        case Image: return r->image;
        case State:
            if (const QString p = m_pending.value(r->id); !p.isEmpty()) return p;
            if (r->state == ContainerState::Exited && r->oomKilled) return tr("Exited (%1), out of memory").arg(r->exitCode);
            if (r->state == ContainerState::Exited && r->stopRequested) return tr("Stopped");
            if (r->state == ContainerState::Exited) return tr("Exited (%1)").arg(r->exitCode);
            return stateName(r->state);
        case Cpu: return cpu ? QStringLiteral("%1 %").arg(QLocale().toString(cpu->cpuPercent, 'f', 1)) : QString();
        case Memory:
            if (!st) return QString();
            return st->memoryLimit ? tr("%1 / %2").arg(format::bytes(st->memoryUsage), format::bytes(st->memoryLimit))
                                   : format::bytes(st->memoryUsage);
        case Ports: return r->ports.join(QStringLiteral(", "));
        case Uptime:
            if (live && r->startedAt.isValid())
                return format::duration(r->startedAt.secsTo(QDateTime::currentDateTimeUtc()));
            if (r->finishedAt.isValid()) return format::ago(r->finishedAt);
            return QString();
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == State && r->state == ContainerState::Exited && r->oomKilled) return oomText(*r);
        if (index.column() == State && r->state == ContainerState::Exited && r->stopRequested)
            return tr("Exited (%1) after a stop that was asked for").arg(r->exitCode);
        if (index.column() == Name) return tr("%1\nID: %2\nCommand: %3").arg(r->name, r->id, r->command);
        break;
    case Qt::DecorationRole:
        if (index.column() == Name) return QIcon(QStringLiteral(":/icons/container.svg"));
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == Cpu) return int(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case Qt::AccessibleTextRole:
        if (index.column() == State) return data(index, Qt::DisplayRole);
        break;
    }
    return {};
}

QVariant ContainersModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Name: return tr("Name");
    case Image: return tr("Image");
    case State: return tr("State");
    case Cpu: return tr("CPU");
    case Memory: return tr("Memory");
    case Ports: return tr("Ports");
    case Uptime: return tr("Uptime");
    }
    return {};
}

void ContainersModel::applyStats(const QList<StatsSample>& samples, quint64 hostMemory) {
    m_hostMemory = hostMemory;
    m_stats.clear();
    for (const StatsSample& s : samples) m_stats.insert(s.id, s);
    if (m_rows.isEmpty()) return;
    // One repaint of the live columns per sample, however many containers run.
    emit dataChanged(index(0, Cpu), index(int(m_rows.size()) - 1, Uptime));
}

QString ContainersModel::oomText(const ContainerRow& r) {
    if (!r.oomKilled || r.state != ContainerState::Exited) return QString();
    return r.memoryLimit ? tr("Exited (%1), out of memory at %2").arg(r.exitCode).arg(format::bytes(r.memoryLimit))
                         : tr("Exited (%1), out of memory").arg(r.exitCode);
}

void ContainersModel::setPending(const QString& id, const QString& text) {
    if (text.isEmpty() ? !m_pending.remove(id) : m_pending.value(id) == text) return;
    if (!text.isEmpty()) m_pending.insert(id, text);
    const int row = findRow(id);
    if (row >= 0) emit dataChanged(index(row, State), index(row, State));
}

int ContainersModel::runningCount() const {
    int n = 0;
    for (const auto& r : m_rows) n += r.state == ContainerState::Running ? 1 : 0;
    return n;
}

const StatsSample* ContainersModel::statsOf(const QString& id) const {
    auto it = m_stats.constFind(id);
    return it == m_stats.constEnd() ? nullptr : &*it;
}

} // namespace berth::ui
