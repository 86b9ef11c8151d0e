#pragma once
// StatsHistoryModel: the recent samples of one container (or of the host) as a table, one
// row per sample, oldest first, capped at a few minutes. Charts read it through
// TimeSeriesChart; rates (network, block I/O) are per second between samples.

#include "snapshots.h"

#include <QAbstractTableModel>

#include <deque>

namespace berth::ui {

class StatsHistoryModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Time, Cpu, MemoryMiB, MemoryLimitMiB, NetRxKiBs, NetTxKiBs, BlockReadKiBs, BlockWriteKiBs, Pids, ColumnCount };
    explicit StatsHistoryModel(int capacity = 300, QObject* parent = nullptr);

    void append(const StatsSample& sample);
    void clear();
    int capacity() const { return m_capacity; }

    int rowCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : int(m_rows.size()); }
    int columnCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : ColumnCount; }
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation o, int role = Qt::DisplayRole) const override;
    double value(int row, int column) const { return m_rows[size_t(row)].v[column]; }

private:
    struct Row {
        double v[ColumnCount];
    };
    std::deque<Row> m_rows;
    int m_capacity;
    StatsSample m_last;
    bool m_hasLast = false;
};

} // namespace berth::ui
