#include "image/layer_write.h"
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
#include <map>
#include <optional>

namespace berth::image {

namespace fs = std::filesystem;
using sys::UniqueFd;

namespace {

constexpr const char* kOpaqueXattr = "trusted.overlay.opaque";

std::string quote(std::string_view s) { return "`" + std::string(s) + "`"; }

// Hashes the uncompressed tar libarchive produces and hands it to the compressor.
struct Sink {
    CompressingWriter writer;
    Sha256 hash;
    std::optional<Error> error;

    static la_ssize_t writeCallback(archive* a, void* client, const void* buf, size_t len) {
        auto* self = static_cast<Sink*>(client);
        self->hash.update(buf, len);
        if (auto r = self->writer.write(buf, len); !r) {
            self->error = r.error();
            archive_set_error(a, EIO, "%s", r.error().message().c_str());
            return -1;
        }
        return la_ssize_t(len);
    }
};

using EntryPtr = std::unique_ptr<archive_entry, decltype(&archive_entry_free)>;

class TreeWriter {
public:
    TreeWriter(archive* a, Sink& sink) : m_a(a), m_sink(sink) {}
    VoidResult writeDir(int dirfd, const std::string& prefix);
    uint64_t entries() const { return m_entries; }

private:
    VoidResult writeEntry(int dirfd, const std::string& name, const std::string& rel);
    VoidResult emit(archive_entry* e, std::string_view rel);
    VoidResult emitData(int fd, int64_t size, std::string_view rel);
    Result<std::vector<std::pair<std::string, std::string>>> xattrs(int dirfd, const std::string& name,
                                                                    std::string_view rel);
    Error archiveError(std::string_view rel) const {
        if (m_sink.error) return m_sink.error->withContext("entry " + quote(rel));
        const char* msg = archive_error_string(m_a);
        return Error(Errc::Io, "entry " + quote(rel) + ": " + (msg ? msg : "tar write failed"));
    }

