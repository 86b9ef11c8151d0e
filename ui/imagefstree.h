#pragma once
// ImageFsTree: the merged file system of an image, built from its extracted layer
// directories bottom-up the way overlayfs stacks them, remembering for every path which
// layer last added, changed or deleted it. Overlay whiteouts (0/0 character devices, or
// ".wh.NAME" files) delete a lower path; an opaque directory (xattr
// trusted.overlay.opaque=y, or a ".wh..wh..opq" entry) hides everything below it.
// Built on a worker thread; the model takes ownership of the finished tree.

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
    // layerDirs bottom first. Unreadable entries are skipped, never fatal.
    static std::unique_ptr<FsNode> build(const std::vector<QString>& layerDirs);
};

} // namespace berth::ui
