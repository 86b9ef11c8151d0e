#include "image/image_file_tree.h"

#include "sys/unique_fd.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <memory>

namespace berth::image {

namespace {

using Kind = ImageFileNode::Kind;
using Change = ImageFileNode::Change;

constexpr std::string_view kWhiteoutPrefix = ".wh.";
constexpr std::string_view kOpaqueMarker = ".wh..wh..opq";
constexpr int kMaxDepth = 256;  // no real image nests deeper

// The tree while it is built: children by name (layers look names up constantly).
struct Node {
    Kind kind = Kind::Directory;
    Change change = Change::Added;
    int layer = -1;
    uint64_t size = 0;
    uint32_t mode = 0;
    std::string linkTarget;
    bool isRoot = false;
    std::map<std::string, std::unique_ptr<Node>> children;
};

void markDeleted(Node& n, int layer) {
    n.change = Change::Deleted;
    n.layer = layer;
    n.children.clear();
}

bool isOpaque(int dirFd) {
    char value[4] = {};
    for (const char* attr : {"trusted.overlay.opaque", "user.overlay.opaque"})
        if (::fgetxattr(dirFd, attr, value, sizeof value) == 1 && value[0] == 'y') return true;
    return false;
}

Kind kindOf(mode_t m) {
    if (S_ISDIR(m)) return Kind::Directory;
    if (S_ISREG(m)) return Kind::File;
    if (S_ISLNK(m)) return Kind::Symlink;
    return Kind::Other;
}

std::vector<std::string> entriesOf(int dirFd) {
    std::vector<std::string> out;
    int dup = ::fcntl(dirFd, F_DUPFD_CLOEXEC, 0);
    if (dup < 0) return out;
    DIR* d = ::fdopendir(dup);
    if (!d) {
        ::close(dup);
        return out;
    }
    while (dirent* e = ::readdir(d)) {
        std::string_view n = e->d_name;
        if (n != "." && n != "..") out.emplace_back(n);
    }
    ::closedir(d);
    return out;
}

class LayerWalker {
public:
    LayerWalker(int layer, std::stop_token stop) : m_layer(layer), m_stop(std::move(stop)) {}
    void apply(Node& dir, int dirFd, int depth);

private:
    void applyEntry(Node& dir, int dirFd, const std::string& name, int depth);
    int m_layer;
    std::stop_token m_stop;
};

void LayerWalker::apply(Node& dir, int dirFd, int depth) {
    if (depth > kMaxDepth || m_stop.stop_requested()) return;
    auto names = entriesOf(dirFd);
    // An opaque marker hides the lower layers' entries before this layer adds its own.
    if (std::find(names.begin(), names.end(), kOpaqueMarker) != names.end()) {
        for (auto& [_, c] : dir.children) markDeleted(*c, m_layer);
        if (!dir.isRoot && dir.layer != m_layer) {
            dir.change = Change::Modified;
            dir.layer = m_layer;
        }
    }
    for (const auto& name : names)
        if (name != kOpaqueMarker) applyEntry(dir, dirFd, name, depth);
}

void LayerWalker::applyEntry(Node& dir, int dirFd, const std::string& name, int depth) {
    struct stat st {};
    if (::fstatat(dirFd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return;
    if (name.starts_with(kWhiteoutPrefix)) {
        if (auto it = dir.children.find(name.substr(kWhiteoutPrefix.size())); it != dir.children.end())
            markDeleted(*it->second, m_layer);
        return;
    }
    auto it = dir.children.find(name);
    Node* existing = it == dir.children.end() ? nullptr : it->second.get();
    if (S_ISCHR(st.st_mode) && major(st.st_rdev) == 0 && minor(st.st_rdev) == 0) {
        if (existing) {
            markDeleted(*existing, m_layer);
        } else {  // deleting what no lower layer had: still shown, as the layer says so
            auto n = std::make_unique<Node>();
            n->kind = Kind::Other;
            n->change = Change::Deleted;
            n->layer = m_layer;
            dir.children.emplace(name, std::move(n));
        }
        return;
    }
    const Kind kind = kindOf(st.st_mode);
    const bool wasLive = existing && existing->change != Change::Deleted;
    if (existing && (existing->kind != kind || !wasLive)) existing->children.clear();
    Node* node = existing;
    if (!node) node = dir.children.emplace(name, std::make_unique<Node>()).first->second.get();
    node->kind = kind;
    node->mode = st.st_mode;
    node->size = kind == Kind::File ? uint64_t(st.st_size) : 0;
    node->linkTarget.clear();
    if (kind == Kind::Symlink) {
        char buf[4096];
        ssize_t n = ::readlinkat(dirFd, name.c_str(), buf, sizeof buf - 1);
        if (n > 0) node->linkTarget.assign(buf, size_t(n));
    }
    // A directory that merely carries lower content is not a change of this layer.
    if (!wasLive) {
        node->change = Change::Added;
        node->layer = m_layer;
    } else if (kind != Kind::Directory) {
        node->change = Change::Modified;
        node->layer = m_layer;
    }
    if (kind != Kind::Directory) return;
    sys::UniqueFd sub(::openat(dirFd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!sub) return;
    if (wasLive && isOpaque(sub.get())) {
        for (auto& [_, c] : node->children) markDeleted(*c, m_layer);
        node->change = Change::Modified;
        node->layer = m_layer;
    }
    apply(*node, sub.get(), depth + 1);
}

ImageFileNode toValue(std::string name, Node& n) {
    ImageFileNode v;
    v.name = std::move(name);
    v.kind = n.kind;
    v.change = n.change;
    v.layer = n.layer;
    v.size = n.size;
    v.mode = n.mode;
    v.linkTarget = std::move(n.linkTarget);
    v.children.reserve(n.children.size());
    for (auto& [childName, child] : n.children) v.children.push_back(toValue(childName, *child));
    std::stable_sort(v.children.begin(), v.children.end(), [](const ImageFileNode& a, const ImageFileNode& b) {
        const bool ad = a.kind == Kind::Directory, bd = b.kind == Kind::Directory;
        if (ad != bd) return ad;
        return a.name < b.name;
    });
    return v;
}

} // namespace

Result<ImageFileNode> buildFileTree(const std::vector<std::filesystem::path>& layerDirs, std::stop_token stop) {
    Node root;
    root.isRoot = true;
    root.layer = 0;
    for (size_t i = 0; i < layerDirs.size(); ++i) {
        sys::UniqueFd dir(::open(layerDirs[i].c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!dir) return failErrno("open layer " + std::to_string(i) + " " + layerDirs[i].string());
        LayerWalker(int(i), stop).apply(root, dir.get(), 0);
        if (stop.stop_requested()) return fail(Errc::Cancelled, "file tree: cancelled");
    }
    return toValue("/", root);
}

} // namespace berth::image
