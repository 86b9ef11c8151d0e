#include "statshistorymodel.h"

namespace berth::ui {

StatsHistoryModel::StatsHistoryModel(int capacity, QObject* parent)
    : QAbstractTableModel(parent), m_capacity(qMax(2, capacity)) {}

void StatsHistoryModel::clear() {
    beginResetModel();
    m_rows.clear();
    m_hasLast = false;
    endResetModel();
}

void StatsHistoryModel::append(const StatsSample& s) {
    constexpr double MiB = 1024.0 * 1024.0;
    Row r{};
    r.v[Time] = double(s.timeMs);
    r.v[Cpu] = s.cpuPercent;
    r.v[MemoryMiB] = double(s.memoryUsage) / MiB;
    r.v[MemoryLimitMiB] = double(s.memoryLimit) / MiB;
    r.v[Pids] = double(s.pids);
    if (m_hasLast && s.timeMs > m_last.timeMs) {
        const double secs = double(s.timeMs - m_last.timeMs) / 1000.0;
        auto rate = [secs](quint64 now, quint64 before) {
            return now >= before ? double(now - before) / 1024.0 / secs : 0.0;
        };
        r.v[NetRxKiBs] = rate(s.netRx, m_last.netRx);
        r.v[NetTxKiBs] = rate(s.netTx, m_last.netTx);
        r.v[BlockReadKiBs] = rate(s.blockRead, m_last.blockRead);
        r.v[BlockWriteKiBs] = rate(s.blockWrite, m_last.blockWrite);
    }
    m_last = s;
    m_hasLast = true;
    if (int(m_rows.size()) >= m_capacity) {
        beginRemoveRows({}, 0, 0);
        m_rows.pop_front();
        endRemoveRows();
    }
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
    m_rows.push_back(r);
    endInsertRows();
}

QVariant StatsHistoryModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount) return {};
    if (role == Qt::DisplayRole || role == Qt::EditRole) return m_rows[size_t(index.row())].v[index.column()];
    return {};
}

QVariant StatsHistoryModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Time: return tr("Time");
    case Cpu: return tr("CPU %");
    case MemoryMiB: return tr("Memory (MiB)");
    case MemoryLimitMiB: return tr("Memory limit (MiB)");
    case NetRxKiBs: return tr("Received (KiB/s)");
    case NetTxKiBs: return tr("Sent (KiB/s)");
    case BlockReadKiBs: return tr("Read (KiB/s)");
    case BlockWriteKiBs: return tr("Written (KiB/s)");
    case Pids: return tr("Processes");
    }
    return {};
}

} // namespace berth::ui
