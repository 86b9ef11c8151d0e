#pragma once
// ImageFsTree: the merged file system of an image as the window's file model holds it (with
// parent links), made from the engine's tree (Images::fileTree: the layers stacked as
// overlayfs stacks them, whiteouts and opaque directories applied, each path with the layer
// that last touched it). Built on a worker thread; the model takes ownership of it.

#include "berth/images.h"

#include <QString>

#include <memory>
#include <vector>

namespace berth::ui {

struct FsNode {
    enum class Kind { Directory, File, Symlink, Other };
    enum class Change { Added, Modified, Deleted };
    QString name;
    Kind kind = Kind::Directory;
    Change change = Change::Added;
    int layer = -1;  // the layer that last touched this path
    quint64 size = 0;
    quint32 mode = 0;
    QString linkTarget;
    FsNode* parent = nullptr;
    std::vector<std::unique_ptr<FsNode>> children;  // sorted: directories first, then by name

    FsNode* child(const QString& childName) const;
    FsNode* addChild(std::unique_ptr<FsNode> node);
    int row() const;
    QString path() const;
};

class ImageFsTree {
public:
    static std::unique_ptr<FsNode> fromEngine(const ImageFileNode& root);
};

} // namespace berth::ui
