#pragma once
// LayersModel: an image's layers, bottom first (index, size drawn as a bar by the view's
// delegate, digest, the command that made it). SizeFractionRole gives size / largest.

#include "snapshots.h"

#include <QAbstractTableModel>

namespace berth::ui {

class LayersModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Index, Size, Digest, CreatedBy, ColumnCount };
    enum Role { SizeFractionRole = Qt::UserRole + 1 };
    using QAbstractTableModel::QAbstractTableModel;

    void setLayers(QList<LayerRow> layers);
    const QList<LayerRow>& layers() const { return m_layers; }
    int rowCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : int(m_layers.size()); }
    int columnCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : ColumnCount; }
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation o, int role = Qt::DisplayRole) const override;

private:
    QList<LayerRow> m_layers;
    quint64 m_max = 0;
};

} // namespace berth::ui
