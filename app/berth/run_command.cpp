// `berth create` and `berth run`: docker's flags collected as strings into berth::RunFlags
// (run_flags_cli.cpp); the engine's parseRunFlags turns them into the RunRequest (the Run…
// dialog does the same).
#include "container_cli.h"
#include "ensure_image.h"

#include "attach_session.h"
#include "run_flags_cli.h"

#include <fmt/format.h>

#include <memory>

namespace berth::cli {

namespace {

// What run/create take beyond the container's request.
struct RunVerbFlags {
    ContainerFlags container;
    bool detach = false;
    bool sigProxy = true;
    std::string detachKeys;  // --detach-keys, docker's format ("" = ctrl-p,ctrl-q)
    ImagePullFlags pull;     // --pull, --platform... (ensure_image.h)
};

void addRunFlags(CLI::App* sub, RunVerbFlags& v, bool isRun) {
    sub->set_help_flag("--help", "Print help");  // -h is --hostname, as in docker
    if (isRun) {
        sub->add_flag("-d,--detach", v.detach, "Run in the background and print the container ID");
        sub->add_flag("--sig-proxy", v.sigProxy, "Proxy received signals to the process (default true)");
        sub->add_option("--detach-keys", v.detachKeys, "Override the key sequence for detaching a container");
    }
    addContainerFlags(sub, v.container);
    addImagePullFlags(sub, v.pull);
    // IMAGE [COMMAND] [ARG...]: everything after the image belongs to the container.
    sub->prefix_command();
    sub->fallthrough(false);  // IMAGE/CONTAINER and what follows are ours, not the parent's
}

RunRequest toRequest(RunVerbFlags& v, const std::vector<std::string>& rest, const char* verb) {
    if (rest.empty()) throw CliError{fmt::format("\"{}\" requires at least 1 argument: IMAGE [COMMAND] [ARG...]", verb), 125};
    auto request = parseRunFlags(v.container.runFlags(rest));
    if (!request) throw CliError{request.error().message(), 125};
    return std::move(*request);
}

std::string createContainer(CliContext& ctx, const RunRequest& request) {
    auto created = ctx.engine().containers().create(request);
    if (!created) throw CliError{created.error().message(), 125};
    for (auto& w : created->warnings) fmt::print(stderr, "WARNING: {}\n", w);
    return created->id;
}

} // namespace

void addRunVerbs(CLI::App& parent, CliContext& ctx) {
    auto createFlags = std::make_shared<RunVerbFlags>();
    auto* create = addVerb(parent, "create", "Create a new container", ctx, [&ctx, createFlags, &parent] {
        auto request = toRequest(*createFlags, parent.get_subcommand("create")->remaining(), "create");
        ensureImage(ctx, request.image, createFlags->pull);
        fmt::print("{}\n", createContainer(ctx, request));
    });
    addRunFlags(create, *createFlags, false);

    auto runFlags = std::make_shared<RunVerbFlags>();
    auto* run = addVerb(parent, "run", "Create and run a new container from an image", ctx, [&ctx, runFlags, &parent] {
        auto& v = *runFlags;
        auto request = toRequest(v, parent.get_subcommand("run")->remaining(), "run");
        std::string detachKeys = detachKeyBytes(v.detachKeys);  // a bad spec: nothing created
        auto& containers = ctx.engine(/*aboutToStart=*/true).containers();
        ensureImage(ctx, request.image, v.pull);
        auto id = createContainer(ctx, request);
        if (v.detach) {
            if (auto r = containers.start(id); !r) throw CliError{r.error().message(), startExitCode(r.error())};
            fmt::print("{}\n", id);
            return;
        }
        std::fflush(stdout);
        AttachSession session({request.interactive, request.tty, v.sigProxy, detachKeys});
        auto code = containers.startAttached(id, session.io());
        if (!code) throw CliError{code.error().message(), startExitCode(code.error())};
        // Detached with ctrl-p ctrl-q: the container runs on, as with docker.
        ctx.exitCode = *code == kDetached ? 0 : *code;
    });
    addRunFlags(run, *runFlags, true);
}

} // namespace berth::cli
