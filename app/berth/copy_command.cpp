// berth cp: docker cp's semantics, wired to the engine's side in the container
// (Containers::statPath, copyFrom, copyTo: paths resolved inside the container's root) and
// the host's side (berth/host_copy.h). What is decided here is docker's CLI's part: which
// argument names a container, how trailing "/" and "/." read, whether the source goes
// into a destination directory or becomes the destination (the tar's top entry renamed),
// -L, and the error messages.
#include "container_cli.h"

#include "berth/host_copy.h"
#include "berth/text.h"

#include <fmt/format.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

namespace berth::cli {

namespace {

namespace fs = std::filesystem;

struct CpOptions {
    bool archive = false;     // -a: the owners in the tar kept in the container
    bool followLink = false;  // -L
    bool quiet = false;       // -q: no "Successfully copied" line
    std::string source, destination;
};

// ---- paths, as docker's CLI reads them (Go's filepath on Linux) -------------------------

bool hasTrailingSeparator(const std::string& p) { return p.size() > 1 && p.back() == '/'; }
bool specifiesCurrentDir(const std::string& p) { return p == "." || p.ends_with("/."); }

// filepath.Clean: "." for "", no trailing "/" but for "/".
std::string cleanPath(const std::string& p) {
    if (p.empty()) return ".";
    std::string s = fs::path(p).lexically_normal().string();
    while (s.size() > 1 && s.back() == '/') s.pop_back();
    return s.empty() ? "." : s;
}
// filepath.Base (no cleaning: "/a/." is "."), filepath.Dir (cleaned).
std::string baseOf(std::string p) {
    while (p.size() > 1 && p.back() == '/') p.pop_back();
    if (p == "/") return "/";
    size_t slash = p.rfind('/');
    return slash == std::string::npos ? p : p.substr(slash + 1);
}
std::string dirOf(const std::string& p) {
    std::string c = cleanPath(p);
    size_t slash = c.rfind('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : c.substr(0, slash);
}
std::string joinPath(const std::string& a, const std::string& b) { return cleanPath(a + "/" + b); }

// docker's SplitPathDirEntry: "/a/b/" -> ("/a", "b"), "/a/." -> ("/a", ".").
std::pair<std::string, std::string> splitDirEntry(const std::string& p) {
    std::string c = cleanPath(p);
    if (specifiesCurrentDir(p) && c != ".") c += "/.";
    return {dirOf(c), baseOf(c)};
}

// docker's PreserveTrailingDotOrSeparator, after making a local path absolute.
std::string absoluteLocal(const std::string& p) {
    std::string abs = cleanPath(fs::absolute(p).string());
    if (specifiesCurrentDir(p) && !specifiesCurrentDir(abs)) abs += "/.";
    else if (hasTrailingSeparator(p) && !hasTrailingSeparator(abs) && abs != "/") abs += "/";
    return abs;
}

// docker's GetRebaseName: the resolved path keeping the original's "/." or "/", and the
// name the copy keeps when resolving changed the last component ("" when it did not).
std::pair<std::string, std::string> rebased(const std::string& path, std::string resolved) {
    if (specifiesCurrentDir(path) && !specifiesCurrentDir(resolved)) resolved += "/.";
    if (hasTrailingSeparator(path) && !hasTrailingSeparator(resolved)) resolved += "/";
    std::string name = baseOf(path) != baseOf(resolved) ? baseOf(path) : "";
    return {resolved, name};
}

// The name the engine gives the top of a tar of `path` ("." for a directory's contents).
std::string tarTop(const std::string& path) {
    std::string b = splitDirEntry(path).second;
    return b == "/" ? "." : b;
}

// CONTAINER:PATH, or a local path ("/x", "./a:b", anything without ':').
std::pair<std::string, std::string> splitCpArg(const std::string& arg) {
    if (arg.starts_with('/')) return {"", arg};
    size_t colon = arg.find(':');
    if (colon == std::string::npos || arg.starts_with('.')) return {"", arg};
    return {arg.substr(0, colon), arg.substr(colon + 1)};
}

std::string sysError(const char* what, const std::string& path, int e = errno) {
    return fmt::format("{} {}: {}", what, path, std::strerror(e));
}

// ---- what the copy does ----------------------------------------------------------------

// docker's PrepareArchiveCopy: into the destination when it is a directory, else as the
// destination (its parent directory, the top entry renamed to its last component).
struct CopyPlan {
    std::string dir;   // where the tar is extracted
    std::string name;  // what its top entry is called there
};
CopyPlan planCopy(const std::string& srcBase, bool srcIsDir, const std::string& dst, bool dstExists, bool dstIsDir,
                  const std::string& dstShown) {
    auto [dstDir, dstBase] = splitDirEntry(dst);
    if (dstExists && dstIsDir) return {dst, srcBase};
    if (dstExists && srcIsDir) throw CliError{"cannot copy directory: destination " + dstShown + " is not a directory"};
    if (!dstExists && !srcIsDir && (hasTrailingSeparator(dst) || specifiesCurrentDir(dst)))
        throw CliError{"no such directory: " + dstShown + " (a file is copied into an existing directory only)"};
    return {dstDir, dstBase};
}

// A tar stream's length as docker's CLI counts a copy ("Successfully copied 4.61kB"): up to
// the end of its two end-of-archive blocks, where Go's tar reader stops and its writer ends;
// the padding after them (libarchive fills its 10240-byte record) is not counted.
class TarLength {
public:
    void feed(const char* p, size_t n) {
        for (size_t i = 0; i < n && !m_ended;) {
            if (m_skip > 0) {
                const size_t take = size_t(std::min<uint64_t>(m_skip, n - i));
                m_skip -= take;
                m_seen += take;
                i += take;
                continue;
            }
            const size_t take = std::min(n - i, size_t(512) - m_block.size());
            m_block.append(p + i, take);
            m_seen += take;
            i += take;
            if (m_block.size() == 512) header();
        }
        m_total += n;
    }
    uint64_t length() const { return m_ended ? m_seen : m_total; }

private:
    // A whole header block: a zero block (two in a row end the archive), or an entry
    // whose data (its size, in 512-byte blocks) follows.
    void header() {
        const bool zero = m_block.find_first_not_of('\0') == std::string::npos;
        m_zeros = zero ? m_zeros + 1 : 0;
        m_ended = m_zeros == 2;
        if (!zero && !std::string_view("123456").contains(m_block[156])) m_skip = (entrySize() + 511) / 512 * 512;
        m_block.clear();
    }
    uint64_t entrySize() const {
        uint64_t size = 0;
        if (uint8_t(m_block[124]) & 0x80) {  // base-256 (GNU), for sizes past 8 GiB
            for (int k = 125; k < 136; ++k) size = (size << 8) | uint8_t(m_block[size_t(k)]);
            return size;
        }
        for (int k = 124; k < 136 && m_block[size_t(k)] >= '0' && m_block[size_t(k)] <= '7'; ++k)
            size = size * 8 + uint64_t(m_block[size_t(k)] - '0');
        return size;
    }
    std::string m_block;
    uint64_t m_skip = 0, m_seen = 0, m_total = 0;
    int m_zeros = 0;
    bool m_ended = false;
};

// `produce` with its output measured: it writes into a pipe that a thread copies into
// `out`, feeding `counted`. A reader of `out` that goes away ends the copy, and the copy's
// end closes the pipe, so the producer's next write fails as it would on `out`.
VoidResult countedProduce(const std::function<VoidResult(int)>& produce, int out, TarLength& counted) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return failErrno("pipe");
    std::jthread relay([in = fds[0], out, &counted] {
        char buf[1 << 16];
        for (;;) {
            ssize_t n = ::read(in, buf, sizeof buf);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            bool ok = true;
            for (ssize_t done = 0; ok && done < n;) {
                ssize_t w = ::write(out, buf + done, size_t(n - done));
                if (w < 0 && errno == EINTR) continue;
                ok = w > 0;
                if (ok) done += w;
            }
            if (!ok) break;
            counted.feed(buf, size_t(n));
        }
        ::close(in);
    });
    VoidResult produced = produce(fds[1]);
    ::close(fds[1]);
    return produced;
}

// Runs `produce` on a thread writing into a pipe that `consume` reads here. A consumer that
// fails closes its end, so the producer's next write fails (SIGPIPE is ignored) and it ends.
// The tar that went through is measured in `counted` (docker's "Successfully copied" size).
VoidResult throughPipe(const std::function<VoidResult(int)>& produce, const std::function<VoidResult(int)>& consume,
                       TarLength& counted) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return failErrno("pipe");
    VoidResult produced;
    std::jthread producer([&] {
        produced = countedProduce(produce, fds[1], counted);
        ::close(fds[1]);
    });
    struct ReadEnd {  // closed before the producer is joined, even when consume throws
        int fd;
        ~ReadEnd() {
            if (fd >= 0) ::close(fd);
        }
    } readEnd{fds[0]};
    VoidResult consumed = consume(readEnd.fd);
    ::close(std::exchange(readEnd.fd, -1));
    producer.join();
    // The first failure is the one to tell: a producer cut off by the consumer's failure
    // says only "Broken pipe"; a consumer cut off by the producer's, "truncated".
    if (!produced && (consumed || produced.error().message().find(std::strerror(EPIPE)) == std::string::npos))
        return produced;
    return consumed;
}

std::string notFoundMessage(const std::string& container, const std::string& path) {
    return fmt::format("Could not find the file {} in container {}", path, container);
}

class Copier {
public:
    Copier(CliContext& ctx, std::string container, std::string path, const CpOptions& o)
        : m_ctx(ctx), m_c(ctx.engine().containers()), m_container(std::move(container)), m_path(std::move(path)), m_o(o) {
        if (m_path.empty())
            throw CliError{fmt::format("the path in the container cannot be empty: use {}:/ for its root", m_container)};
        auto d = m_c.inspect(m_container);
        if (!d && d.error().code() == Errc::NotFound)
            throw CliError{fmt::format("No such container:path: {}:{}", m_container, m_path)};
        m_ctx.check(std::move(d));
    }
    void from(const std::string& destination);
    void to(const std::string& source);
    // The tar stream's bytes that went through (not with "-": the stream is the user's).
    uint64_t copied() const { return m_copied.length(); }

private:
    ContainerPathStat stat(const std::string& path) {
        auto st = m_c.statPath(m_container, path);
        if (!st && st.error().code() == Errc::NotFound) throw CliError{notFoundMessage(m_container, path)};
        return m_ctx.check(std::move(st));
    }
    // A symlink's target as a path in the container.
    std::string linkPath(const std::string& link, const std::string& target) {
        return target.starts_with('/') ? target : joinPath(splitDirEntry(link).first, target);
    }
    struct HostDestination {
        std::string path;
        bool exists = false, isDir = false;
    };
    static HostDestination hostDestination(std::string path);
    static void validateOutputPath(const std::string& path);

