#pragma once
// PullLayersModel: one row per layer of a pull in progress (layer id, state, bytes moved of
// the total drawn as a bar by the view's delegate). Updated from PullProgressRelay snapshots:
// new layers are appended as inserted rows, known ones change in place with one dataChanged.

#include "pullprogressrelay.h"

#include <QAbstractTableModel>

namespace berth::ui {

class PullLayersModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Layer, Status, Progress, ColumnCount };
    enum Role { FractionRole = Qt::UserRole + 1, StateRole, CurrentRole, TotalRole };
    using QAbstractTableModel::QAbstractTableModel;

    void setLayers(const QList<PullLayerRow>& layers);
    void clear();
    const QList<PullLayerRow>& layers() const { return m_layers; }
    // Bytes done over bytes known, for the overall bar; finished layers count in full.
    double overallFraction() const;
    static QString stateText(LayerState s);
    static bool isFinished(LayerState s);

    int rowCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : int(m_layers.size()); }
    int columnCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : ColumnCount; }
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation o, int role = Qt::DisplayRole) const override;

private:
    QList<PullLayerRow> m_layers;
};

} // namespace berth::ui
