#include "runtime/layer_path.h"

#include "runtime/safe_path.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <fmt/format.h>

#include <deque>

namespace berth::runtime {

namespace {

constexpr int kMaxSymlinks = 40;

std::deque<std::string> components(const std::string& path) {
    std::deque<std::string> out;
    size_t pos = 0;
    while (pos <= path.size()) {
        size_t slash = path.find('/', pos);
        if (slash == std::string::npos) slash = path.size();
        if (slash > pos) out.push_back(path.substr(pos, slash - pos));
        pos = slash + 1;
    }
    return out;
}

Error notFound(const std::string& path) {
    return Error(Errc::NotFound, fmt::format("`{}` not found in the image's layers", path), ENOENT);
}

} // namespace

bool isOpaqueDir(int dirFd) {
    char v[2];
    for (const char* name : {"trusted.overlay.opaque", "user.overlay.opaque"})
        if (::fgetxattr(dirFd, name, v, sizeof v) == 1 && v[0] == 'y') return true;
    return false;
}

bool isWhiteout(const struct ::stat& st) { return S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0); }

Result<UnionEntry> lookupInUnion(const UnionDir& in, const std::string& name) {
    UnionEntry e;
    for (const auto& fd : in.fds) {
        struct stat st{};
        if (::fstatat(fd.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
            if (errno == ENOENT) continue;
            return failErrno(fmt::format("stat `{}` in a layer", name));
        }
        bool whiteout = isWhiteout(st);
        if (!S_ISDIR(st.st_mode)) {
            // A whiteout or a file hides everything below; below a directory it is hidden.
            if (e.dir.fds.empty() && !whiteout) {
                e.kind = S_ISLNK(st.st_mode) ? UnionEntry::Symlink : UnionEntry::Other;
                e.parent = fd.get();
            }
            break;
        }
        sys::UniqueFd dir(::openat(fd.get(), name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!dir) return failErrno(fmt::format("open directory `{}` in a layer", name));
        bool opaque = isOpaqueDir(dir.get());
        e.kind = UnionEntry::Directory;
        e.dir.fds.push_back(std::move(dir));
        if (opaque) break;
    }
    return e;
}

Result<UnionDir> openUnionRoot(const std::vector<std::filesystem::path>& layersTopFirst) {
    // The layer directories themselves are the store's, not the image's.
    UnionDir root;
    for (const auto& layer : layersTopFirst) {
        sys::UniqueFd fd(::open(layer.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        if (!fd) {
            if (errno == ENOENT) continue;  // a writable layer not made yet
            return failErrno(fmt::format("open layer `{}`", layer.string()));
        }
        bool opaque = isOpaqueDir(fd.get());
        root.fds.push_back(std::move(fd));
        if (opaque) break;
    }
    return root;
}

Result<sys::UniqueFd> openInLayers(const std::vector<std::filesystem::path>& layersTopFirst,
                                   const std::string& path) {
    std::vector<UnionDir> stack;
    stack.push_back(BERTH_TRY(openUnionRoot(layersTopFirst)));
    if (stack[0].fds.empty()) return fail(notFound(path));

    auto todo = components(path);
    int links = 0;
    while (!todo.empty()) {
        std::string name = std::move(todo.front());
        todo.pop_front();
        if (name == ".") continue;
        if (name == "..") {
            if (stack.size() > 1) stack.pop_back();  // ".." of the root is the root
            continue;
        }
        auto e = BERTH_TRY(lookupInUnion(stack.back(), name));
        switch (e.kind) {
        case UnionEntry::Missing:
            return fail(notFound(path));
        case UnionEntry::Directory:
            stack.push_back(std::move(e.dir));
            continue;
        case UnionEntry::Symlink: {
            if (++links > kMaxSymlinks)
                return fail(Error(Errc::InvalidArgument, fmt::format("`{}`: too many levels of symbolic links", path), ELOOP));
            char target[4096];
            ssize_t n = ::readlinkat(e.parent, name.c_str(), target, sizeof target - 1);
            if (n < 0) return failErrno(fmt::format("readlink `{}` in a layer", name));
            std::string t(target, size_t(n));
            if (!t.empty() && t[0] == '/') stack.resize(1);
            auto more = components(t);
            todo.insert(todo.begin(), more.begin(), more.end());
            continue;
        }
        case UnionEntry::Other:
            if (!todo.empty()) return fail(notFound(path));  // a file used as a directory
            sys::UniqueFd fd(::openat(e.parent, name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
            if (!fd) return failErrno(fmt::format("open `{}` in a layer", path));
            return fd;
        }
    }
    sys::UniqueFd fd(::openat(stack.back().fds.front().get(), ".", O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!fd) return failErrno(fmt::format("open `{}` in a layer", path));
    return fd;
}

Result<std::string> readFileInLayers(const std::vector<std::filesystem::path>& layersTopFirst,
                                     const std::string& path, size_t maxBytes) {
    auto fd = openInLayers(layersTopFirst, path);
    if (!fd) {
        if (fd.error().code() == Errc::NotFound) return std::string();
        return std::unexpected(fd.error());
    }
    return readRegularFile(fd->get(), fmt::format("`{}` in the image", path), maxBytes);
}

} // namespace berth::runtime
