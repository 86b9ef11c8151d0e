// berth diff: what a container changed in its image's file system, read from its upper
// (writable) directory against the union of its image's layers, both walked with *at calls
// on opened directories and nothing followed: the container's symlinks are compared as
// links, never resolved on the host.
//
// Docker's kinds: a path the image did not have is A (and everything below it); one it had
// is C when the container wrote it (a file or link in the upper directory), or for a
// directory when its mode or owner changed or a direct child was added or deleted; a
// whiteout is D; an opaque directory (the container removed the image's directory and made
// a new one) deletes every path of the image's below it that the upper directory lacks.
// The runtime's own mount points (/proc, /sys, /dev, /etc/hosts, /etc/hostname,
// /etc/resolv.conf), made empty in the upper directory when the image lacks them, are not
// the container's changes (docker keeps them in a layer of their own).
#include "container/container_service.h"

#include "container/service_impl.h"
#include "runtime/layer_path.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <set>

namespace berth::container {

namespace {

using Kind = FileChange::Kind;

bool isRuntimeMountPoint(const std::string& path, const struct stat& st) {
    static const std::set<std::string> points = {"/proc", "/sys", "/dev", "/etc/hosts", "/etc/hostname",
                                                 "/etc/resolv.conf"};
    if (!points.count(path)) return false;
    return S_ISDIR(st.st_mode) || (S_ISREG(st.st_mode) && st.st_size == 0);
}

// The names in a directory (without . and ..), read from an fd of ours (dup'd: the caller
// keeps its own).
Result<std::vector<std::string>> namesIn(int dirFd) {
    int copy = ::openat(dirFd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (copy < 0) return failErrno("open a directory to list it");
    DIR* d = ::fdopendir(copy);
    if (!d) {
        int e = errno;
        ::close(copy);
        return failErrno("list a directory", e);
    }
    std::vector<std::string> out;
    while (auto* e = ::readdir(d)) {
        std::string_view n = e->d_name;
        if (n != "." && n != "..") out.emplace_back(n);
    }
    ::closedir(d);
    return out;
}

class DiffWalk {
public:
    std::vector<FileChange> changes;

    // `upper`: the container's directory at `path`; `lower`: the image's (may be empty).
    // Returns whether a direct child was added or deleted (which makes `path` changed).
    Result<bool> walk(int upper, const runtime::UnionDir& lower, const std::string& path, bool opaque) {
        bool childAddedOrDeleted = false;
        std::set<std::string> inUpper;
        for (auto& name : BERTH_TRY(namesIn(upper))) {
            inUpper.insert(name);
            const std::string child = (path == "/" ? "" : path) + "/" + name;
            struct stat st{};
            if (::fstatat(upper, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return failErrno("stat `" + child + "`");
            if (runtime::isWhiteout(st)) {
                changes.push_back({Kind::Deleted, child});
                childAddedOrDeleted = true;
                continue;
            }
            runtime::UnionEntry below;
            if (!lower.fds.empty()) below = BERTH_TRY(runtime::lookupInUnion(lower, name));
            const bool existed = below.kind != runtime::UnionEntry::Missing;
            if (!existed && isRuntimeMountPoint(child, st)) continue;
            if (!S_ISDIR(st.st_mode)) {
                changes.push_back({existed ? Kind::Modified : Kind::Added, child});
                childAddedOrDeleted = childAddedOrDeleted || !existed;
                continue;
            }
            sys::UniqueFd sub(::openat(upper, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
            if (!sub) return failErrno("open `" + child + "`");
            const bool dirBelow = below.kind == runtime::UnionEntry::Directory;
            size_t at = changes.size();
            runtime::UnionDir none;
            // Below an opaque directory nothing of the image shows through, at any depth.
            bool subOpaque = dirBelow && (opaque || runtime::isOpaqueDir(sub.get()));
            bool grew = BERTH_TRY(walk(sub.get(), dirBelow ? below.dir : none, child, subOpaque));
            if (!existed) {
                changes.insert(changes.begin() + ptrdiff_t(at), {Kind::Added, child});
                childAddedOrDeleted = true;
            } else if (!dirBelow || grew || BERTH_TRY(metadataChanged(st, below))) {
                changes.insert(changes.begin() + ptrdiff_t(at), {Kind::Modified, child});
            }
        }
        // Under an opaque directory, whatever the image had and the container did not make
        // again is gone.
        if (opaque) {
            std::set<std::string> belowNames;
            for (const auto& fd : lower.fds)
                for (auto& n : BERTH_TRY(namesIn(fd.get()))) belowNames.insert(std::move(n));
            for (const auto& name : belowNames) {
                if (inUpper.count(name)) continue;
                if (BERTH_TRY(runtime::lookupInUnion(lower, name)).kind == runtime::UnionEntry::Missing) continue;
                changes.push_back({Kind::Deleted, (path == "/" ? "" : path) + "/" + name});
                childAddedOrDeleted = true;
            }
        }
        return childAddedOrDeleted;
    }

private:
    // A directory copied up for a change below it keeps its mode and owner; a chmod or
    // chown of its own changes them.
    static Result<bool> metadataChanged(const struct stat& upper, const runtime::UnionEntry& below) {
        struct stat st{};
        if (::fstat(below.dir.fds.front().get(), &st) != 0) return failErrno("stat a directory of the image");
        return st.st_mode != upper.st_mode || st.st_uid != upper.st_uid || st.st_gid != upper.st_gid;
    }
};

} // namespace

Result<std::vector<FileChange>> ContainerService::diff(std::string_view ref) const {
    auto rec = BERTH_TRY(m_impl->find(ref));
    auto upperPath = rec.dir / "upper";
    sys::UniqueFd upper(::open(upperPath.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!upper) return failErrno("open the writable layer of container " + rec.config.name);
    std::vector<std::filesystem::path> topFirst(rec.config.lowerDirs.rbegin(), rec.config.lowerDirs.rend());
    auto lower = BERTH_TRY_CTX(runtime::openUnionRoot(topFirst), "open the image of container " + rec.config.name);
    DiffWalk w;
    BERTH_TRY_CTX(w.walk(upper.get(), lower, "/", false), "diff container " + rec.config.name);
    std::stable_sort(w.changes.begin(), w.changes.end(),
                     [](const FileChange& a, const FileChange& b) { return a.path < b.path; });
    return std::move(w.changes);
}

} // namespace berth::container
