// COPY and ADD: sources from the context (globs, .dockerignore, nothing outside it), from
// another stage or image (--from), or heredocs; ADD also unpacks local tar archives. The
// files are written into an overlay of the stage's layers whose upper dir is the new layer.
#include "build/build_run.h"
#include "sys/json_read.h"

#include "build/overlay_mount.h"
#include "build/tree_copy.h"
#include "runtime/safe_path.h"
#include "runtime/user_lookup.h"
#include "sys/fs.h"
#include "sys/userns.h"

#include <fcntl.h>
#include <sched.h>
#include <cstring>
#include <sys/stat.h>

#include <fmt/format.h>

namespace berth::build {

namespace fs = std::filesystem;

namespace {

struct Source {
    std::string written;   // as in the Dockerfile, substituted
    std::string rel;       // context-relative (context sources)
    fs::path host;         // where to read it
    std::string name;      // the name it gets in a destination directory
    bool isDir = false;
    bool heredoc = false;
    bool archive = false;  // ADD: unpack
    bool keepOwners = false;  // from another stage or image: owners as they are there
};

std::string baseName(const std::string& p) {
    auto s = p;
    while (s.size() > 1 && s.back() == '/') s.pop_back();
    auto slash = s.rfind('/');
    return slash == std::string::npos ? s : s.substr(slash + 1);
}

} // namespace

// One COPY or ADD, worked out in steps: flags and words, the sources (context, heredocs,
// or another stage or image), the destination, the cache key; then the copy itself into
// the step's overlay. What it mounted or opened for --from is released when it goes.
struct CopyStep {
    CopyStep(BuildRun& run, StageState& st, const Instruction& ins, Stage& stage)
        : run(run), st(st), ins(ins), stage(stage), isAdd(ins.keyword == "ADD"), env(run.lookup(st)),
          keyText(ins.keyword), fromDir(run.m_work->path() / fmt::format("from-{}", run.m_vertex + 1)) {}
    CopyStep(const CopyStep&) = delete;
    CopyStep& operator=(const CopyStep&) = delete;
    ~CopyStep() {
        keepOpen.clear();
        fromRoot.reset();
        if (fromMount) fromMount->unmount();
        (void)sys::removeAll(fromDir);
    }

    auto err(Errc c, const std::string& m) const { return fail(c, run.stepError(ins, m)); }
    VoidResult parse();
    VoidResult addSources();
    VoidResult resolveFrom();
    VoidResult checkSources(size_t count) const;
    VoidResult destination();
    Result<CopyOptions> copyOptions(int rootFd) const;
    VoidResult copySource(int rootFd, const Source& s, const CopyOptions& o, const fs::path& stepDir, int vertex) const;
    Result<fs::path> work(const fs::path& upper, int vertex);
    Result<fs::path> rootlessWork(const fs::path& upper, int vertex);

