#include "image/layer_apply.h"
#include "image/layer_apply_rootless.h"
#include "sys/userns.h"

#include "image/compression.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <unordered_map>
#include <unordered_set>
#include <optional>

// How a layer is written safely: every entry's path is cleaned lexically (a leading "/" or
// "./" is dropped, ".." may not climb above the layer root), then its parent directory is
// reached from a directory fd of `dest` one component at a time with O_NOFOLLOW, so a
// symlink met on the way is refused instead of followed. The entry itself is then created
// with the *at() call relative to that parent fd. Nothing the archive says can name a path
// outside `dest`.

namespace berth::image {

namespace fs = std::filesystem;
using sys::UniqueFd;

namespace {

constexpr size_t kMaxPathBytes = 4096;
constexpr std::string_view kWhiteoutPrefix = ".wh.";
constexpr std::string_view kWhiteoutMetaPrefix = ".wh..wh.";
constexpr std::string_view kOpaqueMarker = ".wh..wh..opq";
constexpr const char* kOpaqueXattr = "trusted.overlay.opaque";

std::string quote(std::string_view s) { return "`" + std::string(s) + "`"; }

Error entryError(std::string_view entry, std::string_view what) {
    return Error(Errc::Corrupt, "layer entry " + quote(entry) + ": " + std::string(what));
}
Error entryErrno(std::string_view entry, std::string_view what, int e = errno) {
    return Error::fromErrno("layer entry " + quote(entry) + ": " + std::string(what), e);
}

std::string joinPath(const std::vector<std::string>& comps, size_t count) {
    std::string out;
    for (size_t i = 0; i < count && i < comps.size(); ++i) {
        if (i) out += '/';
        out += comps[i];
    }
    return out;
}

// Lexical clean: drops empty and "." components and a leading "/", resolves ".." against
// what precedes it, and refuses a ".." that would leave the layer.
Result<std::vector<std::string>> cleanPath(std::string_view raw, std::string_view entry,
                                           std::string_view role = "path") {
    if (raw.size() > kMaxPathBytes)
        return fail(entryError(entry, fmt::format("{} is longer than {} bytes", role, kMaxPathBytes)));
    std::vector<std::string> comps;
    size_t pos = 0;
    while (pos <= raw.size()) {
        size_t slash = raw.find('/', pos);
        if (slash == std::string_view::npos) slash = raw.size();
        std::string_view c = raw.substr(pos, slash - pos);
        pos = slash + 1;
        if (c.empty() || c == ".") continue;
        if (c == "..") {
            if (comps.empty())
                return fail(entryError(entry, fmt::format("{} {} leaves the layer (\"..\")", role,
                                                          quote(raw))));
            comps.pop_back();
            continue;
        }
        comps.emplace_back(c);
    }
    return comps;
}

struct Timestamps {
    struct timespec times[2];
};

Timestamps entryTimes(archive_entry* e) {
    Timestamps t{};
    t.times[1].tv_sec = archive_entry_mtime(e);
    t.times[1].tv_nsec = archive_entry_mtime_nsec(e);
    if (archive_entry_atime_is_set(e)) {
        t.times[0].tv_sec = archive_entry_atime(e);
        t.times[0].tv_nsec = archive_entry_atime_nsec(e);
    } else {
        t.times[0] = t.times[1];
    }
    return t;
}

const char* entryPathname(archive_entry* e) {
    const char* p = archive_entry_pathname(e);
    return p ? p : archive_entry_pathname_utf8(e);
}
const char* entryHardlink(archive_entry* e) {
    const char* p = archive_entry_hardlink(e);
    return p ? p : archive_entry_hardlink_utf8(e);
}
const char* entrySymlink(archive_entry* e) {
    const char* p = archive_entry_symlink(e);
    return p ? p : archive_entry_symlink_utf8(e);
}

// Removes `name` in `dirfd` and everything below it, never following a symlink.
VoidResult removeTreeAt(int dirfd, const std::string& name, std::string_view entry) {
    struct stat st;
    if (::fstatat(dirfd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0) {
        if (errno == ENOENT) return {};
        return fail(entryErrno(entry, "stat " + quote(name)));
    }
    if (!S_ISDIR(st.st_mode)) {
        if (::unlinkat(dirfd, name.c_str(), 0) < 0 && errno != ENOENT)
            return fail(entryErrno(entry, "remove " + quote(name)));
        return {};
    }
    int fd = ::openat(dirfd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return fail(entryErrno(entry, "open " + quote(name)));
    DIR* dir = ::fdopendir(fd);
    if (!dir) {
        int e = errno;
        ::close(fd);
        return fail(entryErrno(entry, "read directory " + quote(name), e));
    }
    std::vector<std::string> children;
    while (dirent* d = ::readdir(dir)) {
        std::string_view n = d->d_name;
        if (n != "." && n != "..") children.emplace_back(n);
    }
    for (const auto& c : children) {
        if (auto r = removeTreeAt(::dirfd(dir), c, entry); !r) {
            ::closedir(dir);
            return r;
        }
    }
    ::closedir(dir);
    if (::unlinkat(dirfd, name.c_str(), AT_REMOVEDIR) < 0 && errno != ENOENT)
        return fail(entryErrno(entry, "remove directory " + quote(name)));
    return {};
}

// Feeds libarchive the decompressed layer while hashing it and enforcing the limits.
struct StreamSource {
    DecompressingReader reader;
    const ApplyLimits& limits;
    Sha256 hash;
    std::vector<char> buf = std::vector<char>(size_t(1) << 17);
    std::optional<Error> error;

    Result<size_t> next() {
        size_t n = BERTH_TRY(reader.read(buf.data(), buf.size()));
        hash.update(buf.data(), n);
        uint64_t out = reader.uncompressedBytes();
        uint64_t in = reader.compressedBytes();
        if (out > limits.maxBytes)
            return fail(Errc::Corrupt, fmt::format("layer expands beyond the limit of {} bytes",
                                                   limits.maxBytes));
        if (out > limits.ratioGraceBytes && in > 0 && out / in > limits.maxRatio)
            return fail(Errc::Corrupt,
                        fmt::format("decompression bomb: {} compressed bytes expand to more than {} "
                                    "(ratio over {}:1)",
                                    in, out, limits.maxRatio));
        return n;
    }

    static la_ssize_t readCallback(archive* a, void* client, const void** out) {
        auto* self = static_cast<StreamSource*>(client);
        auto n = self->next();
        if (!n) {
            self->error = n.error();
            archive_set_error(a, EIO, "%s", n.error().message().c_str());
            return -1;
        }
        *out = self->buf.data();
        return la_ssize_t(*n);
    }
};

// The process umask, read without changing it (umask() would, for every thread, for a
// moment). A kernel without the Umask line gets the strictest answer: always fchmod.
mode_t currentUmask() {
    FILE* f = std::fopen("/proc/self/status", "re");
    if (!f) return 07777;
    char line[256];
    mode_t mask = 07777;
    while (std::fgets(line, sizeof line, f)) {
        unsigned value = 0;
        if (std::sscanf(line, "Umask: %o", &value) == 1) {
            mask = mode_t(value);
            break;
        }
    }
    std::fclose(f);
    return mask;
}

class Extractor {
public:
    Extractor(UniqueFd root, const ApplyLimits& limits, std::vector<std::string>& warnings)
        : m_root(std::move(root)), m_limits(limits), m_warnings(warnings), m_umask(currentUmask()),
          m_euid(::geteuid()), m_egid(::getegid()) {
        noteSetgid(m_root.get());
    }

    VoidResult apply(archive* a, archive_entry* e, std::string_view entry);
    VoidResult finish();

private:
    Result<int> parentFd(const std::vector<std::string>& comps, std::string_view entry, bool create);
    VoidResult prepareSlot(int parent, const std::string& name, bool keepDir, std::string_view entry);
    VoidResult writeFile(archive* a, archive_entry* e, int parent, const std::string& name,
                         std::string_view entry);
    VoidResult makeDir(archive_entry* e, int parent, const std::string& name,
                       const std::vector<std::string>& comps, std::string_view entry);
    VoidResult makeHardlink(archive_entry* e, int parent, const std::string& name,
                            const std::vector<std::string>& comps, std::string_view entry);
    VoidResult makeWhiteout(archive_entry* e, int parent, const std::string& target,
                            std::string_view entry);
    VoidResult makeOpaque(const std::vector<std::string>& dirComps, std::string_view entry);
    VoidResult chownEntry(int fd, const char* name, archive_entry* e, std::string_view entry);
    VoidResult setXattrs(archive_entry* e, int fd, int parent, const std::string& name,
                         std::string_view entry);
    // Remembers whether the directory open as `fd` has the set-group-id bit (a file created
    // in it takes the directory's group, not ours).
    void noteSetgid(int fd) {
        struct stat st;
        if (::fstat(fd, &st) < 0 || (st.st_mode & S_ISGID)) m_setgidDirs.insert(fd);
        else m_setgidDirs.erase(fd);
    }
    void dropDirCache() {
        for (auto& [path, fd] : m_dirCache) m_setgidDirs.erase(fd.get());
        m_dirCache.clear();
    }

    UniqueFd m_root;
    const ApplyLimits& m_limits;
    std::vector<std::string>& m_warnings;
    // The parent of the previous entry: archives list siblings together.
    // Directories opened on the way to entries, by path: layers often interleave entries of
    // many directories (one file here, the next one there), and walking from the root for
    // each entry costs one openat per level. Bounded; dropped whole when a directory is
    // replaced, since a cached fd could then point below the removed tree.
    static constexpr size_t kMaxCachedDirs = 512;
    std::unordered_map<std::string, UniqueFd> m_dirCache;
    bool m_cacheStale = false;
    // Directory times are set last: creating entries inside a directory changes its mtime.
    std::map<std::string, Timestamps> m_dirTimes;
    mode_t m_umask;
    // A new file belongs to (m_euid, m_egid) unless its directory is set-group-id; its chown
    // is skipped when that is already the entry's owner (one syscall fewer per file).
    uid_t m_euid;
    gid_t m_egid;
    std::unordered_set<int> m_setgidDirs;  // open directory fds (root and cache) with S_ISGID
};

// Opens (O_PATH) the directory holding the last component of `comps`, refusing symlinks
// and non-directories on the way, creating missing directories when `create`.
Result<int> Extractor::parentFd(const std::vector<std::string>& comps, std::string_view entry,
                                bool create) {
    size_t depth = comps.empty() ? 0 : comps.size() - 1;
    if (depth == 0) return m_root.get();
    if (m_cacheStale || m_dirCache.size() >= kMaxCachedDirs) {
        dropDirCache();
        m_cacheStale = false;
    }
    std::string key = joinPath(comps, depth);
    if (auto it = m_dirCache.find(key); it != m_dirCache.end()) return it->second.get();

    // Start from the deepest ancestor already open.
    size_t start = depth - 1;
    int curFd = m_root.get();
    for (; start > 0; --start) {
        if (auto it = m_dirCache.find(joinPath(comps, start)); it != m_dirCache.end()) {
            curFd = it->second.get();
            break;
        }
    }
    for (size_t i = start; i < depth; ++i) {
        const std::string& c = comps[i];
        int fd = ::openat(curFd, c.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0 && errno == ENOENT && create) {
            if (::mkdirat(curFd, c.c_str(), 0755) < 0 && errno != EEXIST)
                return fail(entryErrno(entry, "create parent directory " + quote(joinPath(comps, i + 1))));
            fd = ::openat(curFd, c.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        }
        if (fd < 0) {
            int err = errno;
            std::string sofar = joinPath(comps, i + 1);
            if (err == ENOTDIR || err == ELOOP) {
                struct stat st;
                if (::fstatat(curFd, c.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
                    return fail(entryError(entry, "refusing to write through symlink " + quote(sofar)));
                return fail(entryError(entry, "parent " + quote(sofar) + " is not a directory"));
            }
            if (err == ENOENT)
                return fail(entryError(entry, "parent " + quote(sofar) + " does not exist in the layer"));
            return fail(entryErrno(entry, "open parent " + quote(sofar), err));
        }
        auto& slot = m_dirCache[joinPath(comps, i + 1)];
        if (slot) m_setgidDirs.erase(slot.get());
        slot.reset(fd);
        noteSetgid(fd);
        curFd = fd;
    }
    return curFd;
}

// Makes room for a new entry called `name`: a directory meeting a directory is merged
// (kept), anything else already there is replaced.
VoidResult Extractor::prepareSlot(int parent, const std::string& name, bool keepDir,
                                  std::string_view entry) {
    struct stat st;
    if (::fstatat(parent, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0) {
        if (errno == ENOENT) return {};
        return fail(entryErrno(entry, "stat"));
    }
    if (S_ISDIR(st.st_mode)) {
        if (keepDir) return {};
        // The cached parent may live below the directory about to go. It is dropped on the
        // next lookup, not now: the caller still holds this entry's parent fd.
        m_cacheStale = true;
    }
    return removeTreeAt(parent, name, entry);
}

VoidResult Extractor::chownEntry(int fd, const char* name, archive_entry* e, std::string_view entry) {
    uid_t uid = uid_t(archive_entry_uid(e));
    gid_t gid = gid_t(archive_entry_gid(e));
    int rc = name ? ::fchownat(fd, name, uid, gid, AT_SYMLINK_NOFOLLOW) : ::fchown(fd, uid, gid);
    if (rc == 0) return {};
    if ((errno == EPERM || errno == EINVAL) && m_limits.ownersBestEffort) {
        m_warnings.push_back(fmt::format("layer entry {}: owner {}:{} not kept ({})", quote(entry),
                                         uid, gid, std::strerror(errno)));
        return {};
    }
    return fail(entryErrno(entry, fmt::format("chown {}:{}", uid, gid)));
}

// Sets the entry's extended attributes. With `fd` >= 0 through it; otherwise by path via
// the parent's /proc/self/fd link (symlinks and device nodes cannot be opened safely).
VoidResult Extractor::setXattrs(archive_entry* e, int fd, int parent, const std::string& name,
                                std::string_view entry) {
    if (archive_entry_xattr_reset(e) == 0) return {};
    const char* key = nullptr;
    const void* value = nullptr;
    size_t size = 0;
    std::string procPath = fmt::format("/proc/self/fd/{}/{}", parent, name);
    while (archive_entry_xattr_next(e, &key, &value, &size) == ARCHIVE_OK) {
        std::string_view k = key ? key : "";
        if (k.empty()) continue;
        // overlayfs reads its own xattrs as instructions (opaque, redirect, metacopy); only
        // this code may set them, from whiteout entries.
        if (k.starts_with("trusted.overlay.") || k.starts_with("user.overlay.")) {
            m_warnings.push_back(fmt::format("layer entry {}: ignored overlay xattr {}", quote(entry), k));
            continue;
        }
        int rc = fd >= 0 ? ::fsetxattr(fd, key, value, size, 0)
                         : ::lsetxattr(procPath.c_str(), key, value, size, 0);
        if (rc == 0) continue;
        int err = errno;
        if (err == EPERM || err == ENOTSUP || err == EACCES) {
            // security.* (SELinux labels, capabilities) the file system or our privileges
            // refuse carry no meaning here; other namespaces are worth a note.
            if (!k.starts_with("security."))
                m_warnings.push_back(fmt::format("layer entry {}: xattr {} not kept ({})", quote(entry),
                                                 k, std::strerror(err)));
            continue;
        }
        return fail(entryErrno(entry, "set xattr " + std::string(k), err));
    }
    return {};
}

VoidResult Extractor::writeFile(archive* a, archive_entry* e, int parent, const std::string& name,
                                std::string_view entry) {
    // Syscalls per file matter (a layer may hold 100,000 files), so the common case skips
    // what it can: no stat before the create (O_EXCL tells us when something is in the way,
    // and only then is the slot prepared), the final mode given to the create when the
    // umask cannot change it and no set-id or sticky bit needs re-applying after the chown, no
    // chown when the create already gave the entry's owner (root extracting root's files),
    // and no ftruncate unless the data blocks stopped short of the size (a sparse file's hole).
    mode_t mode = archive_entry_mode(e) & 07777;
    bool modeAtCreate = (mode & 07000) == 0 && (mode & m_umask) == 0;
    int flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
    mode_t createMode = modeAtCreate ? mode : 0600;
    UniqueFd fd(::openat(parent, name.c_str(), flags, createMode));
    if (!fd && errno == EEXIST) {
        BERTH_TRYV(prepareSlot(parent, name, false, entry));
        fd.reset(::openat(parent, name.c_str(), flags, createMode));
    }
    if (!fd) return fail(entryErrno(entry, "create file"));
    const void* block = nullptr;
    size_t size = 0;
    la_int64_t offset = 0;
    la_int64_t end = 0;
    for (;;) {
        int rc = archive_read_data_block(a, &block, &size, &offset);
        if (rc == ARCHIVE_EOF) break;
        if (rc < ARCHIVE_WARN)
            return fail(entryError(entry, archive_error_string(a) ? archive_error_string(a) : "read failed"));
        const char* p = static_cast<const char*>(block);
        while (size > 0) {
            ssize_t n = ::pwrite(fd.get(), p, size, offset);
            if (n < 0) {
                if (errno == EINTR) continue;
                return fail(entryErrno(entry, "write"));
            }
            p += n;
            size -= size_t(n);
            offset += n;
        }
        end = std::max(end, offset);
    }
    // Sparse files end in a hole the data blocks do not cover.
    if (archive_entry_size_is_set(e) && archive_entry_size(e) != end &&
        ::ftruncate(fd.get(), archive_entry_size(e)) < 0)
        return fail(entryErrno(entry, "truncate"));
    bool ownedAlready = uid_t(archive_entry_uid(e)) == m_euid && gid_t(archive_entry_gid(e)) == m_egid &&
                        !m_setgidDirs.contains(parent);
    if (!ownedAlready) BERTH_TRYV(chownEntry(fd.get(), nullptr, e, entry));
    if (!modeAtCreate && ::fchmod(fd.get(), mode) < 0) return fail(entryErrno(entry, "chmod"));
    BERTH_TRYV(setXattrs(e, fd.get(), parent, name, entry));
    Timestamps t = entryTimes(e);
    if (::futimens(fd.get(), t.times) < 0) return fail(entryErrno(entry, "set times"));
    return {};
}

VoidResult Extractor::makeDir(archive_entry* e, int parent, const std::string& name,
                              const std::vector<std::string>& comps, std::string_view entry) {
    UniqueFd fd;
    if (comps.empty()) {
        fd.reset(::openat(m_root.get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    } else {
        BERTH_TRYV(prepareSlot(parent, name, true, entry));
        if (::mkdirat(parent, name.c_str(), 0700) < 0 && errno != EEXIST)
            return fail(entryErrno(entry, "create directory"));
        fd.reset(::openat(parent, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    }
    if (!fd) return fail(entryErrno(entry, "open directory"));
    BERTH_TRYV(chownEntry(fd.get(), nullptr, e, entry));
    if (::fchmod(fd.get(), archive_entry_mode(e) & 07777) < 0) return fail(entryErrno(entry, "chmod"));
    // A directory open already (the root, or cached as a parent) may just have gained or
    // lost its set-group-id bit.
    if (comps.empty()) {
        noteSetgid(m_root.get());
    } else if (auto it = m_dirCache.find(joinPath(comps, comps.size())); it != m_dirCache.end()) {
        noteSetgid(it->second.get());
    }
    BERTH_TRYV(setXattrs(e, fd.get(), parent, name, entry));
    m_dirTimes[joinPath(comps, comps.size())] = entryTimes(e);
    return {};
}

VoidResult Extractor::makeHardlink(archive_entry* e, int parent, const std::string& name,
                                   const std::vector<std::string>& comps, std::string_view entry) {
    std::string_view rawTarget = entryHardlink(e);
    auto target = BERTH_TRY(cleanPath(rawTarget, entry, "hard link target"));
    if (target.empty()) return fail(entryError(entry, "hard link to the layer root"));
    if (target == comps) return fail(entryError(entry, "hard link to itself"));
    std::string targetPath = joinPath(target, target.size());
    // The target must be something this layer already wrote: look it up without creating
    // or following anything. (parentFd may replace the cache, so keep our own parent.)
    UniqueFd ownParent(::openat(parent, ".", O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!ownParent) return fail(entryErrno(entry, "reopen parent"));
    auto tparent = parentFd(target, entry, false);
    if (!tparent) {
        std::string why = tparent.error().message();
        std::string prefix = "layer entry " + quote(entry) + ": ";
        if (why.starts_with(prefix)) why.erase(0, prefix.size());
        return fail(entryError(entry, "hard link target " + quote(targetPath) + " is not in the layer (" +
                                          why + ")"));
    }
    struct stat st;
    if (::fstatat(*tparent, target.back().c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0) {
        if (errno == ENOENT)
            return fail(entryError(entry, "hard link target " + quote(targetPath) +
                                              " is not in the layer (it must come earlier in the archive)"));
        return fail(entryErrno(entry, "stat hard link target " + quote(targetPath)));
    }
    if (S_ISDIR(st.st_mode))
        return fail(entryError(entry, "hard link target " + quote(targetPath) + " is a directory"));
    UniqueFd tparentOwn(::openat(*tparent, ".", O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!tparentOwn) return fail(entryErrno(entry, "reopen hard link target directory"));
    BERTH_TRYV(prepareSlot(ownParent.get(), name, false, entry));
    if (::linkat(tparentOwn.get(), target.back().c_str(), ownParent.get(), name.c_str(), 0) < 0)
        return fail(entryErrno(entry, "hard link to " + quote(targetPath)));
    return {};
}

VoidResult Extractor::makeWhiteout(archive_entry* e, int parent, const std::string& target,
                                   std::string_view entry) {
    BERTH_TRYV(prepareSlot(parent, target, false, entry));
    if (::mknodat(parent, target.c_str(), S_IFCHR | 0, makedev(0, 0)) < 0)
        return fail(entryErrno(entry, "create whiteout device for " + quote(target)));
    if (::fchownat(parent, target.c_str(), 0, 0, AT_SYMLINK_NOFOLLOW) < 0 && !m_limits.ownersBestEffort)
        return fail(entryErrno(entry, "chown whiteout"));
    // The entry's time, so that writing the layer back out gives the same bytes.
    Timestamps t = entryTimes(e);
    if (::utimensat(parent, target.c_str(), t.times, AT_SYMLINK_NOFOLLOW) < 0)
        return fail(entryErrno(entry, "set whiteout times"));
    return {};
}

VoidResult Extractor::makeOpaque(const std::vector<std::string>& dirComps, std::string_view entry) {
    UniqueFd dir;
    if (dirComps.empty()) {
        dir.reset(::openat(m_root.get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    } else {
        // parentFd opens the parent of its last component; give it a dummy last one.
        std::vector<std::string> withChild = dirComps;
        withChild.emplace_back(".");
        int fd = BERTH_TRY(parentFd(withChild, entry, true));
        dir.reset(::openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    }
    if (!dir) return fail(entryErrno(entry, "open opaque directory"));
    // In a user namespace trusted.* is out of reach: overlayfs mounted there with
    // "userxattr" (rootless) reads the user.overlay.* names instead.
    const char* opaque = m_limits.inUserNamespace ? "user.overlay.opaque" : kOpaqueXattr;
    if (::fsetxattr(dir.get(), opaque, "y", 1, 0) < 0)
        return fail(entryErrno(entry, fmt::format("set {}", opaque)));
    return {};
}

VoidResult Extractor::apply(archive* a, archive_entry* e, std::string_view entry) {
    auto comps = BERTH_TRY(cleanPath(entry, entry));
    const char* hardlink = entryHardlink(e);
    mode_t type = archive_entry_filetype(e);

    if (comps.empty()) {
        // "./": the layer root itself; only its metadata can be applied.
        if (type == AE_IFDIR && !hardlink) return makeDir(e, m_root.get(), ".", comps, entry);
        return fail(entryError(entry, "names the layer root but is not a directory"));
    }

    const std::string& base = comps.back();
    if (base.starts_with(kWhiteoutPrefix)) {
        std::vector<std::string> dirComps(comps.begin(), comps.end() - 1);
        if (base == kOpaqueMarker) return makeOpaque(dirComps, entry);
        if (base.starts_with(kWhiteoutMetaPrefix)) {
            // Other ".wh..wh." names are aufs bookkeeping, never content.
            m_warnings.push_back("layer entry " + quote(entry) + ": aufs metadata skipped");
            return {};
        }
        std::string target = base.substr(kWhiteoutPrefix.size());
        if (target.empty() || target == "." || target == "..")
            return fail(entryError(entry, "whiteout names " + quote(target.empty() ? "" : target) +
                                              ", which is not a file name"));
        int parent = BERTH_TRY(parentFd(comps, entry, true));
        return makeWhiteout(e, parent, target, entry);
    }

    int parent = BERTH_TRY(parentFd(comps, entry, true));
    if (hardlink) return makeHardlink(e, parent, base, comps, entry);

    switch (type) {
    case AE_IFREG: return writeFile(a, e, parent, base, entry);
    case AE_IFDIR: return makeDir(e, parent, base, comps, entry);
    case AE_IFLNK: {
        const char* target = entrySymlink(e);
        if (!target || !*target) return fail(entryError(entry, "symlink with an empty target"));
        BERTH_TRYV(prepareSlot(parent, base, false, entry));
        // Stored verbatim: an absolute target is fine as a target; it is never followed here.
        if (::symlinkat(target, parent, base.c_str()) < 0) return fail(entryErrno(entry, "create symlink"));
        BERTH_TRYV(chownEntry(parent, base.c_str(), e, entry));
        BERTH_TRYV(setXattrs(e, -1, parent, base, entry));
        Timestamps t = entryTimes(e);
        if (::utimensat(parent, base.c_str(), t.times, AT_SYMLINK_NOFOLLOW) < 0)
            return fail(entryErrno(entry, "set symlink times"));
        return {};
    }
    case AE_IFCHR:
    case AE_IFBLK:
    case AE_IFIFO: {
        if (type != AE_IFIFO && !m_limits.allowDevices)
            return fail(entryError(entry, "device nodes are not allowed in this layer"));
        BERTH_TRYV(prepareSlot(parent, base, false, entry));
        dev_t dev = type == AE_IFIFO ? 0 : makedev(archive_entry_rdevmajor(e), archive_entry_rdevminor(e));
        if (::mknodat(parent, base.c_str(), type | 0600, dev) < 0) {
            // A user namespace may not make devices (containers get /dev from the runtime).
            if (errno == EPERM && type != AE_IFIFO && m_limits.inUserNamespace) {
                m_warnings.push_back(fmt::format("layer entry {}: device node skipped (rootless)", quote(entry)));
                return {};
            }
            return fail(entryErrno(entry, type == AE_IFIFO ? "create fifo" : "create device node"));
        }
        BERTH_TRYV(chownEntry(parent, base.c_str(), e, entry));
        // Not a symlink (just made), so fchmodat's lack of a no-follow flag is harmless.
        if (::fchmodat(parent, base.c_str(), archive_entry_mode(e) & 07777, 0) < 0)
            return fail(entryErrno(entry, "chmod"));
        BERTH_TRYV(setXattrs(e, -1, parent, base, entry));
        Timestamps t = entryTimes(e);
        if (::utimensat(parent, base.c_str(), t.times, AT_SYMLINK_NOFOLLOW) < 0)
            return fail(entryErrno(entry, "set times"));
        return {};
    }
    case AE_IFSOCK:
        m_warnings.push_back("layer entry " + quote(entry) + ": socket skipped");
        return {};
    default:
        return fail(entryError(entry, fmt::format("unsupported entry type {:o}", unsigned(type))));
    }
}

VoidResult Extractor::finish() {
    for (const auto& [path, t] : m_dirTimes) {
        auto comps = BERTH_TRY(cleanPath(path, path));
        if (comps.empty()) {
            if (::futimens(m_root.get(), t.times) < 0) return fail(entryErrno(".", "set times"));
            continue;
        }
        auto parent = parentFd(comps, path, false);
        if (!parent) continue;  // replaced later in the archive by something else
        struct stat st;
        if (::fstatat(*parent, comps.back().c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(st.st_mode))
            continue;
        if (::utimensat(*parent, comps.back().c_str(), t.times, AT_SYMLINK_NOFOLLOW) < 0)
            return fail(entryErrno(path, "set directory times"));
    }
    return {};
}

Result<UniqueFd> openEmptyDest(const fs::path& dest) {
    UniqueFd fd(::open(dest.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd) return failErrno("open layer directory " + quote(dest.string()));
    int dupFd = ::fcntl(fd.get(), F_DUPFD_CLOEXEC, 0);
    if (dupFd < 0) return failErrno("dup");
    DIR* dir = ::fdopendir(dupFd);
    if (!dir) {
        ::close(dupFd);
        return failErrno("read layer directory " + quote(dest.string()));
    }
    bool empty = true;
    while (dirent* d = ::readdir(dir)) {
        std::string_view n = d->d_name;
        if (n != "." && n != "..") {
            empty = false;
            break;
        }
    }
    ::closedir(dir);
    if (!empty)
        return fail(Errc::InvalidArgument, "layer directory " + quote(dest.string()) + " is not empty");
    return fd;
}

} // namespace

namespace {

Result<ApplyResult> applyFrom(ByteSource input, const fs::path& dest, const ApplyLimits& limits) {
    UniqueFd root = BERTH_TRY(openEmptyDest(dest));
    StreamSource src{BERTH_TRY(DecompressingReader::open(std::move(input))), limits};
    ApplyResult result;
    result.compression = compressionName(src.reader.compression());

    std::unique_ptr<archive, decltype(&archive_read_free)> a(archive_read_new(), archive_read_free);
    if (!a) return fail(Errc::Internal, "archive_read_new failed");
    archive_read_support_format_tar(a.get());
    archive_read_support_format_empty(a.get());

    // Prefers the stream's own error (a truncated gzip, a bomb) over libarchive's echo of it.
    auto archiveError = [&](std::string_view entry) -> Error {
        std::string where = entry.empty() ? std::string("layer") : "layer entry " + quote(entry);
        if (src.error) return src.error->withContext(where);
        const char* msg = archive_error_string(a.get());
        return Error(Errc::Corrupt, where + ": " + (msg ? msg : "unreadable tar data"));
    };

    if (archive_read_open(a.get(), &src, nullptr, &StreamSource::readCallback, nullptr) != ARCHIVE_OK)
        return fail(archiveError(""));

    Extractor extractor(std::move(root), limits, result.warnings);
    std::string entry;
    for (;;) {
        archive_entry* e = nullptr;
        int rc = archive_read_next_header(a.get(), &e);
        if (rc == ARCHIVE_EOF) break;
        if (rc < ARCHIVE_WARN) return fail(archiveError(entry.empty() ? "" : entry + " (or the one after it)"));
        const char* name = entryPathname(e);
        entry = name ? name : "";
        if (entry.empty()) return fail(Error(Errc::Corrupt, "layer: entry without a name"));
        if (++result.entries > limits.maxEntries)
            return fail(entryError(entry, fmt::format("too many entries (limit {})", limits.maxEntries)));
        auto applied = extractor.apply(a.get(), e, entry);
        if (!applied) {
            // A data read failure inside apply() is libarchive reporting our stream's error.
            if (src.error) return fail(archiveError(entry));
            return fail(std::move(applied).error());
        }
    }
    BERTH_TRYV(extractor.finish());

    // The diff id covers the whole uncompressed stream, including padding after the tar's
    // end marker that libarchive never asks for.
    for (;;) {
        auto n = src.next();
        if (!n) return fail(n.error().withContext("layer"));
        if (*n == 0) break;
    }
    result.diffId = src.hash.finish();
    result.compressedBytes = src.reader.compressedBytes();
    result.uncompressedBytes = src.reader.uncompressedBytes();
    return result;
}

} // namespace

Result<ApplyResult> applyLayer(sys::BorrowedFd input, const fs::path& dest, const ApplyLimits& limits) {
    // Rootless: extract inside the user namespace, so owners are the image's (mapped ids).
    if (!limits.inUserNamespace && limits.rootless) return applyLayerInUserNamespace(input, dest, limits);
    int fd = input.get();
    return applyFrom(
        [fd](void* buf, size_t len) -> Result<size_t> {
            for (;;) {
                ssize_t n = ::read(fd, buf, len);
                if (n >= 0) return size_t(n);
                if (errno != EINTR) return failErrno("read layer");
            }
        },
        dest, limits);
}

Result<ApplyResult> applyLayer(ByteSource input, const fs::path& dest, const ApplyLimits& limits) {
    if (!limits.inUserNamespace && limits.rootless)
        return fail(Errc::Unsupported, "apply layer into " + quote(dest.string()) +
                                           ": a streamed layer cannot be handed to the rootless helper");
    return applyFrom(std::move(input), dest, limits);
}

} // namespace berth::image
