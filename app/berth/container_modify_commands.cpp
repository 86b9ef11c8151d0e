// The verbs that change a container after create or make something of its file system:
// rename, update, diff, export, commit (and cp, copy_command.cpp). Each is one engine call (berth::Containers).
#include "container_cli.h"

#include "berth/run_flags.h"

#include <fmt/format.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>

namespace berth::cli {

namespace {

void addRenameVerb(CLI::App& parent, CliContext& ctx) {
    auto names = std::make_shared<std::vector<std::string>>();
    auto* sub = addVerb(parent, "rename", "Rename a container", ctx, [&ctx, names] {
        ctx.check(ctx.engine().containers().rename((*names)[0], (*names)[1]));
    });
    sub->add_option("names", *names, "CONTAINER NEW_NAME")->required()->expected(2);
}

void addUpdateVerb(CLI::App& parent, CliContext& ctx) {
    auto flags = std::make_shared<UpdateFlags>();
    auto refs = std::make_shared<std::vector<std::string>>();
    auto* sub = addVerb(parent, "update", "Update configuration of one or more containers", ctx, [&ctx, flags, refs] {
        auto change = ctx.check(parseUpdateFlags(*flags), 125);
        auto& c = ctx.engine().containers();
        forEachContainer(ctx, *refs, [&](const std::string& r) { return c.update(r, change); });
    });
    sub->add_option("-m,--memory", flags->memory, "Memory limit");
    sub->add_option("--memory-swap", flags->memorySwap, "Swap limit equal to memory plus swap: -1 to enable unlimited swap");
    sub->add_option("--cpus", flags->cpus, "Number of CPUs");
    sub->add_option("-c,--cpu-shares", flags->cpuShares, "CPU shares (relative weight)");
    sub->add_option("--cpuset-cpus", flags->cpusetCpus, "CPUs in which to allow execution (0-3, 0,1)");
    sub->add_option("--pids-limit", flags->pidsLimit, "Tune container pids limit (set -1 for unlimited)");
    sub->add_option("--restart", flags->restart, "Restart policy to apply when a container exits");
    sub->add_option("containers", *refs, "Containers")->required();
}

void addDiffVerb(CLI::App& parent, CliContext& ctx) {
    auto ref = std::make_shared<std::string>();
    auto* sub = addVerb(parent, "diff", "Inspect changes to files or directories on a container's filesystem", ctx, [&ctx, ref] {
        static const char kLetter[] = {'C', 'A', 'D'};
        for (const auto& c : ctx.check(ctx.engine().containers().diff(*ref)))
            fmt::print("{} {}\n", kLetter[int(c.kind)], c.path);
    });
    sub->add_option("container", *ref, "Container")->required();
}

// Writes the tar next to `path` and renames it there once complete: a failed export leaves
// no partial file (and an unwritable path fails before anything is read).
void exportTo(CliContext& ctx, const std::string& ref, const std::string& path) {
    if (path.empty()) {
        if (::isatty(STDOUT_FILENO))
            throw CliError{"cowardly refusing to save to a terminal. Use the -o flag or redirect", 1};
        ctx.check(ctx.engine().containers().exportFileSystem(ref, STDOUT_FILENO));
        return;
    }
    std::filesystem::path out(path);
    auto dir = out.has_parent_path() ? out.parent_path() : std::filesystem::path(".");
    auto tmp = dir / ("." + out.filename().string() + ".berth-export-" + std::to_string(::getpid()));
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) throw CliError{fmt::format("failed to export container: open {}: {}", path, std::strerror(errno)), 1};
    auto done = ctx.engine().containers().exportFileSystem(ref, fd);
    bool closed = ::close(fd) == 0;
    if (done && closed && ::rename(tmp.c_str(), out.c_str()) == 0) return;
    int e = errno;
    ::unlink(tmp.c_str());
    if (!done) throw CliError{done.error().message(), 1};
    throw CliError{fmt::format("failed to export container: write {}: {}", path, std::strerror(e)), 1};
}

void addExportVerb(CLI::App& parent, CliContext& ctx) {
    auto ref = std::make_shared<std::string>();
    auto output = std::make_shared<std::string>();
    auto* sub = addVerb(parent, "export", "Export a container's filesystem as a tar archive", ctx,
                        [&ctx, ref, output] { exportTo(ctx, *ref, *output); });
    sub->add_option("-o,--output", *output, "Write to a file, instead of STDOUT");
    sub->add_option("container", *ref, "Container")->required();
}

void addCommitVerb(CLI::App& parent, CliContext& ctx) {
    auto request = std::make_shared<CommitRequest>();
    auto args = std::make_shared<std::vector<std::string>>();
    auto pause = std::make_shared<std::string>("true");
    auto* sub = addVerb(parent, "commit", "Create a new image from a container's changes", ctx, [&ctx, request, args, pause] {
        if (args->size() > 2) throw CliError{"\"commit\" requires at least 1 and at most 2 arguments", 125};
        if (pause->empty()) *pause = "true";  // a bare --pause
        if (*pause != "true" && *pause != "false") throw CliError{"invalid --pause value `" + *pause + "` (true or false)", 125};
        request->pause = *pause == "true";
        if (args->size() == 2) request->reference = (*args)[1];
        auto id = ctx.check(ctx.engine().containers().commit((*args)[0], *request));
        fmt::print("{}\n", id);
    });
    sub->add_option("-m,--message", request->comment, "Commit message");
    sub->add_option("-a,--author", request->author, "Author (e.g. \"John Hannibal Smith <hannibal@a-team.com>\")");
    sub->add_option("-c,--change", request->changes, "Apply Dockerfile instruction to the created image")->allow_extra_args(false);
    sub->add_option("-p,--pause", *pause, "Pause container during commit (default true)")->expected(0, 1);
    sub->add_option("args", *args, "CONTAINER [REPOSITORY[:TAG]]")->required();
}

} // namespace

void addModifyVerbs(CLI::App& parent, CliContext& ctx) {
    addRenameVerb(parent, ctx);
    addUpdateVerb(parent, ctx);
    addDiffVerb(parent, ctx);
    addExportVerb(parent, ctx);
    addCommitVerb(parent, ctx);
    addCopyVerb(parent, ctx);
}

} // namespace berth::cli
