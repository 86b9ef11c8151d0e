#include "volumesmodel.h"

#include "format.h"

#include <QColor>
#include <QIcon>
#include <QLocale>

namespace berth::ui {

QVariant VolumesModel::data(const QModelIndex& index, int role) const {
    const VolumeRow* r = rowAt(index.row());
    if (!r || index.column() < 0 || index.column() >= ColumnCount) return {};
    if (role == NameRole) return r->name;
    if (role == InUseRole) return !r->userIds.isEmpty();
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Name: return r->anonymous ? format::shortId(r->name) : r->name;
        case Driver: return r->driver;
        case UsedBy: return r->userNames.isEmpty() ? tr("unused") : r->userNames.join(QStringLiteral(", "));
        case Created: return format::ago(r->created);
        case Mountpoint: return r->mountpoint;
        }
    }
    if (role == SortRole) {
        if (index.column() == Created) return r->created;
        if (index.column() == Name) return r->name;
        return data(index, Qt::DisplayRole);
    }
    if (role == Qt::ToolTipRole) {
        if (index.column() == Name) return r->anonymous ? tr("%1 (anonymous)").arg(r->name) : r->name;
        if (index.column() == Created) return QLocale().toString(r->created.toLocalTime(), QLocale::LongFormat);
        if (index.column() == Mountpoint) return r->mountpoint;
    }
    if (role == Qt::DecorationRole && index.column() == Name) return QIcon(QStringLiteral(":/icons/volumes.svg"));
    if (role == Qt::ForegroundRole && index.column() == UsedBy && r->userIds.isEmpty())
        return QColor(Qt::gray);
    return {};
}

QVariant VolumesModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Name: return tr("Volume");
    case Driver: return tr("Driver");
    case UsedBy: return tr("Used by");
    case Created: return tr("Created");
    case Mountpoint: return tr("Data folder");
    }
    return {};
}

} // namespace berth::ui
