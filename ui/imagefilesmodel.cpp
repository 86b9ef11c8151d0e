#include "imagefilesmodel.h"

#include "format.h"

#include <QFont>
#include <QGuiApplication>
#include <QIcon>
#include <QPalette>

namespace berth::ui {

ImageFilesModel::~ImageFilesModel() = default;

void ImageFilesModel::setTree(std::unique_ptr<FsNode> root) {
    beginResetModel();
    m_root = std::move(root);
    endResetModel();
}

const FsNode* ImageFilesModel::nodeOf(const QModelIndex& index) const {
    return index.isValid() ? static_cast<const FsNode*>(index.internalPointer()) : m_root.get();
}

QModelIndex ImageFilesModel::index(int row, int column, const QModelIndex& parent) const {
    const FsNode* p = nodeOf(parent);
    if (!p || row < 0 || column < 0 || column >= ColumnCount || size_t(row) >= p->children.size()) return {};
    return createIndex(row, column, p->children[size_t(row)].get());
}

QModelIndex ImageFilesModel::parent(const QModelIndex& child) const {
    if (!child.isValid()) return {};
    const FsNode* n = static_cast<const FsNode*>(child.internalPointer());
    const FsNode* p = n->parent;
    if (!p || p == m_root.get()) return {};
    return createIndex(p->row(), 0, const_cast<FsNode*>(p));
}

int ImageFilesModel::rowCount(const QModelIndex& parent) const {
    if (parent.isValid() && parent.column() != 0) return 0;
    const FsNode* p = nodeOf(parent);
    return p ? int(p->children.size()) : 0;
}

int ImageFilesModel::columnCount(const QModelIndex&) const { return ColumnCount; }

bool ImageFilesModel::hasChildren(const QModelIndex& parent) const { return rowCount(parent) > 0; }

QModelIndex ImageFilesModel::indexOfPath(const QString& path) const {
    QModelIndex idx;
    for (const QString& part : path.split(QLatin1Char('/'), Qt::SkipEmptyParts)) {
        const FsNode* n = nodeOf(idx);
        if (!n) return {};
        int found = -1;
        for (size_t i = 0; i < n->children.size(); ++i)
            if (n->children[i]->name == part) found = int(i);
        if (found < 0) return {};
        idx = index(found, 0, idx);
    }
    return idx;
}

QVariant ImageFilesModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid()) return {};
    const FsNode* n = static_cast<const FsNode*>(index.internalPointer());
    const bool deleted = n->change == FsNode::Change::Deleted;
    switch (role) {
    case ChangeRole: return int(n->change);
    case LayerRole: return n->layer;
    case PathRole: return n->path();
    case Qt::DisplayRole:
        switch (index.column()) {
        case Name:
            return n->kind == FsNode::Kind::Symlink ? tr("%1 → %2").arg(n->name, n->linkTarget) : n->name;
        case Size: return n->kind == FsNode::Kind::File && !deleted ? format::bytes(n->size) : QString();
        case Layer: return n->layer >= 0 ? QString::number(n->layer + 1) : QString();
        case Change:
            switch (n->change) {
            case FsNode::Change::Added: return tr("Added");
            case FsNode::Change::Modified: return tr("Changed");
            case FsNode::Change::Deleted: return tr("Deleted");
            }
        }
        break;
    case Qt::DecorationRole:
        if (index.column() == Name) {
            switch (n->kind) {
            case FsNode::Kind::Directory: return QIcon(QStringLiteral(":/icons/folder.svg"));
            case FsNode::Kind::Symlink: return QIcon(QStringLiteral(":/icons/link.svg"));
            default: return QIcon(QStringLiteral(":/icons/file.svg"));
            }
        }
        break;
    case Qt::FontRole:
        if (deleted) {
            QFont f;
            f.setStrikeOut(true);
            return f;
        }
        break;
    case Qt::ForegroundRole:
        if (index.column() == Change) {
            const bool dark = QGuiApplication::palette().color(QPalette::Base).lightness() < 128;
            switch (n->change) {
            case FsNode::Change::Added: return QColor(dark ? 0x81c784 : 0x2e7d32);
            case FsNode::Change::Modified: return QColor(dark ? 0xffb74d : 0xb26a00);
            case FsNode::Change::Deleted: return QColor(dark ? 0xe57373 : 0xc62828);
            }
        }
        if (deleted) return QGuiApplication::palette().brush(QPalette::Disabled, QPalette::Text);
        break;
    case Qt::ToolTipRole: {
        QString tip = n->path();
        if (n->layer >= 0) tip += QLatin1Char('\n') + tr("Last touched by layer %1").arg(n->layer + 1);
        return tip;
    }
    case Qt::TextAlignmentRole:
        if (index.column() == Size || index.column() == Layer) return int(Qt::AlignRight | Qt::AlignVCenter);
        break;
    }
    return {};
}

QVariant ImageFilesModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Name: return tr("Name");
    case Size: return tr("Size");
    case Layer: return tr("Layer");
    case Change: return tr("Change");
    }
    return {};
}

} // namespace berth::ui
