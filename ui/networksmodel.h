#pragma once
// NetworksModel: the store's networks (name, driver, subnet, gateway, the containers
// attached with their addresses), from a worker's snapshot.

#include "snapshottablemodel.h"

#include <QDateTime>
#include <QMap>
#include <QStringList>

namespace berth::ui {

struct NetworkEndpointRow {
    QString containerId;
    QString containerName;
    QString ipAddress;  // "10.77.0.2/24"
    bool operator==(const NetworkEndpointRow&) const = default;
};

struct NetworkRow {
    QString name;
    QString id;
    QString driver;
    QString subnet;
    QString gateway;
    QString bridge;
    bool internal = false;
    bool builtin = false;
    QDateTime created;
    QMap<QString, QString> labels;
    QList<NetworkEndpointRow> endpoints;  // running containers attached now
    QStringList memberNames;              // every connected container (running or not)
    bool operator==(const NetworkRow&) const = default;
};

class NetworksModel : public SnapshotTableModel<NetworkRow> {
    Q_OBJECT
public:
    enum Column { Name, Driver, Subnet, Gateway, Containers, ColumnCount };
    enum Role { NameRole = Qt::UserRole + 1, SortRole, BuiltinRole };
    using SnapshotTableModel::SnapshotTableModel;

    int columnCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : ColumnCount; }
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation o, int role = Qt::DisplayRole) const override;
    QStringList names() const;

protected:
    QString keyOf(const NetworkRow& r) const override { return r.name; }
    bool sameRow(const NetworkRow& a, const NetworkRow& b) const override { return a == b; }
};

} // namespace berth::ui