    CliContext& m_ctx;
    Containers& m_c;
    std::string m_container, m_path;
    const CpOptions& m_o;
    TarLength m_copied;
};

// docker's ValidateOutputPath: the parent exists; an existing path is a directory or a file.
void Copier::validateOutputPath(const std::string& path) {
    const std::string dir = dirOf(path);
    struct stat st{};
    if (::stat(dir.c_str(), &st) != 0 && errno == ENOENT)
        throw CliError{fmt::format("invalid output path: directory \"{}\" does not exist", dir)};
    if (::stat(path.c_str(), &st) == 0 && !S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode))
        throw CliError{fmt::format("invalid output path: \"{}\" must be a directory or a regular file", path)};
}

// docker's CopyInfoDestinationPath: symlinks followed (it is the user's own path); a path
// that does not exist needs an existing parent directory.
Copier::HostDestination Copier::hostDestination(std::string path) {
    const std::string original = path;
    struct stat st{};
    int r = ::lstat(path.c_str(), &st);
    for (int n = 0; r == 0 && S_ISLNK(st.st_mode); ++n) {
        if (n > 10) throw CliError{"too many symlinks in " + original};
        char buf[4096];
        ssize_t len = ::readlink(path.c_str(), buf, sizeof buf - 1);
        if (len < 0) throw CliError{sysError("readlink", path)};
        std::string target(buf, size_t(len));
        path = target.starts_with('/') ? target : joinPath(splitDirEntry(path).first, target);
        r = ::lstat(path.c_str(), &st);
    }
    if (r == 0) return {path, true, S_ISDIR(st.st_mode)};
    if (errno != ENOENT) throw CliError{sysError("lstat", path)};
    const std::string parent = splitDirEntry(path).first;
    if (::stat(parent.c_str(), &st) != 0) throw CliError{sysError("stat", parent)};
    if (!S_ISDIR(st.st_mode)) throw CliError{fmt::format("destination {} is not a directory", parent)};
    return {path, false, false};
}

