#include "imagefstree.h"


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

static_assert(int(FsNode::Kind::Other) == int(ImageFileNode::Kind::Other) && int(FsNode::Change::Deleted) == int(ImageFileNode::Change::Deleted),
              "FsNode mirrors the engine's ImageFileNode");

std::unique_ptr<FsNode> ImageFsTree::fromEngine(const ImageFileNode& from) {
    auto node = std::make_unique<FsNode>();
    node->name = QString::fromStdString(from.name);
    node->kind = FsNode::Kind(int(from.kind));
    node->change = FsNode::Change(int(from.change));
    node->layer = from.layer;
    node->size = from.size;
    node->mode = from.mode;
    node->linkTarget = QString::fromStdString(from.linkTarget);
    node->children.reserve(from.children.size());
    for (const auto& c : from.children) node->addChild(fromEngine(c));
    return node;
}

} // namespace berth::ui
