#include "networksmodel.h"

#include <QColor>
#include <QIcon>

namespace berth::ui {

QStringList NetworksModel::names() const {
    QStringList out;
    for (const NetworkRow& r : m_rows) out.append(r.name);
    return out;
}

QVariant NetworksModel::data(const QModelIndex& index, int role) const {
    const NetworkRow* r = rowAt(index.row());
    if (!r || index.column() < 0 || index.column() >= ColumnCount) return {};
    if (role == NameRole) return r->name;
    if (role == BuiltinRole) return r->builtin;
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Name: return r->builtin ? tr("%1 (built in)").arg(r->name) : r->name;
        case Driver: return r->internal ? tr("%1, internal").arg(r->driver) : r->driver;
        case Subnet: return r->subnet;
        case Gateway: return r->gateway;
        case Containers: {
            QStringList parts;
            for (const NetworkEndpointRow& e : r->endpoints)
                parts.append(e.ipAddress.isEmpty() ? e.containerName : QStringLiteral("%1 (%2)").arg(e.containerName, e.ipAddress));
            return parts.isEmpty() ? tr("none running") : parts.join(QStringLiteral(", "));
        }
        }
    }
    if (role == SortRole) return index.column() == Name ? QVariant(r->name) : data(index, Qt::DisplayRole);
    if (role == Qt::ToolTipRole && index.column() == Name) return r->id;
    if (role == Qt::ForegroundRole && index.column() == Containers && r->endpoints.isEmpty()) return QColor(Qt::gray);
    return {};
}

QVariant NetworksModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Name: return tr("Network");
    case Driver: return tr("Driver");
    case Subnet: return tr("Subnet");
    case Gateway: return tr("Gateway");
    case Containers: return tr("Containers (address)");
    }
    return {};
}

} // namespace berth::ui
