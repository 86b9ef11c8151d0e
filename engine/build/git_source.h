#pragma once
// Git build contexts through libgit2 (no git program): recognising a git source the way
// docker does, listing a remote's branches and tags, and checking one ref out into a
// directory. `https://host/repo.git#ref:subdir`, `git://…`, `git@host:repo.git`,
// `ssh://…`, `file:///path/repo.git` and a local repository path with `#ref[:subdir]`
// (or a bare repository) are git sources; a plain folder stays a folder (uncommitted
// changes included), as with docker.
//
// Only the wanted ref is fetched (its history; libgit2 1.5 cannot fetch shallow).
// Submodules are not checked out.

#include "berth/builds.h"
#include "sys/error.h"

#include <filesystem>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

namespace berth::build {

struct GitSource {
    std::string url;     // what libgit2 fetches from (a URL or an absolute local path)
    std::string ref;     // branch, tag, full ref name or commit; "" = the remote's HEAD
    std::string subdir;  // the context inside the repository; "" = its root
};

// Docker's rules (plus file:// and local repositories). nullopt: not a git source.
std::optional<GitSource> parseGitSource(std::string_view source);

using berth::GitRef;

// The remote's branches and tags (git_remote_ls), branches first, each group by name.
Result<std::vector<GitRef>> listGitRefs(std::string_view url, std::stop_token stop = {});

using GitProgressFn = std::function<void(const std::string&)>;

struct GitCheckout {
    std::string commit;    // hex of the commit checked out
    std::string resolved;  // the full ref name it came from ("refs/tags/v1"), or the commit
};

// Fetches `source.ref` from `source.url` into a bare repository at `repoDir` and checks
// its tree out into `treeDir` (both created; the caller removes them). A ref the remote
// lacks is Errc::NotFound naming the ref and the repository.
Result<GitCheckout> checkoutGit(const GitSource& source, const std::filesystem::path& repoDir,
                                const std::filesystem::path& treeDir, const GitProgressFn& progress = {},
                                std::stop_token stop = {});

} // namespace berth::build
