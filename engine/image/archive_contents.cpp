#include "image/archive_contents.h"

#include "sys/fs.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <memory>

namespace berth::image {

namespace fs = std::filesystem;

std::optional<std::string> normaliseArchivePath(std::string_view path) {
    if (path.empty() || path.front() == '/') return std::nullopt;
    std::vector<std::string_view> parts;
    size_t pos = 0;
    while (pos <= path.size()) {
        size_t slash = path.find('/', pos);
        if (slash == std::string_view::npos) slash = path.size();
        std::string_view part = path.substr(pos, slash - pos);
        if (part == "..") {
            if (parts.empty()) return std::nullopt;
            parts.pop_back();
        } else if (!part.empty() && part != ".") {
            parts.push_back(part);
        }
        pos = slash + 1;
    }
    std::string out;
    for (auto p : parts) {
        if (!out.empty()) out += '/';
        out += p;
    }
    return out;
}

static bool hasDotDot(std::string_view path) {
    size_t pos = 0;
    while (pos <= path.size()) {
        size_t slash = path.find('/', pos);
        if (slash == std::string_view::npos) slash = path.size();
        if (path.substr(pos, slash - pos) == "..") return true;
        pos = slash + 1;
    }
    return false;
}

namespace {
struct ArchiveDeleter {
    void operator()(archive* a) const { archive_read_free(a); }
};
}  // namespace

Result<ArchiveContents> ArchiveContents::extract(const fs::path& archivePath,
                                                 const fs::path& workDir,
                                                 const ArchiveLimits& limits,
                                                 std::stop_token stop) {
    auto in = BERTH_TRY(sys::openFile(archivePath, O_RDONLY));
    struct stat st;
    if (::fstat(in.get(), &st) < 0) return failErrno("stat `" + archivePath.string() + "`");
    if (!S_ISREG(st.st_mode))
        return fail(Errc::InvalidArgument, "`" + archivePath.string() + "` is not a regular file");

    std::unique_ptr<archive, ArchiveDeleter> a(archive_read_new());
    archive_read_support_filter_all(a.get());
    archive_read_support_format_tar(a.get());
    archive_read_support_format_gnutar(a.get());
    if (archive_read_open_fd(a.get(), in.get(), 1 << 16) != ARCHIVE_OK)
        return fail(Errc::Corrupt, fmt::format("not a tar archive: {}", archive_error_string(a.get())));

    ArchiveContents c;
    uint64_t totalBytes = 0, entries = 0;
    std::string buf(1 << 18, '\0');
    auto refuse = [](const std::string& entry, const std::string& why) {
        return fail(Errc::Corrupt, fmt::format("archive entry `{}`: {}", entry, why));
    };
    // Every path component above `path` must be a directory (or absent): a file written
    // below a symlink would be a write through it.
    auto checkParents = [&](const std::string& entry, const std::string& path) -> VoidResult {
        size_t slash = path.find('/');
        while (slash != std::string::npos) {
            auto it = c.m_nodes.find(path.substr(0, slash));
            if (it != c.m_nodes.end() && it->second.kind != Node::Dir)
                return refuse(entry, it->second.kind == Node::Symlink
                                         ? "writes through symlink `" + it->first + "`"
                                         : "parent `" + it->first + "` is not a directory");
            slash = path.find('/', slash + 1);
        }
        return {};
    };

    for (;;) {
        if (stop.stop_requested()) return fail(Errc::Cancelled, "load cancelled");
        archive_entry* e = nullptr;
        int r = archive_read_next_header(a.get(), &e);
        if (r == ARCHIVE_EOF) break;
        if (r < ARCHIVE_WARN)
            return fail(Errc::Corrupt, fmt::format("read archive (after {} entries): {}", entries,
                                                   archive_error_string(a.get())));
        const char* rawName = archive_entry_pathname(e);
        std::string entry = rawName ? rawName : "";
        if (++entries > limits.maxEntries)
            return refuse(entry, fmt::format("more than {} entries", limits.maxEntries));
        if (entry.empty()) return refuse(entry, "empty path");
        if (entry.front() == '/') return refuse(entry, "absolute path");
        if (hasDotDot(entry)) return refuse(entry, "path contains `..`");
        auto norm = normaliseArchivePath(entry);
        if (!norm) return refuse(entry, "path escapes the archive");
        std::string path = *norm;
        if (path.empty()) continue;  // "./"
        BERTH_TRYV(checkParents(entry, path));
        if (auto it = c.m_nodes.find(path); it != c.m_nodes.end() && it->second.kind == Node::Symlink)
            return refuse(entry, "writes through symlink `" + path + "`");

        if (const char* hl = archive_entry_hardlink(e)) {
            auto target = normaliseArchivePath(hl);
            if (!target || hasDotDot(hl)) return refuse(entry, fmt::format("hard link to `{}` leaves the archive", hl));
            auto it = c.m_nodes.find(*target);
            if (it == c.m_nodes.end() || it->second.kind != Node::File)
                return refuse(entry, fmt::format("hard link to `{}`, which is not an earlier file", hl));
            c.m_nodes[path] = it->second;
            continue;
        }
        switch (archive_entry_filetype(e)) {
        case AE_IFDIR:
            c.m_nodes[path] = Node{Node::Dir, 0, {}};
            continue;
        case AE_IFLNK: {
            const char* t = archive_entry_symlink(e);
            std::string target = t ? t : "";
            if (target.empty() || target.front() == '/')
                return refuse(entry, fmt::format("symlink to absolute path `{}`", target));
            std::string dir = path.find('/') == std::string::npos ? "" : path.substr(0, path.rfind('/'));
            auto resolved = normaliseArchivePath(dir.empty() ? target : dir + "/" + target);
            if (!resolved || resolved->empty())
                return refuse(entry, fmt::format("symlink to `{}` leaves the archive", target));
            c.m_nodes[path] = Node{Node::Symlink, 0, *resolved};
            continue;
        }
        case AE_IFREG: break;
        default: return refuse(entry, "unsupported entry type (device, fifo or socket)");
        }

        ArchiveFile f;
        f.stored = workDir / std::to_string(c.m_files.size());
        auto out = BERTH_TRY(sys::openFile(f.stored, O_WRONLY | O_CREAT | O_EXCL, 0600));
        Sha256 h;
        for (;;) {
            la_ssize_t n = archive_read_data(a.get(), buf.data(), buf.size());
            if (n < 0)
                return refuse(entry, fmt::format("read: {}", archive_error_string(a.get())));
            if (n == 0) break;
            f.size += uint64_t(n);
            totalBytes += uint64_t(n);
            if (totalBytes > limits.maxBytes)
                return refuse(entry, fmt::format("archive holds more than {} bytes", limits.maxBytes));
            uint64_t compressed = uint64_t(archive_filter_bytes(a.get(), -1));
            if (totalBytes > limits.ratioFloor && compressed > 0 &&
                totalBytes / compressed > limits.maxRatio)
                return refuse(entry, fmt::format("decompresses to more than {} times its compressed "
                                                 "size (a compression bomb?)", limits.maxRatio));
            h.update(buf.data(), size_t(n));
            BERTH_TRYV_CTX(sys::writeAll(out.borrow(), std::string_view(buf.data(), size_t(n))),
                           "archive entry `" + entry + "`");
            if (stop.stop_requested()) return fail(Errc::Cancelled, "load cancelled");
        }
        f.digest = h.finish();
        c.m_files.push_back(std::move(f));
        c.m_nodes[path] = Node{Node::File, c.m_files.size() - 1, {}};
    }
    return c;
}

Result<const ArchiveFile*> ArchiveContents::find(std::string_view rawPath) const {
    auto norm = normaliseArchivePath(rawPath);
    if (!norm || hasDotDot(rawPath))
        return fail(Errc::Corrupt, fmt::format("path `{}` leaves the archive", rawPath));
    std::string path = *norm;
    for (int depth = 0; depth < 16; ++depth) {
        // Resolve symlinked parents too: "a/b" where "a" is a symlink.
        bool rewritten = false;
        for (size_t slash = path.find('/'); slash != std::string::npos; slash = path.find('/', slash + 1)) {
            auto it = m_nodes.find(path.substr(0, slash));
            if (it != m_nodes.end() && it->second.kind == Node::Symlink) {
                path = it->second.target + path.substr(slash);
                rewritten = true;
                break;
            }
        }
        if (rewritten) continue;
        auto it = m_nodes.find(path);
        if (it == m_nodes.end())
            return fail(Errc::NotFound, fmt::format("archive has no entry `{}`", rawPath));
        if (it->second.kind == Node::File) return &m_files[it->second.file];
        if (it->second.kind == Node::Dir)
            return fail(Errc::Corrupt, fmt::format("archive entry `{}` is a directory", rawPath));
        path = it->second.target;
    }
    return fail(Errc::Corrupt, fmt::format("archive entry `{}`: too many levels of symlinks", rawPath));
}

Result<std::string> ArchiveContents::readText(std::string_view path, size_t maxBytes) const {
    const ArchiveFile* f = BERTH_TRY(find(path));
    if (f->size > maxBytes)
        return fail(Errc::Corrupt, fmt::format("archive entry `{}` is too large ({} bytes)", path, f->size));
    return BERTH_TRY_CTX(sys::readFile(f->stored, maxBytes), fmt::format("archive entry `{}`", path));
}

} // namespace berth::image
