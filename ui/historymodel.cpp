#include "historymodel.h"

#include "format.h"

#include <QGuiApplication>
#include <QPalette>

#include <algorithm>

namespace berth::ui {

void HistoryModel::setHistory(QList<HistoryRow> bottomFirst) {
    beginResetModel();
    m_rows = std::move(bottomFirst);
    std::reverse(m_rows.begin(), m_rows.end());
    endResetModel();
}

QVariant HistoryModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= m_rows.size() || index.column() >= ColumnCount) return {};
    const HistoryRow& h = m_rows[index.row()];
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Created: return format::ago(h.created);
        case CreatedBy: return h.createdBy.simplified();
        case Comment: return h.comment;
        }
    }
    if (role == Qt::ToolTipRole && index.column() == CreatedBy) return h.createdBy;
    if (role == Qt::ForegroundRole && h.emptyLayer)
        return QGuiApplication::palette().brush(QPalette::Disabled, QPalette::Text);
    return {};
}

QVariant HistoryModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Created: return tr("Created");
    case CreatedBy: return tr("Created by");
    case Comment: return tr("Comment");
    }
    return {};
}

} // namespace berth::ui
