#pragma once
// ContainersModel: every container of the store (name, image, state badge, CPU %, memory,
// ports, uptime). The list comes from a worker snapshot; live CPU and memory come from the
// stats sampler and are applied in one batched dataChanged per sample.

#include "snapshots.h"
#include "snapshottablemodel.h"

#include <QHash>

namespace berth::ui {

class ContainersModel : public SnapshotTableModel<ContainerRow> {
    Q_OBJECT
public:
    enum Column { Name, Image, State, Cpu, Memory, Ports, Uptime, ColumnCount };
    enum Role {
        IdRole = Qt::UserRole + 1,
        StateRole,           // int(ContainerState)
        MemoryFractionRole,  // usage / limit (or host RAM), 0..1; invalid when not running
        SortRole,
    };
    explicit ContainersModel(QObject* parent = nullptr);

    int columnCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : ColumnCount; }
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation o, int role = Qt::DisplayRole) const override;

    void applyStats(const QList<StatsSample>& samples, quint64 hostMemory);
    int runningCount() const;
    const StatsSample* statsOf(const QString& id) const;
    // "Exited (137), out of memory at 16.0 MiB" for an OOM-killed container, else empty.
    static QString oomText(const ContainerRow& r);
    // What the window is doing to a container ("Stopping…") shows in its State column
    // until the action ends; an empty text clears it.
    void setPending(const QString& id, const QString& text);

protected:
    QString keyOf(const ContainerRow& r) const override { return r.id; }
    bool sameRow(const ContainerRow& a, const ContainerRow& b) const override {
        return a.name == b.name && a.state == b.state && a.exitCode == b.exitCode &&
               a.startedAt == b.startedAt && a.ports == b.ports && a.image == b.image &&
               a.browserPorts == b.browserPorts && a.oomKilled == b.oomKilled && a.memoryLimit == b.memoryLimit &&
               a.stopRequested == b.stopRequested;
    }

private:
    QHash<QString, StatsSample> m_stats;
    QHash<QString, QString> m_pending;
    quint64 m_hostMemory = 0;
};

} // namespace berth::ui