    BuildRun& run;
    StageState& st;
    const Instruction& ins;
    Stage& stage;
    const bool isAdd;
    const EnvLookup env;
    std::vector<std::string> words;  // the sources as written, substituted
    std::string dest;
    std::optional<std::string> fromRef;
    std::optional<std::string> chown;
    std::optional<mode_t> chmod;
    std::string keyText;  // the cache key's text
    ImageState fromState;
    std::optional<OverlayMount> fromMount;
    sys::UniqueFd fromRoot;
    std::vector<sys::UniqueFd> keepOpen;
    fs::path fromDir;
    std::vector<Source> sources;
    bool fromInHelper = false;
    std::string destPath;
    bool destSlash = false;
};

// Flags and words; the source stage or image of --from.
VoidResult CopyStep::parse() {
    for (const char* f : {"parents", "exclude", "checksum", "keep-git-dir"})
        if (ins.flag(f)) return err(Errc::Unsupported, fmt::format("{} --{} is not supported by berth yet", ins.keyword, f));
    for (auto& a : ins.args) {
        auto w = ins.json ? run.m_lex.expandOnly(a, env) : run.m_lex.processWord(a, env);
        if (!w) return err(Errc::InvalidArgument, w.error().message());
        words.push_back(*w);
    }
    dest = words.back();
    words.pop_back();
    if (auto f = ins.flag("from")) {
        auto w = run.m_lex.processWord(*f, env);
        if (!w) return err(Errc::InvalidArgument, w.error().message());
        fromRef = *w;
    }
    if (auto c = ins.flag("chown")) chown = BERTH_TRY(run.m_lex.processWord(*c, env));
    if (auto c = ins.flag("chmod")) {
        auto text = BERTH_TRY(run.m_lex.processWord(*c, env));
        char* end = nullptr;
        long v = std::strtol(text.c_str(), &end, 8);
        if (text.empty() || *end || v < 0 || v > 07777) return err(Errc::InvalidArgument, "invalid chmod parameter: " + text);
        chmod = mode_t(v);
    }
    if (fromRef) {
        std::string fromKey;
        auto s = run.sourceState(*fromRef, stage.index, fromKey);
        if (!s) return err(s.error().code(), "--from=" + *fromRef + ": " + s.error().message());
        fromState = std::move(*s);
        keyText += " --from=" + fromKey;
    }
    if (chown) keyText += " --chown=" + *chown;
    if (chmod) keyText += fmt::format(" --chmod={:o}", *chmod);
    return {};
}

// Heredocs and the context's sources (globs, .dockerignore), each hashed into the key.
VoidResult CopyStep::addSources() {
    size_t heredocIndex = 0;
    for (auto& w : words) {
        if (w.starts_with("<<") && heredocIndex < ins.heredocs.size()) {
            auto& h = ins.heredocs[heredocIndex++];
            auto content = h.expand ? run.m_lex.expandOnly(h.content, env) : Result<std::string>(h.content);
            if (!content) return err(Errc::InvalidArgument, content.error().message());
            fs::path file = run.m_work->path() / fmt::format("heredoc-{}-{}", run.m_vertex + 1, heredocIndex);
            BERTH_TRYV(sys::writeFileAtomic(file, *content, 0644));
            sources.push_back({w, "", file, h.name, false, true, false});
            keyText += " <<" + h.name + "\n" + *content;
            continue;
        }
        if (isAdd && (w.starts_with("http://") || w.starts_with("https://") || w.starts_with("git@")))
            return err(Errc::Unsupported, "ADD of a URL is not supported (berth builds without network): " + w);
        if (fromRef) continue;  // resolved inside the source stage (resolveFrom)
        const auto& context = run.m_context;
        auto rel = context.checkedRelative(w);
        if (!rel) return err(rel.error().code(), rel.error().message());
        auto matches = expandGlob(context.dir(), *rel);
        std::vector<std::string> kept;
        for (auto& m : matches)
            if (m == "." || !context.ignore().excluded(m)) kept.push_back(m);
        if (kept.empty())
            return err(Errc::NotFound, hasGlob(*rel) ? fmt::format("no source files were specified (nothing matches `{}`)", w)
                                                     : fmt::format("\"{}\": not found in the build context", w));
        for (auto& m : kept) {
            auto host = context.resolve(m);
            if (!host) return err(host.error().code(), host.error().message());
            struct stat sst;
            if (::stat(host->c_str(), &sst) != 0)
                return err(Errc::NotFound, fmt::format("\"{}\": not found in the build context", m == *rel ? w : m));
            Source s{w, m, *host, baseName(m == "." ? context.dir().string() : m), S_ISDIR(sst.st_mode), false, false};
            if (isAdd && !s.isDir && isLocalArchive(*host)) s.archive = true;
            auto h = hashSource(*host, m, &context.ignore(), s.archive);
            if (!h) return err(h.error().code(), h.error().message());
            keyText += fmt::format(" {}:{}{}", m, s.archive ? "archive:" : "", *h);
            sources.push_back(std::move(s));
        }
    }
    return {};
}

// --from sources are read from a read-only overlay of the source stage. Rootless, only
// the user-namespace helper may mount it (and read files of mapped ids), so there the
// view is mounted and the sources resolved inside the helper, right before the copy;
// the cache key then names the patterns as written (the source stage's key already
// pins its content).
VoidResult CopyStep::resolveFrom() {
    BERTH_TRYV(sys::makeDirs(fromDir));
    auto lowers = layerDirs(run.m_images.layout(), fromState);
    auto mounted = OverlayMount::mount(lowers, {}, {}, fromDir);
    if (!mounted) return err(mounted.error().code(), mounted.error().message());
    fromMount.emplace(std::move(*mounted));
    int rfd = ::open(fromDir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (rfd < 0) return err(Errc::System, "open the --from root: " + std::string(std::strerror(errno)));
    fromRoot = sys::UniqueFd(rfd);
    for (auto& w : words) {
        if (w.starts_with("<<")) continue;
        std::string abs = cleanPath("/" + w);
        std::vector<std::string> matches{abs.substr(1)};
        if (hasGlob(abs)) matches = expandGlob(fromDir, abs.substr(1));
        if (matches.empty()) return err(Errc::NotFound, fmt::format("no source files were specified (nothing matches `{}` in {})", w, *fromRef));
        for (auto& m : matches) {
            auto fd = runtime::openInRoot(fromRoot.get(), "/" + m, runtime::Symlinks::FollowInRoot, O_PATH);
            if (!fd) return err(Errc::NotFound, fmt::format("\"{}\": not found in {}", w, *fromRef));
            struct stat sst;
            if (::fstat(fd->get(), &sst) != 0) return err(Errc::System, "stat " + w);
            // The path the kernel resolved beneath the (read-only) stage root: lstat of
            // /proc/self/fd/N itself would see the magic link, not the file.
            std::error_code ec;
            auto real = fs::read_symlink(runtime::fdPath(fd->get()), ec);
            if (ec) return err(Errc::System, "resolve " + w + ": " + ec.message());
            // Between stages owners are kept (BuildKit, buildah; moby#38599).
            Source s{w, "", real, baseName(m.empty() ? "/" : m), S_ISDIR(sst.st_mode), false, false, true};
            if (!fromInHelper) keyText += " " + m;
            keepOpen.push_back(std::move(*fd));
            sources.push_back(std::move(s));
        }
    }
    return {};
}

VoidResult CopyStep::checkSources(size_t count) const {
    if (count == 0) return err(Errc::InvalidArgument, "no source files were specified");
    if (count > 1 && !destSlash)
        return err(Errc::InvalidArgument,
                   fmt::format("When using {} with more than one source file, the destination must be a directory and end with a /", ins.keyword));
    return {};
}

// The destination, relative to WORKDIR. Several sources need a directory ending in '/'.
VoidResult CopyStep::destination() {
    std::string workdir = sys::jsonString(st.image.config["config"], "WorkingDir", "/");
    if (workdir.empty()) workdir = "/";
    destSlash = dest.ends_with("/") || dest == "." || dest.ends_with("/.");
    destPath = cleanPath(dest.starts_with("/") ? dest : workdir + "/" + dest);
    // Rootless --from: what can be checked before the helper resolves the sources.
    size_t pending = 0;
    if (fromInHelper)
        for (auto& w : words) pending += w.starts_with("<<") ? 0 : 1;
    BERTH_TRYV(checkSources(sources.size() + pending));
    keyText += " " + destPath + (destSlash ? "/" : "");
    return {};
}

// --chmod, and --chown's user and group looked up in the stage's own /etc files.
Result<CopyOptions> CopyStep::copyOptions(int rootFd) const {
    CopyOptions o;
    o.mode = chmod;
    if (chown) {
        auto passwd = runtime::readFileInRoot(rootFd, "/etc/passwd").value_or("");
        auto group = runtime::readFileInRoot(rootFd, "/etc/group").value_or("");
        auto user = BERTH_TRY_CTX(runtime::lookupUserIn(passwd, group, *chown), "--chown=" + *chown);
        // Docker: a user (name or uid) without a group gets the same number as its gid.
        o.owner = std::pair{user.uid, chown->find(':') == std::string::npos ? gid_t(user.uid) : user.gid};
    }
    return o;
}

VoidResult CopyStep::copySource(int rootFd, const Source& s, const CopyOptions& o, const fs::path& stepDir,
                                int vertex) const {
    CopyOptions so = o;
    so.ignore = s.rel.empty() ? nullptr : &run.m_context.ignore();
    so.keepOwners = s.keepOwners;
    if (s.archive) {
        auto unpacked = stepDir / fmt::format("archive-{}", vertex);
        BERTH_TRYV(sys::makeDirs(unpacked));
        auto fd = BERTH_TRY(sys::openFile(s.host, O_RDONLY));
        BERTH_TRYV_CTX(unpackContextArchive(fd.get(), unpacked), "ADD " + s.written);
        so.ignore = nullptr;
        so.keepOwners = true;
        BERTH_TRYV(copyContentsInto(rootFd, destPath, unpacked, "", so));
        (void)sys::removeAll(unpacked);
        return {};
    }
    if (s.isDir) return copyContentsInto(rootFd, destPath, s.host, s.rel, so);
    bool intoDir = destSlash;
    if (!intoDir) {
        auto existing = runtime::openInRoot(rootFd, destPath, runtime::Symlinks::FollowInRoot, O_RDONLY | O_DIRECTORY);
        intoDir = existing.has_value();
    }
    if (intoDir) return copyEntryInto(rootFd, destPath, s.host, s.rel, s.name, so);
    auto slash = destPath.rfind('/');
    std::string parent = slash == 0 ? "/" : destPath.substr(0, slash);
    return copyEntryInto(rootFd, parent, s.host, s.rel, destPath.substr(slash + 1), so);
}

// The copy into an overlay of the stage's layers whose upper dir is the new layer.
Result<fs::path> CopyStep::work(const fs::path& upper, int vertex) {
    auto stepDir = upper.parent_path();
    BERTH_TRYV(sys::makeDirs(stepDir / "work"));
    BERTH_TRYV(sys::makeDirs(stepDir / "merged"));
    auto mounted = BERTH_TRY(OverlayMount::mount(layerDirs(run.m_images.layout(), st.image), upper, stepDir / "work", stepDir / "merged"));
    int rfd = ::open((stepDir / "merged").c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (rfd < 0) return failErrno("open the stage's root");
    sys::UniqueFd root(rfd);
    auto o = BERTH_TRY(copyOptions(root.get()));
    for (auto& s : sources) BERTH_TRYV(copySource(root.get(), s, o, stepDir, vertex));
    root.reset();
    mounted.unmount();
    return upper;
}

// Rootless: an ordinary user can neither mount an overlay nor chown, so the copy (and the
// --from view) runs in the user-namespace helper the layer code uses
// (image/layer_apply_rootless.h), in a mount namespace of its own: files are 0:0 there
// (the user on the host) and --chown ids are the mapped ones, which the layer writer
// records as the image's owners.
Result<fs::path> CopyStep::rootlessWork(const fs::path& upper, int vertex) {
    if (!run.m_images.layout().settings.rootless() || sys::inUserNamespaceHelper()) return work(upper, vertex);
    auto mapping = BERTH_TRY_CTX(sys::rootlessIdMapping(), ins.keyword + " (rootless)");
    auto done = BERTH_TRY(sys::runInUserNamespace(mapping, [&]() -> Result<std::string> {
        if (::unshare(CLONE_NEWNS) != 0) return failErrno("unshare a mount namespace for " + ins.keyword);
        if (fromInHelper) {
            BERTH_TRYV(resolveFrom());
            BERTH_TRYV(checkSources(sources.size()));
        }
        return BERTH_TRY(work(upper, vertex)).string();
    }));
    return fs::path(done);
}

Result<void> BuildRun::doCopy(StageState& st, const Instruction& ins, Stage& stage) {
    CopyStep step(*this, st, ins, stage);
    BERTH_TRYV(step.parse());
    BERTH_TRYV(step.addSources());
    step.fromInHelper = step.fromRef && m_images.layout().settings.rootless();
    if (step.fromRef && !step.fromInHelper) BERTH_TRYV(step.resolveFrom());
    if (step.fromInHelper)
        for (auto& w : step.words)
            if (!w.starts_with("<<")) step.keyText += " " + cleanPath("/" + w);
    BERTH_TRYV(step.destination());
    return layerStep(stage, st, ins, step.keyText,
                     [&step](const fs::path& upper, int vertex) { return step.rootlessWork(upper, vertex); }, ins.original);
}

} // namespace berth::build