// CONTAINER:SRC to DEST (or "-", the tar itself on stdout).
void Copier::from(const std::string& destination) {
    std::string dst = destination;
    if (dst != "-") {
        dst = absoluteLocal(dst);
        validateOutputPath(dst);
    }
    std::string src = m_path, rebaseName;
    if (m_o.followLink) {
        auto st = m_c.statPath(m_container, src);
        if (st && S_ISLNK(st->mode)) std::tie(src, rebaseName) = rebased(src, linkPath(src, st->linkTarget));
    }
    const ContainerPathStat st = stat(src);
    if (dst == "-") {
        m_ctx.check(m_c.copyFrom(m_container, src, STDOUT_FILENO));
        return;
    }
    const HostDestination d = hostDestination(dst);
    const std::string top = tarTop(src);
    CopyPlan plan = planCopy(rebaseName.empty() ? top : rebaseName, S_ISDIR(st.mode), d.path, d.exists, d.isDir, dst);
    HostExtractOptions x;
    if (top == "." && plan.name != ".") {
        // A directory's contents as a new directory: made here, filled as they are.
        plan.dir = joinPath(plan.dir, plan.name);
        if (::mkdir(plan.dir.c_str(), 0755) != 0 && errno != EEXIST) throw CliError{sysError("mkdir", plan.dir)};
    } else {
        x.renameFrom = top;
        x.renameTo = plan.name;
    }
    m_ctx.check(throughPipe([&](int out) { return m_c.copyFrom(m_container, src, out); },
                            [&](int in) { return extractHostTar(plan.dir, in, x); }, m_copied));
}

