#include "pulllayersmodel.h"

#include "format.h"

namespace berth::ui {


QString PullLayersModel::stateText(LayerState s) {
    switch (s) {
    case LayerState::Waiting: return tr("Waiting");
    case LayerState::Downloading: return tr("Downloading");
    case LayerState::Retrying: return tr("Retrying");
    case LayerState::Verifying: return tr("Verifying checksum");
    case LayerState::DownloadComplete: return tr("Download complete");
    case LayerState::Extracting: return tr("Extracting");
    case LayerState::PullComplete: return tr("Pull complete");
    case LayerState::AlreadyExists: return tr("Already exists");
    }
    return {};
}

bool PullLayersModel::isFinished(LayerState s) {
    return s == LayerState::PullComplete || s == LayerState::AlreadyExists;
}

void PullLayersModel::setLayers(const QList<PullLayerRow>& layers) {
    // A snapshot only ever grows (layers are appended in the order first reported); anything
    // else (a new pull) is a reset.
    bool prefix = layers.size() >= m_layers.size();
    for (int i = 0; prefix && i < m_layers.size(); ++i) prefix = layers[i].id == m_layers[i].id;
    if (!prefix) {
        beginResetModel();
        m_layers = layers;
        endResetModel();
        return;
    }
    const int known = int(m_layers.size());
    for (int i = 0; i < known; ++i) m_layers[i] = layers[i];
    if (known > 0) emit dataChanged(index(0, 0), index(known - 1, ColumnCount - 1));
    if (layers.size() > known) {
        beginInsertRows({}, known, int(layers.size()) - 1);
        for (int i = known; i < layers.size(); ++i) m_layers.append(layers[i]);
        endInsertRows();
    }
}

void PullLayersModel::clear() {
    if (m_layers.isEmpty()) return;
    beginResetModel();
    m_layers.clear();
    endResetModel();
}

double PullLayersModel::overallFraction() const {
    quint64 done = 0, total = 0;
    for (const auto& l : m_layers) {
        if (l.state == LayerState::AlreadyExists) continue;  // nothing to move
        const quint64 t = qMax(l.total, l.current);
        total += t;
        done += isFinished(l.state) || l.state == LayerState::DownloadComplete || l.state == LayerState::Extracting
                    ? t
                    : l.current;
    }
    if (total == 0) {
        bool all = !m_layers.isEmpty();
        for (const auto& l : m_layers) all = all && isFinished(l.state);
        return all ? 1.0 : 0.0;
    }
    return double(done) / double(total);
}

QVariant PullLayersModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= m_layers.size() || index.column() >= ColumnCount) return {};
    const PullLayerRow& l = m_layers[index.row()];
    switch (role) {
    case StateRole: return int(l.state);
    case CurrentRole: return l.current;
    case TotalRole: return l.total;
    case FractionRole:
        if (index.column() != Progress) return {};
        if (isFinished(l.state) || l.state == LayerState::DownloadComplete || l.state == LayerState::Extracting) return 1.0;
        return l.total ? double(l.current) / double(l.total) : 0.0;
    case Qt::DisplayRole:
        switch (index.column()) {
        case Layer: return l.id;
        case Status: return stateText(l.state);
        case Progress:
            if (l.state == LayerState::AlreadyExists) return QString();
            if (l.total == 0) return l.current ? format::bytes(l.current) : QString();
            return tr("%1 of %2").arg(format::bytes(l.current), format::bytes(l.total));
        }
        break;
    case Qt::AccessibleTextRole:
        if (index.column() == Progress)
            return tr("Layer %1: %2, %3 of %4").arg(l.id, stateText(l.state), format::bytes(l.current), format::bytes(l.total));
        break;
    }
    return {};
}

QVariant PullLayersModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Layer: return tr("Layer");
    case Status: return tr("Status");
    case Progress: return tr("Progress");
    }
    return {};
}

} // namespace berth::ui