    archive* m_a;
    Sink& m_sink;
    uint64_t m_entries = 0;
    std::map<std::pair<dev_t, ino_t>, std::string> m_links;  // first path of each multi-link inode
};

EntryPtr newEntry(const std::string& path, const struct stat& st) {
    EntryPtr e(archive_entry_new(), archive_entry_free);
    archive_entry_copy_pathname(e.get(), path.c_str());
    archive_entry_set_uid(e.get(), st.st_uid);
    archive_entry_set_gid(e.get(), st.st_gid);
    archive_entry_set_mtime(e.get(), st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    archive_entry_set_perm(e.get(), st.st_mode & 07777);
    return e;
}

Result<std::vector<std::pair<std::string, std::string>>> TreeWriter::xattrs(int dirfd, const std::string& name,
                                                                            std::string_view rel) {
    // Through the directory's /proc link: works for every file type without opening it.
    std::string path = fmt::format("/proc/self/fd/{}/{}", dirfd, name);
    std::vector<std::pair<std::string, std::string>> out;
    ssize_t n = ::llistxattr(path.c_str(), nullptr, 0);
    if (n < 0) {
        if (errno == ENOTSUP) return out;
        return failErrno("list xattrs of " + quote(rel));
    }
    std::string names(size_t(n), '\0');
    n = ::llistxattr(path.c_str(), names.data(), names.size());
    if (n < 0) return failErrno("list xattrs of " + quote(rel));
    names.resize(size_t(n));
    for (size_t pos = 0; pos < names.size();) {
        std::string key(names.c_str() + pos);
        pos += key.size() + 1;
        // overlayfs bookkeeping (opaque, origin, impure, redirect) is not layer content.
        if (key.empty() || key.starts_with("trusted.overlay.") || key.starts_with("user.overlay."))
            continue;
        ssize_t vn = ::lgetxattr(path.c_str(), key.c_str(), nullptr, 0);
        if (vn < 0) {
            if (errno == ENODATA) continue;
            return failErrno("read xattr " + key + " of " + quote(rel));
        }
        std::string value(size_t(vn), '\0');
        vn = ::lgetxattr(path.c_str(), key.c_str(), value.data(), value.size());
        if (vn < 0) return failErrno("read xattr " + key + " of " + quote(rel));
        value.resize(size_t(vn));
        out.emplace_back(std::move(key), std::move(value));
    }
    std::sort(out.begin(), out.end());
    return out;
}

VoidResult TreeWriter::emit(archive_entry* e, std::string_view rel) {
    if (archive_write_header(m_a, e) < ARCHIVE_WARN) return fail(archiveError(rel));
    ++m_entries;
    return {};
}

VoidResult TreeWriter::emitData(int fd, int64_t size, std::string_view rel) {
    std::vector<char> buf(size_t(1) << 17);
    int64_t left = size;
    while (left > 0) {
        ssize_t n = ::read(fd, buf.data(), size_t(std::min<int64_t>(left, int64_t(buf.size()))));
        if (n < 0) {
            if (errno == EINTR) continue;
            return failErrno("read " + quote(rel));
        }
        if (n == 0)
            return fail(Errc::Conflict, "read " + quote(rel) + ": file shrank while being written");
        if (archive_write_data(m_a, buf.data(), size_t(n)) < 0) return fail(archiveError(rel));
        left -= n;
    }
    return {};
}

VoidResult TreeWriter::writeEntry(int dirfd, const std::string& name, const std::string& rel) {
    struct stat st;
    if (::fstatat(dirfd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0) return failErrno("stat " + quote(rel));

    if (S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0)) {
        // overlayfs whiteout -> OCI whiteout file.
        std::string parent = rel.substr(0, rel.size() - name.size());
        std::string whPath = parent + ".wh." + name;
        struct stat wst = st;
        wst.st_mode = S_IFREG | 0600;
        EntryPtr e = newEntry(whPath, wst);
        archive_entry_set_filetype(e.get(), AE_IFREG);
        archive_entry_set_size(e.get(), 0);
        return emit(e.get(), whPath);
    }
    if (S_ISSOCK(st.st_mode)) return {};  // sockets are not layer content (tar cannot hold them)

    EntryPtr e = newEntry(rel, st);
    auto xa = BERTH_TRY(xattrs(dirfd, name, rel));
    for (const auto& [k, v] : xa) archive_entry_xattr_add_entry(e.get(), k.c_str(), v.data(), v.size());

    switch (st.st_mode & S_IFMT) {
    case S_IFDIR: {
        archive_entry_set_filetype(e.get(), AE_IFDIR);
        archive_entry_set_size(e.get(), 0);
        BERTH_TRYV(emit(e.get(), rel));
        UniqueFd sub(::openat(dirfd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!sub) return failErrno("open directory " + quote(rel));
        char flag[8];
        // Rootless upper layers carry user.overlay.* (overlayfs "userxattr").
        const char* opaque = sys::inUserNamespaceHelper() ? "user.overlay.opaque" : kOpaqueXattr;
        ssize_t n = ::fgetxattr(sub.get(), opaque, flag, sizeof flag);
        if (n == 1 && flag[0] == 'y') {
            std::string opq = rel + "/.wh..wh..opq";
            struct stat ost = st;
            ost.st_mode = S_IFREG | 0600;
            EntryPtr o = newEntry(opq, ost);
            archive_entry_set_filetype(o.get(), AE_IFREG);
            archive_entry_set_size(o.get(), 0);
            BERTH_TRYV(emit(o.get(), opq));
        }
        return writeDir(sub.get(), rel + "/");
    }
    case S_IFREG: {
        archive_entry_set_filetype(e.get(), AE_IFREG);
        if (st.st_nlink > 1) {
            auto key = std::make_pair(st.st_dev, st.st_ino);
            if (auto it = m_links.find(key); it != m_links.end()) {
                archive_entry_copy_hardlink(e.get(), it->second.c_str());
                archive_entry_set_size(e.get(), 0);
                return emit(e.get(), rel);
            }
            m_links.emplace(key, rel);
        }
        UniqueFd fd(::openat(dirfd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
        if (!fd) return failErrno("open " + quote(rel));
        archive_entry_set_size(e.get(), st.st_size);
        BERTH_TRYV(emit(e.get(), rel));
        return emitData(fd.get(), st.st_size, rel);
    }
    case S_IFLNK: {
        std::string target(size_t(st.st_size) + 1, '\0');
        ssize_t n = ::readlinkat(dirfd, name.c_str(), target.data(), target.size());
        if (n < 0) return failErrno("read symlink " + quote(rel));
        target.resize(size_t(n));
        archive_entry_set_filetype(e.get(), AE_IFLNK);
        archive_entry_copy_symlink(e.get(), target.c_str());
        archive_entry_set_size(e.get(), 0);
        return emit(e.get(), rel);
    }
    case S_IFCHR:
    case S_IFBLK:
        archive_entry_set_filetype(e.get(), S_ISCHR(st.st_mode) ? AE_IFCHR : AE_IFBLK);
        archive_entry_set_rdevmajor(e.get(), major(st.st_rdev));
        archive_entry_set_rdevminor(e.get(), minor(st.st_rdev));
        archive_entry_set_size(e.get(), 0);
        return emit(e.get(), rel);
    case S_IFIFO:
        archive_entry_set_filetype(e.get(), AE_IFIFO);
        archive_entry_set_size(e.get(), 0);
        return emit(e.get(), rel);
    default:
        return fail(Errc::Unsupported, "entry " + quote(rel) + ": unsupported file type");
    }
}

VoidResult TreeWriter::writeDir(int dirfd, const std::string& prefix) {
    int dupFd = ::fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
    if (dupFd < 0) return failErrno("dup");
    DIR* dir = ::fdopendir(dupFd);
    if (!dir) {
        ::close(dupFd);
        return failErrno("read directory " + quote(prefix.empty() ? "." : prefix));
    }
    std::vector<std::string> names;
    while (dirent* d = ::readdir(dir)) {
        std::string_view n = d->d_name;
        if (n != "." && n != "..") names.emplace_back(n);
    }
    ::closedir(dir);
    std::sort(names.begin(), names.end());
    for (const auto& n : names) BERTH_TRYV(writeEntry(dirfd, n, prefix + n));
    return {};
}

} // namespace

Result<ApplyResult> writeLayerTar(const fs::path& dir, sys::BorrowedFd out, bool gzip, const EngineSettings& settings) {
    // Rootless: read the tree inside the user namespace, so the tar records the owners the
    // container saw (0 for the user's files), not the host's subordinate ids.
    if (settings.rootless() && !sys::inUserNamespaceHelper()) return writeLayerTarInUserNamespace(dir, out, gzip, settings);
    std::string ctx = "write layer from " + quote(dir.string());
    UniqueFd root(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!root) return failErrno(ctx + ": open");
    Sink sink{BERTH_TRY_CTX(CompressingWriter::open(out, gzip), ctx)};

    std::unique_ptr<archive, decltype(&archive_write_free)> a(archive_write_new(), archive_write_free);
    if (!a) return fail(Errc::Internal, ctx + ": archive_write_new failed");
    // pax keeps long names, big ids, nanosecond mtimes and xattrs; no trailing block padding,
    // so the stream ends with the tar end marker like Docker's layers do.
    archive_write_set_format_pax(a.get());
    // xattrs as SCHILY.xattr records only, the form Docker, Go and GNU tar read.
    archive_write_set_format_option(a.get(), "pax", "xattrheader", "SCHILY");
    archive_write_set_bytes_in_last_block(a.get(), 1);
    if (archive_write_open(a.get(), &sink, nullptr, &Sink::writeCallback, nullptr) != ARCHIVE_OK)
        return fail(Errc::Io, ctx + ": " + (archive_error_string(a.get()) ?: "open failed"));

    TreeWriter writer(a.get(), sink);
    BERTH_TRYV_CTX(writer.writeDir(root.get(), ""), ctx);
    if (archive_write_close(a.get()) != ARCHIVE_OK) {
        if (sink.error) return fail(sink.error->withContext(ctx));
        return fail(Errc::Io, ctx + ": " + (archive_error_string(a.get()) ?: "close failed"));
    }
    BERTH_TRYV_CTX(sink.writer.finish(), ctx);

    ApplyResult result;
    result.diffId = sink.hash.finish();
    result.uncompressedBytes = sink.writer.uncompressedBytes();
    result.compressedBytes = sink.writer.compressedBytes();
    result.entries = writer.entries();
    result.compression = gzip ? "gzip" : "";
    return result;
}

} // namespace berth::image
