// Git sources (see git_source.h): libgit2 fetches into a private bare repository, then the
// wanted commit's tree is checked out into a separate directory (so the context carries no
// .git directory, as with BuildKit's git sources).
#include "build/git_source.h"

#include "sys/fs.h"

#include <git2.h>
#include <sys/stat.h>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <mutex>

namespace berth::build {

namespace fs = std::filesystem;

namespace {

void initLibgit2() {
    // Refcounted by libgit2; never shut down: other threads may be using it.
    static std::once_flag once;
    std::call_once(once, [] { git_libgit2_init(); });
}

// "what: libgit2's message".
Error gitError(std::string_view what, int code) {
    const git_error* e = git_error_last();
    std::string why = e && e->message ? e->message : fmt::format("libgit2 error {}", code);
    Errc errc = Errc::Io;
    if (code == GIT_ENOTFOUND) errc = Errc::NotFound;
    else if (code == GIT_EAUTH) errc = Errc::Auth;
    else if (code == GIT_EUSER) errc = Errc::Cancelled;
    else if (e && (e->klass == GIT_ERROR_NET || e->klass == GIT_ERROR_HTTP || e->klass == GIT_ERROR_SSH)) errc = Errc::Network;
    return Error(errc, fmt::format("{}: {}", what, why));
}

template <class T, void (*Free)(T*)>
struct GitDeleter {
    void operator()(T* p) const { Free(p); }
};
using RepoPtr = std::unique_ptr<git_repository, GitDeleter<git_repository, git_repository_free>>;
using RemotePtr = std::unique_ptr<git_remote, GitDeleter<git_remote, git_remote_free>>;
using ObjectPtr = std::unique_ptr<git_object, GitDeleter<git_object, git_object_free>>;
using ReferencePtr = std::unique_ptr<git_reference, GitDeleter<git_reference, git_reference_free>>;
using TreePtr = std::unique_ptr<git_tree, GitDeleter<git_tree, git_tree_free>>;

std::string oidHex(const git_oid& oid) {
    char buf[GIT_OID_HEXSZ + 1];
    git_oid_tostr(buf, sizeof buf, &oid);
    return buf;
}

bool isHex(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

bool isRepositoryDir(const fs::path& p) {
    std::error_code ec;
    if (fs::exists(p / ".git", ec)) return true;
    // A bare repository: HEAD, objects/ and refs/ at the top.
    return fs::is_regular_file(p / "HEAD", ec) && fs::is_directory(p / "objects", ec) && fs::is_directory(p / "refs", ec);
}

struct CallbackState {
    std::stop_token stop;
    const GitProgressFn* progress = nullptr;
    std::chrono::steady_clock::time_point lastReport{};
    bool reportedDone = false;
    int credentialTries = 0;
};

int onTransfer(const git_indexer_progress* p, void* payload) {
    auto* st = static_cast<CallbackState*>(payload);
    if (st->stop.stop_requested()) return GIT_EUSER;
    if (!st->progress || !*st->progress || p->total_objects == 0) return 0;
    auto now = std::chrono::steady_clock::now();
    bool done = p->indexed_objects == p->total_objects;
    if (done ? st->reportedDone : now - st->lastReport < std::chrono::milliseconds(500)) return 0;
    st->lastReport = now;
    st->reportedDone = done;
    (*st->progress)(fmt::format("receiving objects: {}% ({}/{}), {} KiB", p->received_objects * 100 / p->total_objects,
                                p->received_objects, p->total_objects, p->received_bytes / 1024));
    return 0;
}

// ssh: the agent's keys (as git does without a key file); nothing else is tried, and a
// second request for the same URL means the keys were refused.
int onCredentials(git_credential** out, const char*, const char* userFromUrl, unsigned allowed, void* payload) {
    auto* st = static_cast<CallbackState*>(payload);
    if (++st->credentialTries > 1) return GIT_PASSTHROUGH;
    if (allowed & GIT_CREDENTIAL_SSH_KEY) return git_credential_ssh_key_from_agent(out, userFromUrl ? userFromUrl : "git");
    if (allowed & GIT_CREDENTIAL_DEFAULT) return git_credential_default_new(out);
    return GIT_PASSTHROUGH;
}

void initCallbacks(git_remote_callbacks& cb, CallbackState& st) {
    git_remote_init_callbacks(&cb, GIT_REMOTE_CALLBACKS_VERSION);
    cb.transfer_progress = onTransfer;
    cb.credentials = onCredentials;
    cb.payload = &st;
}

// Connected remote: its advertised refs.
Result<std::vector<const git_remote_head*>> remoteHeads(git_remote* remote, std::string_view url) {
    const git_remote_head** heads = nullptr;
    size_t n = 0;
    if (int rc = git_remote_ls(&heads, &n, remote); rc < 0)
        return fail(gitError(fmt::format("list the refs of {}", url), rc));
    return std::vector<const git_remote_head*>(heads, heads + n);
}

Result<RemotePtr> connect(git_repository* repo, const std::string& url, CallbackState& st) {
    git_remote* raw = nullptr;
    int rc = repo ? git_remote_create_anonymous(&raw, repo, url.c_str()) : git_remote_create_detached(&raw, url.c_str());
    if (rc < 0) return fail(gitError(fmt::format("git repository `{}`", url), rc));
    RemotePtr remote(raw);
    git_remote_callbacks cb;
    initCallbacks(cb, st);
    if (rc = git_remote_connect(remote.get(), GIT_DIRECTION_FETCH, &cb, nullptr, nullptr); rc < 0)
        return fail(gitError(fmt::format("connect to the git repository `{}`", url), rc));
    return remote;
}

std::string refSummary(const std::vector<const git_remote_head*>& heads) {
    std::vector<std::string> branches, tags;
    for (auto* h : heads) {
        std::string_view n = h->name;
        if (n.starts_with("refs/heads/")) branches.emplace_back(n.substr(11));
        else if (n.starts_with("refs/tags/") && !n.ends_with("^{}")) tags.emplace_back(n.substr(10));
    }
    auto join = [](std::vector<std::string>& v) {
        std::sort(v.begin(), v.end());
        std::string out;
        for (size_t i = 0; i < v.size() && i < 12; ++i) out += (i ? ", " : "") + v[i];
        if (v.size() > 12) out += ", …";
        return out.empty() ? std::string("none") : out;
    };
    return fmt::format("branches: {}; tags: {}", join(branches), join(tags));
}

} // namespace

std::optional<GitSource> parseGitSource(std::string_view source) {
    if (source.empty() || source == "-") return std::nullopt;
    std::string s(source);
    // A path that exists as written is a folder or an archive (even with a '#' in its name),
    // unless it is a bare repository.
    std::error_code ec;
    if (fs::exists(s, ec)) {
        if (fs::is_directory(s, ec) && !fs::exists(fs::path(s) / ".git", ec) && isRepositoryDir(s))
            return GitSource{fs::absolute(s).lexically_normal().string(), "", ""};
        return std::nullopt;
    }
    std::string base = s, fragment;
    if (auto hash = s.find('#'); hash != std::string::npos) {
        base = s.substr(0, hash);
        fragment = s.substr(hash + 1);
    }
    std::string_view b = base;
    bool git = false;
    std::string url = base;
    if (b.starts_with("git://") || b.starts_with("git@") || b.starts_with("ssh://") || b.starts_with("file://")) {
        git = true;
    } else if (b.starts_with("github.com/")) {
        git = true;
        url = "https://" + base;
    } else if ((b.starts_with("http://") || b.starts_with("https://")) && b.ends_with(".git")) {
        git = true;
    } else if (s.find('#') != std::string::npos && fs::is_directory(base, ec) && isRepositoryDir(base)) {
        // "repo#" (the default branch) counts too: the '#' says "as a git source".
        git = true;
        url = fs::absolute(base).lexically_normal().string();
    }
    if (!git) return std::nullopt;
    GitSource g;
    g.url = url;
    if (auto colon = fragment.find(':'); colon != std::string::npos) {
        g.ref = fragment.substr(0, colon);
        g.subdir = fragment.substr(colon + 1);
    } else {
        g.ref = fragment;
    }
    return g;
}

Result<std::vector<GitRef>> listGitRefs(std::string_view urlView, std::stop_token stop) {
    initLibgit2();
    std::string url(urlView);
    if (auto g = parseGitSource(url)) url = g->url;
    CallbackState st;
    st.stop = stop;
    auto remote = BERTH_TRY(connect(nullptr, url, st));
    auto heads = BERTH_TRY(remoteHeads(remote.get(), url));
    std::string headTarget;
    const git_oid* headOid = nullptr;
    for (auto* h : heads)
        if (std::string_view(h->name) == "HEAD") {
            if (h->symref_target) headTarget = h->symref_target;
            headOid = &h->oid;
        }
    std::vector<GitRef> out;
    for (auto* h : heads) {
        std::string_view n = h->name;
        if (n == "HEAD" || n.ends_with("^{}")) continue;
        GitRef r;
        r.fullName = n;
        r.commit = oidHex(h->oid);
        if (n.starts_with("refs/heads/")) {
            r.kind = GitRef::Kind::Branch;
            r.name = n.substr(11);
            r.isHead = headTarget.empty() ? headOid && git_oid_equal(headOid, &h->oid) : headTarget == n;
        } else if (n.starts_with("refs/tags/")) {
            r.kind = GitRef::Kind::Tag;
            r.name = n.substr(10);
        } else {
            r.name = n;
        }
        out.push_back(std::move(r));
    }
    std::stable_sort(out.begin(), out.end(), [](const GitRef& a, const GitRef& b) {
        if (a.kind != b.kind) return int(a.kind) < int(b.kind);
        return a.name < b.name;
    });
    git_remote_disconnect(remote.get());
    return out;
}

Result<GitCheckout> checkoutGit(const GitSource& source, const fs::path& repoDir, const fs::path& treeDir,
                                const GitProgressFn& progress, std::stop_token stop) {
    initLibgit2();
    const std::string& url = source.url;
    const std::string& ref = source.ref;
    if (ref.find_first_of(" \t\n*?[\\~^") != std::string::npos || ref.find("..") != std::string::npos || ref.starts_with("-"))
        return fail(Errc::InvalidArgument, fmt::format("invalid git ref `{}` for {}", ref, url));
    BERTH_TRYV(sys::makeDirs(repoDir, 0700));
    BERTH_TRYV(sys::makeDirs(treeDir, 0755));
    git_repository* rawRepo = nullptr;
    if (int rc = git_repository_init(&rawRepo, repoDir.c_str(), 1); rc < 0)
        return fail(gitError("create a repository for the git context", rc));
    RepoPtr repo(rawRepo);

    CallbackState st;
    st.stop = stop;
    st.progress = &progress;
    if (progress) progress(fmt::format("fetching {}{}", url, ref.empty() ? "" : " at " + ref));
    auto remote = BERTH_TRY(connect(repo.get(), url, st));
    auto heads = BERTH_TRY(remoteHeads(remote.get(), url));

    // The ref names the remote advertises that `ref` may mean, in git's order.
    std::string wanted;  // full name to fetch, or "" to fetch everything and look for a commit
    if (ref.empty()) {
        for (auto* h : heads)
            if (std::string_view(h->name) == "HEAD") wanted = h->symref_target ? h->symref_target : "HEAD";
        if (wanted.empty()) return fail(Errc::NotFound, fmt::format("git repository {} has no default branch (HEAD); name a ref with #ref", url));
    } else {
        std::vector<std::string> candidates;
        if (ref.starts_with("refs/")) candidates.push_back(ref);
        candidates.push_back("refs/heads/" + ref);
        candidates.push_back("refs/tags/" + ref);
        for (auto& c : candidates) {
            for (auto* h : heads)
                if (c == h->name) { wanted = c; break; }
            if (!wanted.empty()) break;
        }
        if (wanted.empty() && !(isHex(ref) && ref.size() >= 4 && ref.size() <= GIT_OID_HEXSZ))
            return fail(Errc::NotFound, fmt::format("git ref `{}` not found in {} ({})", ref, url, refSummary(heads)));
    }

    std::vector<std::string> specs;
    if (!wanted.empty()) specs.push_back("+" + wanted + ":refs/berth/want");
    else specs = {"+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*"};
    std::vector<char*> specPtrs;
    for (auto& s : specs) specPtrs.push_back(s.data());
    git_strarray refspecs{specPtrs.data(), specPtrs.size()};
    git_fetch_options fo;
    git_fetch_options_init(&fo, GIT_FETCH_OPTIONS_VERSION);
    initCallbacks(fo.callbacks, st);
    fo.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
    if (int rc = git_remote_fetch(remote.get(), &refspecs, &fo, nullptr); rc < 0) {
        if (stop.stop_requested()) return fail(Errc::Cancelled, "git fetch cancelled");
        return fail(gitError(fmt::format("fetch {} from {}", ref.empty() ? "HEAD" : ref, url), rc));
    }
    git_remote_disconnect(remote.get());

    ObjectPtr target;
    GitCheckout out;
    if (!wanted.empty()) {
        git_reference* rawRef = nullptr;
        if (int rc = git_reference_lookup(&rawRef, repo.get(), "refs/berth/want"); rc < 0)
            return fail(gitError(fmt::format("fetched ref `{}` of {}", wanted, url), rc));
        ReferencePtr fetched(rawRef);
        git_object* obj = nullptr;
        if (int rc = git_reference_peel(&obj, fetched.get(), GIT_OBJECT_COMMIT); rc < 0)
            return fail(gitError(fmt::format("git ref `{}` of {} is not a commit", wanted, url), rc));
        target.reset(obj);
        out.resolved = wanted;
    } else {
        git_object* obj = nullptr;
        int rc = git_revparse_single(&obj, repo.get(), ref.c_str());
        if (rc == GIT_ENOTFOUND || rc == GIT_EAMBIGUOUS) {
            return fail(Errc::NotFound, fmt::format("git ref `{}` not found in {} ({}{})", ref, url,
                                                    rc == GIT_EAMBIGUOUS ? "ambiguous commit prefix; " : "",
                                                    refSummary(heads)));
        }
        if (rc < 0) return fail(gitError(fmt::format("look up `{}` in {}", ref, url), rc));
        ObjectPtr found(obj);
        git_object* commit = nullptr;
        if (rc = git_object_peel(&commit, found.get(), GIT_OBJECT_COMMIT); rc < 0)
            return fail(gitError(fmt::format("git ref `{}` of {} is not a commit", ref, url), rc));
        target.reset(commit);
        out.resolved = oidHex(*git_object_id(target.get()));
    }
    out.commit = oidHex(*git_object_id(target.get()));
    if (stop.stop_requested()) return fail(Errc::Cancelled, "git checkout cancelled");

    git_tree* rawTree = nullptr;
    if (int rc = git_commit_tree(&rawTree, reinterpret_cast<git_commit*>(target.get())); rc < 0)
        return fail(gitError(fmt::format("tree of commit {}", out.commit), rc));
    TreePtr tree(rawTree);
    git_checkout_options co;
    git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
    co.checkout_strategy = GIT_CHECKOUT_FORCE | GIT_CHECKOUT_DONT_UPDATE_INDEX;
    std::string target_dir = treeDir.string();
    co.target_directory = target_dir.c_str();
    if (int rc = git_checkout_tree(repo.get(), reinterpret_cast<git_object*>(tree.get()), &co); rc < 0)
        return fail(gitError(fmt::format("check out commit {} of {}", out.commit, url), rc));
    if (progress) progress(fmt::format("checked out {} ({})", out.commit.substr(0, 12), out.resolved));
    return out;
}

} // namespace berth::build
