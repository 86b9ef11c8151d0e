#include "imagefstree.h"

#include <QByteArray>
#include <QFile>
#include <QDir>

#include <algorithm>

#include <dirent.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

namespace berth::ui {

FsNode* FsNode::child(const QString& childName) const {
    for (const auto& c : children)
        if (c->name == childName) return c.get();
    return nullptr;
}

FsNode* FsNode::addChild(std::unique_ptr<FsNode> node) {
    node->parent = this;
    children.push_back(std::move(node));
    return children.back().get();
}

int FsNode::row() const {
    if (!parent) return 0;
    for (size_t i = 0; i < parent->children.size(); ++i)
        if (parent->children[i].get() == this) return int(i);
    return 0;
}

QString FsNode::path() const {
    if (!parent) return QStringLiteral("/");
    const QString p = parent->path();
    return (p == QLatin1String("/") ? p : p + QLatin1Char('/')) + name;
}

namespace {

const QString kWhiteoutPrefix = QStringLiteral(".wh.");
const QString kOpaqueMarker = QStringLiteral(".wh..wh..opq");

bool isOpaque(const QByteArray& path) {
    char value[4] = {};
    ssize_t n = ::lgetxattr(path.constData(), "trusted.overlay.opaque", value, sizeof value);
    if (n == 1 && value[0] == 'y') return true;
    n = ::lgetxattr(path.constData(), "user.overlay.opaque", value, sizeof value);
    return n == 1 && value[0] == 'y';
}

// Marks a node (and everything under it) deleted by `layer`.
void markDeleted(FsNode* node, int layer) {
    node->change = FsNode::Change::Deleted;
    node->layer = layer;
    node->children.clear();
}

void sortTree(FsNode* node) {
    std::sort(node->children.begin(), node->children.end(), [](const auto& a, const auto& b) {
        const bool ad = a->kind == FsNode::Kind::Directory, bd = b->kind == FsNode::Kind::Directory;
        if (ad != bd) return ad;
        return a->name < b->name;
    });
    for (auto& c : node->children) sortTree(c.get());
}

void applyDir(FsNode* dir, const QByteArray& hostPath, int layer, int depth) {
    if (depth > 256) return;  // a sane bound: no real image nests this deep
    DIR* d = ::opendir(hostPath.constData());
    if (!d) return;
    std::vector<std::pair<QString, QByteArray>> entries;
    while (dirent* e = ::readdir(d)) {
        const QByteArray raw(e->d_name);
        if (raw == "." || raw == "..") continue;
        entries.emplace_back(QString::fromLocal8Bit(raw), hostPath + '/' + raw);
    }
    ::closedir(d);
    // An opaque marker applies to the lower layers' entries before this layer's own.
    for (const auto& [name, full] : entries) {
        if (name == kOpaqueMarker) {
            for (auto& c : dir->children) markDeleted(c.get(), layer);
            if (dir->parent && dir->layer != layer) {
                dir->change = FsNode::Change::Modified;
                dir->layer = layer;
            }
        }
    }
    for (const auto& [name, full] : entries) {
        if (name == kOpaqueMarker) continue;
        struct stat st{};
        if (::lstat(full.constData(), &st) != 0) continue;
        if (name.startsWith(kWhiteoutPrefix)) {
            const QString target = name.mid(kWhiteoutPrefix.size());
            if (FsNode* n = dir->child(target)) markDeleted(n, layer);
            continue;
        }
        FsNode* existing = dir->child(name);
        if (S_ISCHR(st.st_mode) && major(st.st_rdev) == 0 && minor(st.st_rdev) == 0) {
            if (existing) {
                markDeleted(existing, layer);
            } else {  // deleting what no lower layer had: still shown, as the layer says so
                auto n = std::make_unique<FsNode>();
                n->name = name;
                n->kind = FsNode::Kind::Other;
                n->change = FsNode::Change::Deleted;
                n->layer = layer;
                dir->addChild(std::move(n));
            }
            continue;
        }
        FsNode::Kind kind = S_ISDIR(st.st_mode)   ? FsNode::Kind::Directory
                            : S_ISREG(st.st_mode) ? FsNode::Kind::File
                            : S_ISLNK(st.st_mode) ? FsNode::Kind::Symlink
                                                  : FsNode::Kind::Other;
        FsNode* node = existing;
        const bool wasLive = existing && existing->change != FsNode::Change::Deleted;
        if (existing && (existing->kind != kind || !wasLive)) {
            existing->children.clear();
        }
        if (!node) {
            auto n = std::make_unique<FsNode>();
            n->name = name;
            node = dir->addChild(std::move(n));
        }
        node->kind = kind;
        node->mode = st.st_mode;
        node->size = kind == FsNode::Kind::File ? quint64(st.st_size) : 0;
        node->linkTarget.clear();
        if (kind == FsNode::Kind::Symlink) {
            char buf[4096];
            ssize_t n = ::readlink(full.constData(), buf, sizeof buf - 1);
            if (n > 0) node->linkTarget = QString::fromLocal8Bit(buf, int(n));
        }
        // A directory that merely carries lower content is not a change of this layer.
        if (!wasLive) {
            node->change = FsNode::Change::Added;
            node->layer = layer;
        } else if (kind != FsNode::Kind::Directory) {
            node->change = FsNode::Change::Modified;
            node->layer = layer;
        }
        if (kind == FsNode::Kind::Directory) {
            if (wasLive && isOpaque(full)) {
                for (auto& c : node->children) markDeleted(c.get(), layer);
                node->change = FsNode::Change::Modified;
                node->layer = layer;
            }
            applyDir(node, full, layer, depth + 1);
        }
    }
}

} // namespace

std::unique_ptr<FsNode> ImageFsTree::build(const std::vector<QString>& layerDirs) {
    auto root = std::make_unique<FsNode>();
    root->name = QStringLiteral("/");
    root->layer = 0;
    for (size_t i = 0; i < layerDirs.size(); ++i)
        applyDir(root.get(), QFile::encodeName(layerDirs[i]), int(i), 0);
    sortTree(root.get());
    return root;
}

} // namespace berth::ui
