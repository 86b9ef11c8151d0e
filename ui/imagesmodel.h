#pragma once
// ImagesModel: the store's images, one row per name (repository, tag, id, created, size).

#include "snapshots.h"
#include "snapshottablemodel.h"

namespace berth::ui {

class ImagesModel : public SnapshotTableModel<ImageRow> {
    Q_OBJECT
public:
    enum Column { Repository, Tag, Id, Created, Size, ColumnCount };
    enum Role { IdRole = Qt::UserRole + 1, ReferenceRole, SortRole };
    using SnapshotTableModel::SnapshotTableModel;

    int columnCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : ColumnCount; }
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation o, int role = Qt::DisplayRole) const override;

protected:
    QString keyOf(const ImageRow& r) const override { return r.id + QLatin1Char('|') + r.repository + QLatin1Char(':') + r.tag; }
    bool sameRow(const ImageRow& a, const ImageRow& b) const override {
        return a.size == b.size && a.created == b.created && a.layerCount == b.layerCount;
    }
};

} // namespace berth::ui
