// berth cp: docker cp's semantics, wired to the engine's side in the container
// (Containers::statPath, copyFrom, copyTo: paths resolved inside the container's root) and
// the host's side (berth/host_copy.h). What is decided here is docker's CLI's part: which
// argument names a container, how trailing "/" and "/." read, whether the source goes
// into a destination directory or becomes the destination (the tar's top entry renamed),
// -L, and the error messages.
#include "container_cli.h"

#include "berth/host_copy.h"

#include <fmt/format.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <thread>
#include <utility>

namespace berth::cli {

namespace {

namespace fs = std::filesystem;

struct CpOptions {
    bool archive = false;     // -a: the owners in the tar kept in the container
    bool followLink = false;  // -L
    bool quiet = false;       // -q: accepted (no progress is drawn)
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

// Runs `produce` on a thread writing into a pipe that `consume` reads here. A consumer that
// fails closes its end, so the producer's next write fails (SIGPIPE is ignored) and it ends.
VoidResult throughPipe(const std::function<VoidResult(int)>& produce, const std::function<VoidResult(int)>& consume) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return failErrno("pipe");
    VoidResult produced;
    std::jthread producer([&] {
        produced = produce(fds[1]);
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
                            [&](int in) { return extractHostTar(plan.dir, in, x); }));
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
                      [&](int fd) { return m_c.copyTo(m_container, plan.dir, fd, in); }),
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
    if (!srcContainer.empty()) Copier(ctx, srcContainer, srcPath, o).from(o.destination);
    else Copier(ctx, dstContainer, dstPath, o).to(o.source);
}

} // namespace

void addCopyVerb(CLI::App& parent, CliContext& ctx) {
    auto o = std::make_shared<CpOptions>();
    auto* sub = addVerb(parent, "cp", "Copy files/folders between a container and the local filesystem", ctx,
                        [&ctx, o] { runCopy(ctx, *o); });
    sub->add_flag("-a,--archive", o->archive, "Archive mode (copy all uid/gid information)");
    sub->add_flag("-L,--follow-link", o->followLink, "Always follow symbol link in SRC_PATH");
    sub->add_flag("-q,--quiet", o->quiet, "Suppress progress output during copy");
    sub->add_option("source", o->source, "CONTAINER:SRC_PATH, SRC_PATH or - (a tar on stdin)")->required();
    sub->add_option("destination", o->destination, "DEST_PATH, - (a tar on stdout) or CONTAINER:DEST_PATH")->required();
    sub->footer("The tar streams of \"-\" hold the source as docker's do: `berth cp c:/etc - | tar t` lists etc/...");
}

} // namespace berth::cli
