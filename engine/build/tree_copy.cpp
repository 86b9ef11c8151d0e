#include "build/tree_copy.h"

#include "image/digest.h"
#include "runtime/safe_path.h"
#include "sys/fs.h"
#include "sys/unique_fd.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>

namespace berth::build {

namespace fs = std::filesystem;

namespace {

// The names in a directory already opened, sorted.
std::vector<std::string> listDirFd(int dirFd) {
    std::vector<std::string> names;
    int fd = ::dup(dirFd);
    if (fd < 0) return names;
    DIR* d = ::fdopendir(fd);
    if (!d) {
        ::close(fd);
        return names;
    }
    while (auto* e = ::readdir(d)) {
        std::string n = e->d_name;
        if (n != "." && n != "..") names.push_back(std::move(n));
    }
    ::closedir(d);
    std::sort(names.begin(), names.end());
    return names;
}

std::vector<std::string> listDir(const fs::path& dir) {
    sys::UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    return fd ? listDirFd(fd.get()) : std::vector<std::string>{};
}

std::string joinRel(const std::string& a, const std::string& b) {
    if (a.empty() || a == ".") return b;
    return a + "/" + b;
}

bool skipped(const CopyOptions& o, const std::string& ctxRel, bool isDir) {
    if (!o.ignore || ctxRel.empty() || ctxRel == "." || !o.ignore->excluded(ctxRel)) return false;
    // An excluded directory is still walked when a `!` pattern may bring back something in it.
    return !(isDir && o.ignore->hasExceptions());
}

VoidResult copyData(int in, int out, const fs::path& src) {
    for (;;) {
        ssize_t n = ::copy_file_range(in, nullptr, out, nullptr, size_t(1) << 30, 0);
        if (n > 0) continue;
        if (n == 0) return {};
        if (errno == EINTR) continue;
        if (errno != EXDEV && errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
            return failErrno("copy `" + src.string() + "`");
        break;
    }
    char buf[1 << 16];
    for (;;) {
        ssize_t n = ::read(in, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            return failErrno("read `" + src.string() + "`");
        }
        if (n == 0) return {};
        BERTH_TRYV(sys::writeAll(sys::BorrowedFd(out), std::string_view(buf, size_t(n))));
    }
}

// Removes whatever is at `name` unless it is a directory (then Errc::Conflict when `dirOk` is false).
VoidResult clearName(int dirFd, const std::string& name, bool dirOk, bool& isDir) {
    struct stat st;
    isDir = false;
    if (::fstatat(dirFd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return {};
    if (S_ISDIR(st.st_mode)) {
        isDir = true;
        if (!dirOk) return fail(Errc::Conflict, fmt::format("cannot replace the directory `{}` with a file", name));
        return {};
    }
    if (::unlinkat(dirFd, name.c_str(), 0) != 0) return failErrno("replace `" + name + "`");
    return {};
}

VoidResult copyInto(int rootFd, int dirFd, const std::string& dirPath, const fs::path& src, const std::string& ctxRel,
                    const std::string& name, const CopyOptions& o);

// Whether an excluded directory holds anything a `!` pattern brings back.
bool anyIncluded(const fs::path& dir, const std::string& ctxRel, const DockerIgnore& ignore) {
    for (auto& n : listDir(dir)) {
        auto rel = joinRel(ctxRel, n);
        if (!ignore.excluded(rel)) return true;
        struct stat st;
        if (::lstat((dir / n).c_str(), &st) == 0 && S_ISDIR(st.st_mode) && anyIncluded(dir / n, rel, ignore)) return true;
    }
    return false;
}

VoidResult copyChildren(int rootFd, int dirFd, const std::string& dirPath, const fs::path& src,
                        const std::string& ctxRel, const CopyOptions& o) {
    for (auto& n : listDir(src))
        BERTH_TRYV(copyInto(rootFd, dirFd, dirPath, src / n, ctxRel.empty() ? "" : joinRel(ctxRel, n), n, o));
    return {};
}

VoidResult copyInto(int rootFd, int dirFd, const std::string& dirPath, const fs::path& src, const std::string& ctxRel,
                    const std::string& name, const CopyOptions& o) {
    struct stat st;
    if (::lstat(src.c_str(), &st) != 0) return failErrno("stat `" + src.string() + "`");
    if (skipped(o, ctxRel, S_ISDIR(st.st_mode))) return {};
    if (S_ISDIR(st.st_mode) && o.ignore && !ctxRel.empty() && ctxRel != "." && o.ignore->excluded(ctxRel) &&
        !anyIncluded(src, ctxRel, *o.ignore))
        return {};
    uid_t uid = 0;
    gid_t gid = 0;
    if (o.owner) {
        uid = o.owner->first;
        gid = o.owner->second;
    } else if (o.keepOwners) {
        uid = st.st_uid;
        gid = st.st_gid;
    }
    mode_t mode = o.mode ? *o.mode : (st.st_mode & 07777);
    struct timespec times[2] = {st.st_atim, st.st_mtim};
    std::string path = dirPath == "/" ? "/" + name : dirPath + "/" + name;

    if (S_ISDIR(st.st_mode)) {
        bool existsDir = false;
        struct stat dst;
        if (::fstatat(dirFd, name.c_str(), &dst, AT_SYMLINK_NOFOLLOW) == 0) {
            if (S_ISLNK(dst.st_mode)) {
                // A symlink to a directory (merged /usr: bin -> usr/bin) is followed inside the root.
                auto target = runtime::openInRoot(rootFd, path, runtime::Symlinks::FollowInRoot, O_RDONLY | O_DIRECTORY);
                if (target) {
                    BERTH_TRYV(copyChildren(rootFd, target->get(), path, src, ctxRel, o));
                    return {};
                }
                if (::unlinkat(dirFd, name.c_str(), 0) != 0) return failErrno("replace `" + path + "`");
            } else if (S_ISDIR(dst.st_mode)) {
                existsDir = true;
            } else if (::unlinkat(dirFd, name.c_str(), 0) != 0) {
                return failErrno("replace `" + path + "`");
            }
        }
        if (!existsDir && ::mkdirat(dirFd, name.c_str(), 0700) != 0) return failErrno("mkdir `" + path + "`");
        int fd = ::openat(dirFd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) return failErrno("open `" + path + "`");
        sys::UniqueFd d(fd);
        BERTH_TRYV(copyChildren(rootFd, d.get(), path, src, ctxRel, o));
        if (::fchown(d.get(), uid, gid) != 0) return failErrno("chown `" + path + "`");
        if (::fchmod(d.get(), mode) != 0) return failErrno("chmod `" + path + "`");
        ::futimens(d.get(), times);
        return {};
    }
    if (S_ISREG(st.st_mode)) {
        bool isDir;
        BERTH_TRYV_CTX(clearName(dirFd, name, false, isDir), "copy to `" + path + "`");
        int in = ::open(src.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (in < 0) return failErrno("open `" + src.string() + "`");
        sys::UniqueFd inFd(in);
        int out = ::openat(dirFd, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (out < 0) return failErrno("create `" + path + "`");
        sys::UniqueFd outFd(out);
        BERTH_TRYV(copyData(in, out, src));
        if (::fchown(out, uid, gid) != 0) return failErrno("chown `" + path + "`");
        if (::fchmod(out, mode) != 0) return failErrno("chmod `" + path + "`");
        ::futimens(out, times);
        return {};
    }
    if (S_ISLNK(st.st_mode)) {
        std::error_code ec;
        auto target = fs::read_symlink(src, ec);
        if (ec) return fail(Error::fromErrno("readlink `" + src.string() + "`", ec.value()));
        bool isDir;
        BERTH_TRYV_CTX(clearName(dirFd, name, false, isDir), "copy to `" + path + "`");
        if (::symlinkat(target.c_str(), dirFd, name.c_str()) != 0) return failErrno("symlink `" + path + "`");
        if (::fchownat(dirFd, name.c_str(), uid, gid, AT_SYMLINK_NOFOLLOW) != 0) return failErrno("chown `" + path + "`");
        ::utimensat(dirFd, name.c_str(), times, AT_SYMLINK_NOFOLLOW);
        return {};
    }
    return {};  // sockets, fifos, devices: nothing a build copies
}

void hashTree(image::Sha256& h, const fs::path& src, const std::string& name, const std::string& ctxRel,
              const DockerIgnore* ignore, bool withOwners) {
    struct stat st;
    if (::lstat(src.c_str(), &st) != 0) return;
    if (ignore && !ctxRel.empty() && ctxRel != "." && ignore->excluded(ctxRel) && !(S_ISDIR(st.st_mode) && ignore->hasExceptions()))
        return;
    std::string head = fmt::format("{}\x1f{:o}\x1f{}\x1e", name, unsigned(st.st_mode),
                                   withOwners ? fmt::format("{}:{}", st.st_uid, st.st_gid) : std::string());
    h.update(head);
    if (S_ISREG(st.st_mode)) {
        int fd = ::open(src.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) return;
        sys::UniqueFd f(fd);
        char buf[1 << 16];
        ssize_t n;
        h.update(std::to_string(st.st_size));
        while ((n = ::read(fd, buf, sizeof buf)) > 0) h.update(buf, size_t(n));
    } else if (S_ISLNK(st.st_mode)) {
        std::error_code ec;
        h.update(fs::read_symlink(src, ec).string());
    } else if (S_ISDIR(st.st_mode)) {
        for (auto& n : listDir(src))
            hashTree(h, src / n, name + "/" + n, ctxRel.empty() ? "" : joinRel(ctxRel, n), ignore, withOwners);
    }
}

} // namespace

// The directories of `dstPath` that do not exist yet, outermost first ("/home", "/home/a").
static std::vector<std::string> missingDirs(int rootFd, const std::string& dstPath) {
    std::vector<std::string> out;
    std::string p = dstPath;
    while (p.size() > 1 && !runtime::openInRoot(rootFd, p, runtime::Symlinks::FollowInRoot, O_RDONLY | O_DIRECTORY)) {
        out.insert(out.begin(), p);
        auto slash = p.rfind('/');
        p = slash == 0 || slash == std::string::npos ? "/" : p.substr(0, slash);
    }
    return out;
}

// Creates `dstPath` inside the root; with --chown the directories it had to make belong to
// that owner, as BuildKit and buildah do (the classic builder left them to root).
static VoidResult ensureDestination(int rootFd, const std::string& dstPath, const CopyOptions& options) {
    auto missing = options.owner ? missingDirs(rootFd, dstPath) : std::vector<std::string>{};
    BERTH_TRY_CTX(runtime::ensureInRoot(rootFd, dstPath, runtime::NodeKind::Directory, runtime::Symlinks::FollowInRoot),
                  "destination `" + dstPath + "`");
    for (auto& d : missing) {
        auto fd = BERTH_TRY_CTX(runtime::openInRoot(rootFd, d, runtime::Symlinks::FollowInRoot, O_RDONLY | O_DIRECTORY),
                                "destination `" + d + "`");
        if (::fchown(fd.get(), options.owner->first, options.owner->second) != 0) return failErrno("chown `" + d + "`");
    }
    return {};
}

VoidResult copyEntryInto(int rootFd, const std::string& dstPath, const fs::path& src, const std::string& ctxRel,
                         const std::string& name, const CopyOptions& options) {
    BERTH_TRYV(ensureDestination(rootFd, dstPath, options));
    auto real = BERTH_TRY_CTX(runtime::openInRoot(rootFd, dstPath, runtime::Symlinks::FollowInRoot, O_RDONLY | O_DIRECTORY),
                              "destination `" + dstPath + "`");
    return copyInto(rootFd, real.get(), dstPath, src, ctxRel, name, options);
}

VoidResult copyContentsInto(int rootFd, const std::string& dstPath, const fs::path& src, const std::string& ctxRel,
                            const CopyOptions& options) {
    BERTH_TRYV(ensureDestination(rootFd, dstPath, options));
    auto real = BERTH_TRY_CTX(runtime::openInRoot(rootFd, dstPath, runtime::Symlinks::FollowInRoot, O_RDONLY | O_DIRECTORY),
                              "destination `" + dstPath + "`");
    return copyChildren(rootFd, real.get(), dstPath, src, ctxRel, options);
}

Result<std::string> hashSource(const fs::path& src, const std::string& ctxRel, const DockerIgnore* ignore, bool withOwners) {
    image::Sha256 h;
    hashTree(h, src, ".", ctxRel, ignore, withOwners);
    return h.finish().hex();
}

bool hasGlob(std::string_view s) { return s.find_first_of("*?[") != std::string_view::npos; }

std::vector<std::string> expandGlob(const fs::path& root, const std::string& relPattern) {
    if (!hasGlob(relPattern)) return {relPattern};
    // Every directory is opened inside `root` (the context, or a stage's root): a symlink
    // in it resolves there, never to a host directory whose names would be listed.
    sys::UniqueFd rootFd(::open(root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!rootFd) return {};
    std::vector<std::string> parts;
    size_t pos = 0;
    while (pos <= relPattern.size()) {
        size_t slash = relPattern.find('/', pos);
        if (slash == std::string::npos) slash = relPattern.size();
        parts.push_back(relPattern.substr(pos, slash - pos));
        pos = slash + 1;
    }
    std::vector<std::string> current{""};
    for (auto& part : parts) {
        std::vector<std::string> next;
        for (auto& prefix : current) {
            auto dir = runtime::openInRoot(rootFd.get(), "/" + prefix, runtime::Symlinks::FollowInRoot,
                                           O_RDONLY | O_DIRECTORY);
            if (!dir) continue;
            if (!hasGlob(part)) {
                struct stat st;
                if (::fstatat(dir->get(), part.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) next.push_back(joinRel(prefix, part));
                continue;
            }
            for (auto& n : listDirFd(dir->get()))
                if (::fnmatch(part.c_str(), n.c_str(), 0) == 0) next.push_back(joinRel(prefix, n));
        }
        current = std::move(next);
    }
    std::sort(current.begin(), current.end());
    return current;
}

bool isLocalArchive(const fs::path& path) {
    struct archive* a = archive_read_new();
    archive_read_support_filter_all(a);
    archive_read_support_format_tar(a);
    archive_read_support_format_gnutar(a);
    bool ok = false;
    if (archive_read_open_filename(a, path.c_str(), 1 << 16) == ARCHIVE_OK) {
        struct archive_entry* e;
        ok = archive_read_next_header(a, &e) == ARCHIVE_OK;
    }
    archive_read_free(a);
    return ok;
}

} // namespace berth::build
