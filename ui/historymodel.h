#pragma once
// HistoryModel: an image's history, newest first like `docker history` (created,
// created by, comment; empty-layer steps greyed).

#include "snapshots.h"

#include <QAbstractTableModel>

namespace berth::ui {

class HistoryModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Created, CreatedBy, Comment, ColumnCount };
    using QAbstractTableModel::QAbstractTableModel;

    void setHistory(QList<HistoryRow> bottomFirst);
    int rowCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : int(m_rows.size()); }
    int columnCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : ColumnCount; }
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation o, int role = Qt::DisplayRole) const override;

private:
    QList<HistoryRow> m_rows;
};

} // namespace berth::ui
