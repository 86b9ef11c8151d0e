#pragma once
// ImageFilesModel: the image's merged file system as a tree (name, size, layer, change),
// over an ImageFsTree built on a worker. Deleted paths stay visible, struck out, so the user
// sees what each layer removed.

#include "imagefstree.h"

#include <QAbstractItemModel>

#include <memory>

namespace berth::ui {

class ImageFilesModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { Name, Size, Layer, Change, ColumnCount };
    enum Role { ChangeRole = Qt::UserRole + 1, LayerRole, PathRole };
    using QAbstractItemModel::QAbstractItemModel;
    ~ImageFilesModel() override;

    void setTree(std::unique_ptr<FsNode> root);
    const FsNode* root() const { return m_root.get(); }
    // The index of an absolute path ("/bin/sh"), invalid when absent.
    QModelIndex indexOfPath(const QString& path) const;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation o, int role = Qt::DisplayRole) const override;
    bool hasChildren(const QModelIndex& parent = {}) const override;

private:
    const FsNode* nodeOf(const QModelIndex& index) const;
    std::unique_ptr<FsNode> m_root;
};

} // namespace berth::ui
