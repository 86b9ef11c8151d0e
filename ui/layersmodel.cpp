#include "layersmodel.h"

#include "format.h"

namespace berth::ui {

void LayersModel::setLayers(QList<LayerRow> layers) {
    beginResetModel();
    m_layers = std::move(layers);
    m_max = 0;
    for (const auto& l : m_layers) m_max = qMax(m_max, l.size);
    endResetModel();
}

QVariant LayersModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= m_layers.size() || index.column() >= ColumnCount) return {};
    const LayerRow& l = m_layers[index.row()];
    if (role == SizeFractionRole) return m_max ? double(l.size) / double(m_max) : 0.0;
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Index: return l.index + 1;
        case Size: return format::bytes(l.size);
        case Digest: return format::shortId(l.diffId);
        case CreatedBy: return l.createdBy.simplified();
        }
    }
    if (role == Qt::ToolTipRole) {
        if (index.column() == Digest) return l.diffId;
        if (index.column() == CreatedBy) return l.createdBy;
    }
    return {};
}

QVariant LayersModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Index: return tr("#");
    case Size: return tr("Size");
    case Digest: return tr("Digest");
    case CreatedBy: return tr("Created by");
    }
    return {};
}

} // namespace berth::ui