// SRC (or "-", a tar on stdin) to CONTAINER:DEST.
void Copier::to(const std::string& source) {
    const std::string shown = m_container + ":" + m_path;
    std::string dst = m_path;
    auto st = m_c.statPath(m_container, dst);
    if (st && S_ISLNK(st->mode)) {
        dst = linkPath(dst, st->linkTarget);
        st = m_c.statPath(m_container, dst);
    }
    if (!st && st.error().code() != Errc::NotFound) m_ctx.check(std::move(st));
    if (st && (S_ISCHR(st->mode) || S_ISBLK(st->mode)))
        throw CliError{fmt::format("destination \"{}\" must be a directory or a regular file: got a device", shown)};
    const bool exists = st.has_value(), isDir = st && S_ISDIR(st->mode);
    CopyInOptions in;
    in.noOverwriteDirNonDir = true;
    in.keepOwners = m_o.archive;
    if (exists && !isDir && hasTrailingSeparator(m_path))
        throw CliError{fmt::format("destination \"{}\" is not a directory", shown)};
    // The extraction directory gone meanwhile: docker's "Could not find the file".
    auto check = [&](VoidResult done, const std::string& dir) {
        if (!done && done.error().code() == Errc::NotFound) throw CliError{notFoundMessage(m_container, dir)};
        m_ctx.check(std::move(done));
    };
    if (source == "-") {
        if (!isDir) throw CliError{fmt::format("destination \"{}\" must be a directory", shown)};
        check(m_c.copyTo(m_container, dst, STDIN_FILENO, in), dst);
        return;
    }
    // docker's ResolveHostSourcePath: with -L the whole path's symlinks, else only its
    // parents' (a trailing "/" makes the last component a parent).
    const std::string src = absoluteLocal(source);
    std::string resolved, rebaseName;
    std::error_code ec;
    if (m_o.followLink) {
        fs::path real = fs::canonical(src, ec);
        if (ec) throw CliError{fmt::format("lstat {}: {}", src, ec.message())};
        std::tie(resolved, rebaseName) = rebased(src, real.string());
    } else {
        const size_t slash = src.rfind('/');
        fs::path parent = fs::canonical(src.substr(0, slash + 1), ec);
        if (ec) throw CliError{fmt::format("lstat {}: {}", src.substr(0, slash + 1), ec.message())};
        resolved = (parent.string() == "/" ? "" : parent.string()) + "/" + src.substr(slash + 1);
        if (hasTrailingSeparator(src) && baseOf(src) != baseOf(resolved)) rebaseName = baseOf(src);
    }
    struct stat hs{};
    if (::lstat(resolved.c_str(), &hs) != 0) throw CliError{sysError("lstat", resolved)};
    const CopyPlan plan = planCopy(rebaseName.empty() ? tarTop(resolved) : rebaseName, S_ISDIR(hs.st_mode), dst, exists,
                                   isDir, shown);
    check(throughPipe([&](int out) { return writeHostTar(resolved, plan.name, out); },
                      [&](int fd) { return m_c.copyTo(m_container, plan.dir, fd, in); }, m_copied),
          plan.dir);
}

