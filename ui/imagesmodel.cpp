#include "imagesmodel.h"

#include "format.h"

#include <QIcon>

namespace berth::ui {

QVariant ImagesModel::data(const QModelIndex& index, int role) const {
    const ImageRow* r = rowAt(index.row());
    if (!r || index.column() < 0 || index.column() >= ColumnCount) return {};
    if (role == IdRole) return r->id;
    if (role == ReferenceRole) return r->reference();
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Repository: return r->repository;
        case Tag: return r->tag;
        case Id: return format::shortId(r->id);
        case Created: return format::ago(r->created);
        case Size: return format::bytes(r->size);
        }
    }
    if (role == SortRole) {
        switch (index.column()) {
        case Created: return r->created;
        case Size: return r->size;
        default: return data(index, Qt::DisplayRole);
        }
    }
    if (role == Qt::ToolTipRole) {
        if (index.column() == Id) return r->id;
        if (index.column() == Created) return QLocale().toString(r->created.toLocalTime(), QLocale::LongFormat);
    }
    if (role == Qt::DecorationRole && index.column() == Repository)
        return QIcon(QStringLiteral(":/icons/image.svg"));
    if (role == Qt::TextAlignmentRole && index.column() == Size)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::FontRole && index.column() == Id) {
        QFont f(QStringLiteral("monospace"));
        f.setStyleHint(QFont::Monospace);
        return f;
    }
    return {};
}

QVariant ImagesModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Repository: return tr("Repository");
    case Tag: return tr("Tag");
    case Id: return tr("Image ID");
    case Created: return tr("Created");
    case Size: return tr("Size");
    }
    return {};
}

} // namespace berth::ui
