#pragma once
// SnapshotTableModel: a table over a list of value snapshots, updated by swapping in a new
// list. Rows are matched by key so selection survives a refresh: vanished rows are removed,
// new ones appended, changed ones repainted (one dataChanged per row when few changed, one
// for the whole table when most did).

#include <QAbstractTableModel>
#include <QList>
#include <QSet>

namespace berth::ui {

template <class Row>
class SnapshotTableModel : public QAbstractTableModel {
public:
    using QAbstractTableModel::QAbstractTableModel;

    int rowCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : int(m_rows.size()); }
    const QList<Row>& rows() const { return m_rows; }
    const Row* rowAt(int r) const { return r >= 0 && r < m_rows.size() ? &m_rows[r] : nullptr; }
    int findRow(const QString& key) const {
        for (int i = 0; i < m_rows.size(); ++i)
            if (keyOf(m_rows[i]) == key) return i;
        return -1;
    }

    void setRows(QList<Row> next) {
        QSet<QString> nextKeys;
        for (const Row& r : next) nextKeys.insert(keyOf(r));
        for (int i = int(m_rows.size()) - 1; i >= 0; --i) {
            if (!nextKeys.contains(keyOf(m_rows[i]))) {
                beginRemoveRows({}, i, i);
                m_rows.removeAt(i);
                endRemoveRows();
            }
        }
        QList<int> changed;
        QList<Row> added;
        for (Row& r : next) {
            const int at = findRow(keyOf(r));
            if (at < 0) {
                added.append(std::move(r));
            } else if (!sameRow(m_rows[at], r)) {
                m_rows[at] = std::move(r);
                changed.append(at);
            }
        }
        const int cols = columnCount();
        if (!changed.isEmpty() && cols > 0) {
            if (changed.size() * 2 > m_rows.size()) {
                emit dataChanged(index(0, 0), index(int(m_rows.size()) - 1, cols - 1));
            } else {
                for (int r : changed) emit dataChanged(index(r, 0), index(r, cols - 1));
            }
        }
        if (!added.isEmpty()) {
            beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + added.size()) - 1);
            m_rows.append(added);
            endInsertRows();
        }
    }

protected:
    virtual QString keyOf(const Row& row) const = 0;
    virtual bool sameRow(const Row& a, const Row& b) const = 0;
    QList<Row> m_rows;
};

} // namespace berth::ui
