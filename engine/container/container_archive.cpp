// docker cp's stat, tar out and tar in, confined to a root fd (see container_archive.h).
#include "container/container_archive.h"

#include "runtime/safe_path.h"
#include "sys/unique_fd.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <vector>

namespace berth::container {

namespace {

using sys::UniqueFd;
using runtime::Symlinks;

std::string quote(std::string_view s) { return "`" + std::string(s) + "`"; }

// "/a/b/" -> ("/a", "b"); "/" -> ("/", "/"); "/a/." -> ("/a", ".").
std::pair<std::string, std::string> splitPath(const std::string& path) {
    std::string p = path.empty() ? "/" : path;
    if (p.front() != '/') p = "/" + p;
    bool dotEnd = p.size() >= 2 && p.ends_with("/.");
    while (p.size() > 1 && p.back() == '/') p.pop_back();
    if (dotEnd) return {p.substr(0, p.size() - 2).empty() ? "/" : p.substr(0, p.size() - 2), "."};
    if (p == "/") return {"/", "/"};
    size_t slash = p.rfind('/');
    return {slash == 0 ? "/" : p.substr(0, slash), p.substr(slash + 1)};
}

// The directory that holds `path`'s last component, opened in the root.
Result<UniqueFd> openParent(int rootFd, const std::string& parent) {
    return runtime::openInRoot(rootFd, parent, Symlinks::FollowInRoot, O_RDONLY | O_DIRECTORY);
}

// ---- tar out --------------------------------------------------------------------------

struct FdSink {
    int fd;
    static la_ssize_t write(archive* a, void* client, const void* buf, size_t len) {
        auto* self = static_cast<FdSink*>(client);
        const char* p = static_cast<const char*>(buf);
        size_t done = 0;
        while (done < len) {
            ssize_t n = ::write(self->fd, p + done, len - done);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) {
                archive_set_error(a, errno, "write the tar: %s", std::strerror(errno));
                return -1;
            }
            done += size_t(n);
        }
        return la_ssize_t(len);
    }
};

using ArchivePtr = std::unique_ptr<archive, int (*)(archive*)>;
using EntryPtr = std::unique_ptr<archive_entry, decltype(&archive_entry_free)>;

class TarOut {
public:
    explicit TarOut(archive* a) : m_a(a) {}
    VoidResult write(int dirFd, const std::string& name, const std::string& entryName);

private:
    VoidResult header(archive_entry* e, const std::string& entryName) {
        if (archive_write_header(m_a, e) < ARCHIVE_WARN) return fail(error(entryName));
        return {};
    }
    Error error(const std::string& entryName) const {
        const char* m = archive_error_string(m_a);
        return Error(Errc::Io, "tar " + quote(entryName) + ": " + (m ? m : "write failed"));
    }
    VoidResult data(int fd, int64_t size, const std::string& entryName);
    VoidResult directory(int dirFd, const std::string& name, const std::string& entryName);

