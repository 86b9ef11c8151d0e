#include "build/build_context.h"

#include "runtime/safe_path.h"
#include "sys/fs.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>

namespace berth::build {

namespace fs = std::filesystem;

BuildContext::~BuildContext() {
    if (!m_owned.empty()) (void)sys::removeAll(m_owned);
}

static Result<std::string> readAllFd(int fd, size_t maxBytes) {
    std::string out;
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            return failErrno("read");
        }
        if (n == 0) break;
        out.append(buf, size_t(n));
        if (out.size() > maxBytes) return fail(Errc::InvalidArgument, "input too large");
    }
    return out;
}

// A file of the context (the Dockerfile, .dockerignore): resolved inside it, refused when a
// symlink leads out, and read only when it is a regular file, so nothing of a host file
// (not even the first line a parse error would quote) can come in through a context.
// nullopt when it does not exist.
static Result<std::optional<std::string>> readInContext(const BuildContext& ctx, const std::string& rel,
                                                        size_t maxBytes) {
    BERTH_TRYV(ctx.resolve(rel));  // the clear refusal of `..` and of symlinks out
    sys::UniqueFd root(::open(ctx.dir().c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!root) return failErrno(fmt::format("open the build context `{}`", ctx.dir().string()));
    auto fd = runtime::openInRoot(root.get(), rel, runtime::Symlinks::FollowInRoot, O_PATH);
    if (!fd) {
        if (fd.error().sysErrno() == ENOENT) return std::optional<std::string>();
        return std::unexpected(fd.error());
    }
    return runtime::readRegularFile(fd->get(), fmt::format("`{}` in the build context", rel), maxBytes);
}

Result<BuildContext> BuildContext::open(const ContextRequest& req) {
    BuildContext ctx;
    if (req.source.empty()) return fail(Errc::InvalidArgument, "no build context given");
    if (req.source == "-" && req.dockerfile == "-")
        return fail(Errc::InvalidArgument, "the context and the Dockerfile cannot both come from stdin");

    struct stat st{};
    auto git = parseGitSource(req.source);
    bool isDir = !git && req.source != "-" && ::stat(req.source.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
    if (git) {
        // Cloned into a private directory (repository and checked-out tree side by side),
        // removed with the context; the context is the subdirectory, checked to stay inside.
        auto base = req.scratchDir.empty() ? fs::temp_directory_path() : req.scratchDir;
        BERTH_TRYV_CTX(sys::makeDirs(base, 0700), "build context scratch directory");
        ctx.m_owned = base / ("context-" + sys::randomHex(8));
        BERTH_TRYV_CTX(sys::makeDirs(ctx.m_owned, 0700), "build context");
        auto tree = ctx.m_owned / "tree";
        auto checkout = BERTH_TRY_CTX(checkoutGit(*git, ctx.m_owned / "repo", tree, req.progress, req.stop),
                                      "git build context");
        ctx.m_gitCommit = checkout.commit;
        std::error_code ec;
        ctx.m_dir = fs::canonical(tree, ec);
        if (ec) return fail(Error::fromErrno("git build context", ec.value()));
        if (!git->subdir.empty()) {
            auto sub = BERTH_TRY_CTX(ctx.resolve(git->subdir), fmt::format("git build context subdirectory `{}`", git->subdir));
            struct stat sst{};
            if (::stat(sub.c_str(), &sst) != 0 || !S_ISDIR(sst.st_mode))
                return fail(Errc::NotFound, fmt::format("git build context: subdirectory `{}` not found at {} of {}",
                                                        git->subdir, git->ref.empty() ? std::string("HEAD") : git->ref, git->url));
            ctx.m_dir = sub;
        }
    } else if (isDir) {
        std::error_code ec;
        ctx.m_dir = fs::canonical(req.source, ec);
        if (ec) return fail(Error::fromErrno("context `" + req.source + "`", ec.value()));
    } else {
        if (req.source != "-" && ::stat(req.source.c_str(), &st) != 0)
            return failErrno("build context `" + req.source + "`");
        auto base = req.scratchDir.empty() ? fs::temp_directory_path() : req.scratchDir;
        BERTH_TRYV_CTX(sys::makeDirs(base, 0700), "build context scratch directory");
        ctx.m_owned = base / ("context-" + sys::randomHex(8));
        BERTH_TRYV_CTX(sys::makeDirs(ctx.m_owned, 0700), "build context");
        ctx.m_dir = ctx.m_owned;
        if (req.source == "-") {
            BERTH_TRYV_CTX(unpackContextArchive(req.stdinFd, ctx.m_dir), "build context from stdin");
        } else {
            auto fd = BERTH_TRY_CTX(sys::openFile(req.source, O_RDONLY), "build context");
            BERTH_TRYV_CTX(unpackContextArchive(fd.get(), ctx.m_dir), "build context `" + req.source + "`");
        }
    }

    // The Dockerfile: -f is taken as given (relative to the working directory) for a
    // folder context, and inside the context for an archive, like docker build. The
    // default, and anything inside the context, is resolved there (readInContext).
    fs::path givenPath;       // -f of a folder context: the user's own path
    std::string contextPath;  // otherwise: the Dockerfile's path inside the context
    if (req.dockerfile == "-") {
        ctx.m_dockerfileText = BERTH_TRY_CTX(readAllFd(req.stdinFd, size_t(16) << 20), "Dockerfile from stdin");
        ctx.m_dockerfileName = "Dockerfile";
    } else {
        std::optional<std::string> text;
        if (isDir && !req.dockerfile.empty()) {
            givenPath = req.dockerfile;
            auto t = sys::readFile(givenPath, size_t(16) << 20);
            if (t) text = std::move(*t);
            else if (t.error().code() != Errc::NotFound) return fail(t.error().withContext("read the Dockerfile"));
            ctx.m_dockerfileName = givenPath.filename().string();
        } else {
            contextPath = req.dockerfile.empty() ? std::string("Dockerfile") : req.dockerfile;
            text = BERTH_TRY_CTX(readInContext(ctx, contextPath, size_t(16) << 20), "read the Dockerfile");
            ctx.m_dockerfileName = fs::path(contextPath).filename().string();
        }
        if (!text)
            return fail(Errc::NotFound, fmt::format("cannot read the Dockerfile: `{}` does not exist",
                                                    req.dockerfile.empty() ? std::string("Dockerfile") : req.dockerfile));
        ctx.m_dockerfileText = std::move(*text);
    }

    // <Dockerfile>.dockerignore next to the Dockerfile wins over the context's .dockerignore.
    std::optional<std::string> ignoreText;
    if (!givenPath.empty()) {
        auto specific = givenPath;
        specific += ".dockerignore";
        if (auto t = sys::readFile(specific, size_t(4) << 20)) ignoreText = std::move(*t);
    } else if (!contextPath.empty()) {
        ignoreText = BERTH_TRY_CTX(readInContext(ctx, contextPath + ".dockerignore", size_t(4) << 20), "read .dockerignore");
    }
    if (!ignoreText) ignoreText = BERTH_TRY_CTX(readInContext(ctx, ".dockerignore", size_t(4) << 20), "read .dockerignore");
    if (ignoreText) ctx.m_ignore = BERTH_TRY(DockerIgnore::parse(*ignoreText));
    return ctx;
}

Result<std::string> BuildContext::checkedRelative(std::string_view path) const {
    std::string p(path);
    bool rooted = !p.empty() && p.front() == '/';
    std::string cleaned = cleanPath(rooted ? p.substr(1) : p);
    if (cleaned == ".." || cleaned.starts_with("../"))
        return fail(Errc::PermissionDenied, fmt::format("forbidden path outside the build context: {}", path));
    return cleaned;
}

Result<fs::path> BuildContext::resolve(std::string_view path) const {
    auto rel = BERTH_TRY(checkedRelative(path));
    std::vector<std::string> todo;  // components still to walk, in reverse order
    if (rel != ".") {
        std::vector<std::string> parts;
        size_t pos = 0;
        while (pos <= rel.size()) {
            size_t slash = rel.find('/', pos);
            if (slash == std::string::npos) slash = rel.size();
            parts.push_back(rel.substr(pos, slash - pos));
            pos = slash + 1;
        }
        todo.assign(parts.rbegin(), parts.rend());
    }
    std::vector<std::string> done;
    int hops = 0;
    std::string rootStr = m_dir.string();
    while (!todo.empty()) {
        std::string c = std::move(todo.back());
        todo.pop_back();
        if (c.empty() || c == ".") continue;
        if (c == "..") {
            if (done.empty())
                return fail(Errc::PermissionDenied, fmt::format("forbidden path outside the build context: {}", path));
            done.pop_back();
            continue;
        }
        fs::path host = m_dir;
        for (auto& d : done) host /= d;
        host /= c;
        struct stat st;
        if (::lstat(host.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) {
            done.push_back(c);
            continue;
        }
        if (++hops > 40) return fail(Errc::InvalidArgument, fmt::format("{}: too many levels of symbolic links", path));
        std::error_code ec;
        fs::path target = fs::read_symlink(host, ec);
        if (ec) return fail(Error::fromErrno("readlink `" + host.string() + "`", ec.value()));
        std::string t = target.string();
        if (target.is_absolute()) {
            if (t != rootStr && !t.starts_with(rootStr + "/"))
                return fail(Errc::PermissionDenied,
                            fmt::format("forbidden path outside the build context: {} (symlink to {})", path, t));
            done.clear();
            t = t.substr(std::min(t.size(), rootStr.size() + 1));
        }
        // Walk the target's components next (relative to the link's directory).
        std::vector<std::string> parts;
        size_t pos = 0;
        while (pos <= t.size()) {
            size_t slash = t.find('/', pos);
            if (slash == std::string::npos) slash = t.size();
            parts.push_back(t.substr(pos, slash - pos));
            pos = slash + 1;
        }
        for (auto it = parts.rbegin(); it != parts.rend(); ++it) todo.push_back(*it);
        // A relative target that climbs out shows up as ".." with `done` empty above.
    }
    fs::path host = m_dir;
    for (auto& d : done) host /= d;
    return host;
}

VoidResult unpackContextArchive(int fd, const fs::path& dest) {
    struct archive* a = archive_read_new();
    archive_read_support_filter_all(a);
    archive_read_support_format_tar(a);
    archive_read_support_format_gnutar(a);
    struct archive* w = archive_write_disk_new();
    archive_write_disk_set_options(w, ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_SECURE_SYMLINKS |
                                          ARCHIVE_EXTRACT_SECURE_NODOTDOT);
    auto cleanup = [&] {
        archive_read_free(a);
        archive_write_free(w);
    };
    if (archive_read_open_fd(a, fd, 1 << 16) != ARCHIVE_OK) {
        std::string m = archive_error_string(a) ? archive_error_string(a) : "unreadable";
        cleanup();
        return fail(Errc::Corrupt, "not a tar archive: " + m);
    }
    uint64_t entries = 0;
    for (;;) {
        struct archive_entry* e = nullptr;
        int r = archive_read_next_header(a, &e);
        if (r == ARCHIVE_EOF) break;
        if (r < ARCHIVE_WARN) {
            std::string m = archive_error_string(a) ? archive_error_string(a) : "read error";
            cleanup();
            return fail(Errc::Corrupt, "read the archive: " + m);
        }
        if (++entries > 2'000'000) {
            cleanup();
            return fail(Errc::InvalidArgument, "the archive has too many entries");
        }
        std::string name = archive_entry_pathname(e) ? archive_entry_pathname(e) : "";
        auto type = archive_entry_filetype(e);
        if (type == AE_IFCHR || type == AE_IFBLK) continue;  // a context has no use for devices
        std::string cleaned = cleanPath(name);
        if (cleaned.starts_with("/") || cleaned == ".." || cleaned.starts_with("../")) {
            cleanup();
            return fail(Errc::PermissionDenied, fmt::format("archive entry `{}` points outside the context", name));
        }
        if (cleaned == ".") continue;
        std::string full = (dest / cleaned).string();
        archive_entry_set_pathname(e, full.c_str());
        if (const char* hl = archive_entry_hardlink(e)) {
            std::string h = cleanPath(hl);
            if (h.starts_with("/") || h == ".." || h.starts_with("../")) {
                cleanup();
                return fail(Errc::PermissionDenied, fmt::format("archive hard link `{}` points outside the context", name));
            }
            archive_entry_set_hardlink(e, (dest / h).string().c_str());
        }
        r = archive_write_header(w, e);
        if (r < ARCHIVE_WARN) {
            std::string m = archive_error_string(w) ? archive_error_string(w) : "write error";
            cleanup();
            return fail(Errc::PermissionDenied, fmt::format("archive entry `{}`: {}", name, m));
        }
        bool ended = false;  // the stream stopped right after this entry's data
        if (archive_entry_size(e) > 0 && type == AE_IFREG) {
            const void* buf;
            size_t size;
            la_int64_t offset;
            la_int64_t reached = 0;
            while ((r = archive_read_data_block(a, &buf, &size, &offset)) == ARCHIVE_OK) {
                if (archive_write_data_block(w, buf, size, offset) < ARCHIVE_WARN) {
                    std::string m = archive_error_string(w) ? archive_error_string(w) : "write error";
                    cleanup();
                    return fail(Errc::Io, fmt::format("archive entry `{}`: {}", name, m));
                }
                reached = std::max<la_int64_t>(reached, offset + la_int64_t(size));
            }
            // docker's CLI sends a context whose Dockerfile lies outside it (`-f`) as a tar
            // that ends after its last entry's data, without the padding and end blocks
            // (dockerd's Go reader takes that as the end): every byte of the entry came,
            // only the padding is missing, so it is the end. Data cut short stays an error.
            ended = r < ARCHIVE_WARN && reached == archive_entry_size(e);
            if (r < ARCHIVE_WARN && !ended) {
                std::string m = archive_error_string(a) ? archive_error_string(a) : "read error";
                cleanup();
                return fail(Errc::Corrupt, fmt::format("archive entry `{}`: {}", name, m));
            }
        }
        archive_write_finish_entry(w);
        if (ended) break;
    }
    archive_write_close(w);
    cleanup();
    return {};
}

} // namespace berth::build
