#pragma once
// A build context: the directory COPY and ADD read from, the Dockerfile, and the
// .dockerignore rules. The context is a folder, or a tar archive (plain, gzip, bzip2, xz or
// zstd; "-" reads it from stdin) unpacked into a private directory that is removed with the
// context, or a git repository (git_source.h) checked out into such a directory. Sources are resolved strictly inside the context: `../x` and symlinks that lead
// out are refused.

#include "build/docker_ignore.h"
#include "build/git_source.h"
#include "sys/error.h"

#include <filesystem>
#include <memory>
#include <stop_token>
#include <string>

namespace berth::build {

struct ContextRequest {
    std::string source;      // folder, archive file, git source, or "-" (archive on stdin)
    std::string dockerfile;  // -f: "" = <context>/Dockerfile; "-" = read from stdin
    // Where an archive is unpacked (a fresh directory is made below it).
    std::filesystem::path scratchDir;
    int stdinFd = 0;
    GitProgressFn progress;  // git sources: fetch and checkout progress lines
    std::stop_token stop;    // cancels a git fetch
};

class BuildContext {
public:
    static Result<BuildContext> open(const ContextRequest& request);
    BuildContext(BuildContext&&) noexcept = default;
    BuildContext& operator=(BuildContext&&) noexcept = default;
    ~BuildContext();

    const std::filesystem::path& dir() const { return m_dir; }
    const std::string& dockerfileText() const { return m_dockerfileText; }
    // For messages: "Dockerfile", "Dockerfile.dev".
    const std::string& dockerfileName() const { return m_dockerfileName; }
    const DockerIgnore& ignore() const { return m_ignore; }
    // Git sources: the commit checked out (hex), else "".
    const std::string& gitCommit() const { return m_gitCommit; }

    // A context path (as written in COPY, relative or "/"-rooted, already substituted)
    // cleaned and checked: Errc::PermissionDenied when it leaves the context, by `..` or
    // by a symlink on the way. The returned path is relative ("." for the root).
    Result<std::string> checkedRelative(std::string_view path) const;
    // Host path of a checked relative path, with symlinks resolved inside the context.
    Result<std::filesystem::path> resolve(std::string_view path) const;

private:
    BuildContext() = default;
    std::filesystem::path m_dir;
    std::filesystem::path m_owned;  // the unpacked archive, removed by the destructor
    std::string m_dockerfileText;
    std::string m_dockerfileName = "Dockerfile";
    std::string m_gitCommit;
    DockerIgnore m_ignore;
};

// Unpacks a tar archive (any compression libarchive detects) from `fd` into `dest`
// (existing, empty). Absolute paths, `..`, writes through symlinks and device nodes are
// refused with the entry's name.
VoidResult unpackContextArchive(int fd, const std::filesystem::path& dest);

} // namespace berth::build
