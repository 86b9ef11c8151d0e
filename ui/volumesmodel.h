#pragma once
// VolumesModel: the store's volumes (name, driver, the containers using each, created,
// where the data lives), from a worker's snapshot.

#include "snapshottablemodel.h"

#include <QDateTime>
#include <QMap>
#include <QStringList>

namespace berth::ui {

struct VolumeRow {
    QString name;
    QString driver;
    QString mountpoint;
    QDateTime created;
    bool anonymous = false;
    QMap<QString, QString> labels;
    QMap<QString, QString> options;
    QStringList userIds;    // containers (any state) mounting it
    QStringList userNames;  // same order
    bool operator==(const VolumeRow&) const = default;
};

class VolumesModel : public SnapshotTableModel<VolumeRow> {
    Q_OBJECT
public:
    enum Column { Name, Driver, UsedBy, Created, Mountpoint, ColumnCount };
    enum Role { NameRole = Qt::UserRole + 1, SortRole, InUseRole };
    using SnapshotTableModel::SnapshotTableModel;

    int columnCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : ColumnCount; }
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation o, int role = Qt::DisplayRole) const override;

protected:
    QString keyOf(const VolumeRow& r) const override { return r.name; }
    bool sameRow(const VolumeRow& a, const VolumeRow& b) const override { return a == b; }
};

} // namespace berth::ui