    archive* m_a;
    std::map<std::pair<dev_t, ino_t>, std::string> m_links;
};

VoidResult TarOut::data(int fd, int64_t size, const std::string& entryName) {
    std::vector<char> buf(size_t(1) << 17);
    for (int64_t left = size; left > 0;) {
        ssize_t n = ::read(fd, buf.data(), size_t(std::min<int64_t>(left, int64_t(buf.size()))));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return failErrno("read " + quote(entryName));
        if (n == 0) {
            // Shrunk while read (a running container writes it): pad, as tar must.
            std::fill(buf.begin(), buf.end(), '\0');
            n = ssize_t(std::min<int64_t>(left, int64_t(buf.size())));
        }
        if (archive_write_data(m_a, buf.data(), size_t(n)) < 0) return fail(error(entryName));
        left -= n;
    }
    return {};
}

VoidResult TarOut::directory(int dirFd, const std::string& name, const std::string& entryName) {
    UniqueFd dir(::openat(dirFd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!dir) return failErrno("open " + quote(entryName));
    int listFd = ::dup(dir.get());
    DIR* d = listFd >= 0 ? ::fdopendir(listFd) : nullptr;
    if (!d) {
        if (listFd >= 0) ::close(listFd);
        return failErrno("list " + quote(entryName));
    }
    std::vector<std::string> names;
    while (dirent* e = ::readdir(d)) {
        std::string n = e->d_name;
        if (n != "." && n != "..") names.push_back(n);
    }
    ::closedir(d);
    std::sort(names.begin(), names.end());
    for (const std::string& n : names)
        BERTH_TRYV(write(dir.get(), n, entryName == "." ? n : entryName + "/" + n));
    return {};
}

VoidResult TarOut::write(int dirFd, const std::string& name, const std::string& entryName) {
    struct stat st{};
    if (::fstatat(dirFd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return failErrno("stat " + quote(entryName));
    if (S_ISSOCK(st.st_mode)) return {};  // docker leaves sockets out too
    EntryPtr e(archive_entry_new(), archive_entry_free);
    archive_entry_copy_pathname(e.get(), entryName.c_str());
    archive_entry_set_uid(e.get(), st.st_uid);
    archive_entry_set_gid(e.get(), st.st_gid);
    archive_entry_set_perm(e.get(), st.st_mode & 07777);
    archive_entry_set_mtime(e.get(), st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    if (!S_ISDIR(st.st_mode) && st.st_nlink > 1) {
        auto key = std::make_pair(st.st_dev, st.st_ino);
        if (auto it = m_links.find(key); it != m_links.end()) {
            archive_entry_set_filetype(e.get(), AE_IFREG);
            archive_entry_copy_hardlink(e.get(), it->second.c_str());
            return header(e.get(), entryName);
        }
        m_links[key] = entryName;
    }
    if (S_ISDIR(st.st_mode)) {
        archive_entry_set_filetype(e.get(), AE_IFDIR);
        if (entryName != ".") BERTH_TRYV(header(e.get(), entryName));
        return directory(dirFd, name, entryName);
    }
    if (S_ISLNK(st.st_mode)) {
        char target[4096];
        ssize_t n = ::readlinkat(dirFd, name.c_str(), target, sizeof target - 1);
        if (n < 0) return failErrno("readlink " + quote(entryName));
        target[n] = 0;
        archive_entry_set_filetype(e.get(), AE_IFLNK);
        archive_entry_copy_symlink(e.get(), target);
        return header(e.get(), entryName);
    }
    if (S_ISREG(st.st_mode)) {
        UniqueFd fd(::openat(dirFd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
        if (!fd) return failErrno("open " + quote(entryName));
        archive_entry_set_filetype(e.get(), AE_IFREG);
        archive_entry_set_size(e.get(), st.st_size);
        BERTH_TRYV(header(e.get(), entryName));
        return data(fd.get(), st.st_size, entryName);
    }
    // FIFOs and device nodes: their headers, no data.
    archive_entry_set_filetype(e.get(), st.st_mode & S_IFMT);
    archive_entry_set_rdev(e.get(), st.st_rdev);
    return header(e.get(), entryName);
}

// ---- tar in ---------------------------------------------------------------------------

// A tar entry's name inside the destination: "/x" and "./x" are "x"; ".." that climbs
// above the destination is an error. "" is the destination itself.
Result<std::string> confinedName(const char* raw) {
    std::string name = raw ? raw : "";
    std::filesystem::path p = std::filesystem::path(name).relative_path().lexically_normal();
    std::string s = p.string();
    while (!s.empty() && s.back() == '/') s.pop_back();
    if (s == ".") s.clear();
    if (s == ".." || s.starts_with("../"))
        return fail(Errc::InvalidArgument, "tar entry " + quote(name) + " climbs out of the destination: refused");
    return s;
}

// `name` with its first component `from` replaced by `to` (docker's RebaseArchiveEntries).
std::string renamed(const std::string& name, const std::string& from, const std::string& to) {
    if (from.empty() || from == to) return name;
    if (name == from) return to;
    if (name.starts_with(from + "/")) return to + name.substr(from.size());
    return name;
}

class TarIn {
public:
    TarIn(archive* a, int rootFd, std::string dest, const ExtractOptions& o)
        : m_a(a), m_root(rootFd), m_dest(std::move(dest)), m_options(o) {}
    VoidResult entry(archive_entry* e);

private:
    // An entry's (or a hard link target's) name in the destination, renamed as asked and
    // confined again after the renaming.
    Result<std::string> nameOf(const char* raw) const {
        auto name = BERTH_TRY(confinedName(raw));
        if (m_options.renameFrom.empty()) return name;
        return confinedName(renamed(name, m_options.renameFrom, m_options.renameTo).c_str());
    }
    VoidResult make(int parent, const std::string& base, archive_entry* e, const std::string& name);
    VoidResult replace(int parent, const std::string& base, bool wantDir, const std::string& name);
    VoidResult finish(int fd, archive_entry* e, const std::string& name, bool symlink, int parent,
                      const std::string& base);
    VoidResult fileData(int fd, const std::string& name);

    archive* m_a;
    int m_root;
    std::string m_dest;
    ExtractOptions m_options;
};

VoidResult TarIn::replace(int parent, const std::string& base, bool wantDir, const std::string& name) {
    struct stat st{};
    if (::fstatat(parent, base.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return {};  // nothing there
    bool isDir = S_ISDIR(st.st_mode);
    if (isDir && wantDir) return {};
    if (isDir != wantDir && m_options.noOverwriteDirNonDir)
        return fail(Errc::Conflict, fmt::format("cannot overwrite {} {} with {}", isDir ? "directory" : "non-directory",
                                                quote(name), wantDir ? "a directory" : "a non-directory"));
    if (::unlinkat(parent, base.c_str(), isDir ? AT_REMOVEDIR : 0) != 0)
        return failErrno(fmt::format("replace {}", quote(name)));
    return {};
}

VoidResult TarIn::fileData(int fd, const std::string& name) {
    const void* buf;
    size_t size;
    la_int64_t offset;
    for (;;) {
        int r = archive_read_data_block(m_a, &buf, &size, &offset);
        if (r == ARCHIVE_EOF) return {};
        if (r < ARCHIVE_WARN)
            return fail(Errc::Corrupt, "tar entry " + quote(name) + ": " + archive_error_string(m_a));
        if (::lseek(fd, offset, SEEK_SET) < 0) return failErrno("write " + quote(name));
        for (size_t done = 0; done < size;) {
            ssize_t n = ::write(fd, static_cast<const char*>(buf) + done, size - done);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) return failErrno("write " + quote(name));
            done += size_t(n);
        }
    }
}

VoidResult TarIn::finish(int fd, archive_entry* e, const std::string& name, bool symlink, int parent,
                         const std::string& base) {
    uid_t uid = m_options.keepOwners ? uid_t(archive_entry_uid(e)) : m_options.ownerUid;
    gid_t gid = m_options.keepOwners ? gid_t(archive_entry_gid(e)) : m_options.ownerGid;
    timespec times[2] = {{archive_entry_mtime(e), archive_entry_mtime_nsec(e)},
                         {archive_entry_mtime(e), archive_entry_mtime_nsec(e)}};
    if (symlink) {
        // The link itself, never what it names.
        if (::fchownat(parent, base.c_str(), uid, gid, AT_SYMLINK_NOFOLLOW) != 0 && errno != EPERM)
            return failErrno("chown " + quote(name));
        ::utimensat(parent, base.c_str(), times, AT_SYMLINK_NOFOLLOW);
        return {};
    }
    if (::fchown(fd, uid, gid) != 0 && errno != EPERM) return failErrno("chown " + quote(name));
    if (::fchmod(fd, archive_entry_perm(e)) != 0) return failErrno("chmod " + quote(name));
    ::futimens(fd, times);
    return {};
}

VoidResult TarIn::make(int parent, const std::string& base, archive_entry* e, const std::string& name) {
    mode_t type = archive_entry_filetype(e);
    if (const char* hard = archive_entry_hardlink(e)) {
        auto target = BERTH_TRY(nameOf(hard));
        auto [tdir, tbase] = splitPath("/" + target);
        auto targetParent = BERTH_TRY(runtime::openInRoot(m_root, m_dest + tdir, Symlinks::FollowInRoot,
                                                          O_PATH | O_DIRECTORY));
        BERTH_TRYV(replace(parent, base, false, name));
        if (::linkat(targetParent.get(), tbase.c_str(), parent, base.c_str(), 0) != 0)
            return failErrno("link " + quote(name) + " to " + quote(target));
        return {};
    }
    if (type == AE_IFDIR) {
        BERTH_TRYV(replace(parent, base, true, name));
        if (::mkdirat(parent, base.c_str(), 0700) != 0 && errno != EEXIST) return failErrno("mkdir " + quote(name));
        UniqueFd fd(::openat(parent, base.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!fd) return failErrno("open " + quote(name));
        return finish(fd.get(), e, name, false, parent, base);
    }
    if (type == AE_IFLNK) {
        BERTH_TRYV(replace(parent, base, false, name));
        const char* target = archive_entry_symlink(e);
        if (::symlinkat(target ? target : "", parent, base.c_str()) != 0) return failErrno("symlink " + quote(name));
        return finish(-1, e, name, true, parent, base);
    }
    if (type == AE_IFREG) {
        BERTH_TRYV(replace(parent, base, false, name));
        UniqueFd fd(::openat(parent, base.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
        if (!fd) return failErrno("create " + quote(name));
        BERTH_TRYV(fileData(fd.get(), name));
        return finish(fd.get(), e, name, false, parent, base);
    }
    if (type == AE_IFIFO) {
        BERTH_TRYV(replace(parent, base, false, name));
        if (::mkfifoat(parent, base.c_str(), 0600) != 0) return failErrno("mkfifo " + quote(name));
        UniqueFd fd(::openat(parent, base.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
        // fchmod/fchown do not take O_PATH fds: through the fd's /proc link, which names
        // exactly the node just made.
        std::string self = runtime::fdPath(fd.get());
        if (::chmod(self.c_str(), archive_entry_perm(e)) != 0) return failErrno("chmod " + quote(name));
        return {};
    }
    return fail(Errc::InvalidArgument, "tar entry " + quote(name) + " is a device node or socket: refused");
}

VoidResult TarIn::entry(archive_entry* e) {
    const char* rawName = archive_entry_pathname(e);
    auto name = BERTH_TRY(nameOf(rawName));
    if (name.empty()) {
        // The destination itself ("./"): its mode and owner are the container's business.
        return {};
    }
    auto [dir, base] = splitPath("/" + name);
    // Parents are made as needed; symlinks among them resolve inside the root.
    auto parent = BERTH_TRY(runtime::ensureInRoot(m_root, m_dest + (dir == "/" ? "" : dir), runtime::NodeKind::Directory,
                                                  Symlinks::FollowInRoot));
    BERTH_TRYV_CTX(make(parent.get(), base, e, name), "extract into " + quote(m_dest.empty() ? "/" : m_dest));
    return {};
}

} // namespace

Result<PathStat> statInRoot(int rootFd, const std::string& path) {
    auto [dir, base] = splitPath(path);
    auto parent = BERTH_TRY(openParent(rootFd, dir));
    struct stat st{};
    const char* target = base == "/" ? "." : base.c_str();
    if (::fstatat(parent.get(), target, &st, AT_SYMLINK_NOFOLLOW) != 0)
        return failErrno("stat " + quote(path) + " in the container");
    PathStat out;
    out.name = base;
    out.size = st.st_size;
    out.mode = st.st_mode;
    out.mtimeNano = int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    if (S_ISLNK(st.st_mode)) {
        char buf[4096];
        ssize_t n = ::readlinkat(parent.get(), target, buf, sizeof buf - 1);
        if (n >= 0) out.linkTarget.assign(buf, size_t(n));
    }
    return out;
}

VoidResult writePathTar(int rootFd, const std::string& path, const std::string& name, int out) {
    auto [dir, base] = splitPath(path);
    auto parent = BERTH_TRY(openParent(rootFd, dir));
    ArchivePtr a(archive_write_new(), archive_write_free);
    archive_write_set_format_pax_restricted(a.get());
    FdSink sink{out};
    if (archive_write_open(a.get(), &sink, nullptr, FdSink::write, nullptr) != ARCHIVE_OK)
        return fail(Errc::Io, std::string("start the tar: ") + archive_error_string(a.get()));
    TarOut tar(a.get());
    BERTH_TRYV(tar.write(parent.get(), base == "/" ? "." : base, name));
    if (archive_write_close(a.get()) != ARCHIVE_OK)
        return fail(Errc::Io, std::string("finish the tar: ") + archive_error_string(a.get()));
    return {};
}

Result<uint64_t> extractTar(int rootFd, const std::string& destDir, int in, const ExtractOptions& options) {
    // The destination must exist and be a directory (docker: "not a directory").
    auto dest = runtime::openInRoot(rootFd, destDir, Symlinks::FollowInRoot, O_PATH);
    if (!dest) return fail(Error(dest.error().code() == Errc::System && dest.error().sysErrno() == ENOENT
                                     ? Errc::NotFound : dest.error().code(),
                                 "extraction point " + quote(destDir) + " does not exist in the container"));
    struct stat st{};
    if (::fstat(dest->get(), &st) != 0 || !S_ISDIR(st.st_mode))
        return fail(Errc::InvalidArgument, "extraction point " + quote(destDir) + " is not a directory");
    ArchivePtr a(archive_read_new(), archive_read_free);
    archive_read_support_filter_all(a.get());
    archive_read_support_format_tar(a.get());
    archive_read_support_format_gnutar(a.get());
    if (archive_read_open_fd(a.get(), in, 1 << 16) != ARCHIVE_OK)
        return fail(Errc::InvalidArgument, std::string("read the tar: ") + archive_error_string(a.get()));
    std::string destNorm = std::filesystem::path("/" + destDir).lexically_normal().string();
    while (destNorm.size() > 1 && destNorm.back() == '/') destNorm.pop_back();
    TarIn tar(a.get(), rootFd, destNorm == "/" ? "" : destNorm, options);
    uint64_t entries = 0;
    for (;;) {
        archive_entry* e = nullptr;
        int r = archive_read_next_header(a.get(), &e);
        if (r == ARCHIVE_EOF) break;
        if (r < ARCHIVE_WARN)
            return fail(Errc::InvalidArgument, std::string("read the tar: ") + archive_error_string(a.get()));
        BERTH_TRYV(tar.entry(e));
        ++entries;
    }
    return entries;
}

} // namespace berth::container