void runCopy(CliContext& ctx, const CpOptions& o) {
    if (o.source.empty()) throw CliError{"source can not be empty"};
    if (o.destination.empty()) throw CliError{"destination can not be empty"};
    auto [srcContainer, srcPath] = splitCpArg(o.source);
    auto [dstContainer, dstPath] = splitCpArg(o.destination);
    if (!srcContainer.empty() && !dstContainer.empty()) throw CliError{"copying between containers is not supported"};
    if (srcContainer.empty() && dstContainer.empty())
        throw CliError{"must specify at least one container source (CONTAINER:PATH)"};
    // A failed side closes its end of the pipe: the other side's write fails with EPIPE
    // and says so, instead of the signal ending the program.
    ::signal(SIGPIPE, SIG_IGN);
    // docker 25+ ends a copy with this line on stderr, unless -q or stderr is not a
    // terminal; not for a tar on stdin or stdout ("-").
    const bool tell = !o.quiet && ::isatty(STDERR_FILENO);
    if (!srcContainer.empty()) {
        Copier c(ctx, srcContainer, srcPath, o);
        c.from(o.destination);
        if (tell && o.destination != "-")
            fmt::print(stderr, "Successfully copied {} to {}\n", humanSize(c.copied()), absoluteLocal(o.destination));
    } else {
        Copier c(ctx, dstContainer, dstPath, o);
        c.to(o.source);
        if (tell && o.source != "-")
            fmt::print(stderr, "Successfully copied {} to {}\n", humanSize(c.copied()), o.destination);
    }
}

} // namespace

void addCopyVerb(CLI::App& parent, CliContext& ctx) {
    auto o = std::make_shared<CpOptions>();
    auto* sub = addVerb(parent, "cp", "Copy files/folders between a container and the local filesystem", ctx,
                        [&ctx, o] { runCopy(ctx, *o); });
    sub->add_flag("-a,--archive", o->archive, "Archive mode (copy all uid/gid information)");
    sub->add_flag("-L,--follow-link", o->followLink, "Always follow symbol link in SRC_PATH");
    sub->add_flag("-q,--quiet", o->quiet,
                  "Suppress progress output during copy (the \"Successfully copied\" line; only shown on a terminal)");
    sub->add_option("source", o->source, "CONTAINER:SRC_PATH, SRC_PATH or - (a tar on stdin)")->required();
    sub->add_option("destination", o->destination, "DEST_PATH, - (a tar on stdout) or CONTAINER:DEST_PATH")->required();
    sub->footer("The tar streams of \"-\" hold the source as docker's do: `berth cp c:/etc - | tar t` lists etc/...");
}

} // namespace berth::cli
