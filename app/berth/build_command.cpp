// `berth build`: docker build's flags; progress printed like `docker build --progress=plain`
// on stderr; with -q only the image id on stdout. The context may be a git source
// (engine/build/git_source.h); FROM pulls a missing base (--pull=always: every base).
#include "cli_context.h"

#include "berth/builds.h"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stop_token>
#include <thread>
#include <fmt/format.h>
#include <fstream>

namespace berth::cli {

namespace {

std::pair<std::string, std::string> keyValue(const std::string& kv, const char* flag, bool fromEnv) {
    auto eq = kv.find('=');
    if (eq == 0) throw CliError{fmt::format("invalid {} `{}`: empty name", flag, kv), 125};
    if (eq == std::string::npos) {
        if (!fromEnv) return {kv, ""};
        const char* v = std::getenv(kv.c_str());
        return {kv, v ? v : ""};
    }
    return {kv.substr(0, eq), kv.substr(eq + 1)};
}

// --iidfile: the image id, written to a temporary file renamed over the name.
void writeIidFile(const std::string& path, const std::string& id) {
    std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << id;
        if (!out.flush()) throw CliError{"write " + tmp + ": " + std::strerror(errno), 1};
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0)
        throw CliError{"rename " + tmp + ": " + std::strerror(errno), 1};
}

} // namespace

void addBuildCommands(CLI::App& app, CliContext& ctx) {
    struct Flags {
        std::vector<std::string> tags, buildArgs, labels;
        std::string file, target, iidfile, progress = "auto", context, pull = "missing", certDir;
        bool noCache = false, quiet = false, tlsVerify = true;
    };
    auto f = std::make_shared<Flags>();
    auto* cmd = addVerb(app, "build", "Build an image from a Dockerfile", ctx, [&ctx, f] {
        BuildRequest options;
        options.context = f->context;
        options.dockerfile = f->file;
        options.tags = f->tags;
        options.target = f->target;
        options.noCache = f->noCache;
        for (auto& a : f->buildArgs) {
            auto [k, v] = keyValue(a, "--build-arg", true);
            options.buildArgs[k] = v;
        }
        for (auto& l : f->labels) {
            auto [k, v] = keyValue(l, "--label", false);
            options.labels[k] = v;
        }
        if (f->progress != "auto" && f->progress != "plain" && f->progress != "tty" && f->progress != "quiet")
            throw CliError{"invalid --progress `" + f->progress + "` (auto, plain, tty or quiet)", 125};
        bool quiet = f->quiet || f->progress == "quiet";
        // docker: --pull is a boolean (always try); podman: always|missing|never|true|false.
        if (f->pull == "true" || f->pull == "always") options.pull = BuildPullPolicy::Always;
        else if (f->pull == "false" || f->pull == "missing") options.pull = BuildPullPolicy::Missing;
        else if (f->pull == "never") options.pull = BuildPullPolicy::Never;
        else throw CliError{"invalid --pull `" + f->pull + "` (always, missing, never, true or false)", 125};
        options.registry.tlsVerify = f->tlsVerify;
        options.registry.certDir = f->certDir;

        // Ctrl-C / SIGTERM cancel the build: the running RUN container is killed and
        // removed, nothing is tagged. A thread waits for the signals (blocked elsewhere).
        std::stop_source stop;
        sigset_t sigs;
        sigemptyset(&sigs);
        sigaddset(&sigs, SIGINT);
        sigaddset(&sigs, SIGTERM);
        sigaddset(&sigs, SIGHUP);
        ::pthread_sigmask(SIG_BLOCK, &sigs, nullptr);
        std::thread([sigs, stop]() mutable {
            int sig = 0;
            if (::sigwait(&sigs, &sig) == 0) {
                fmt::print(stderr, "\ncancelling the build (signal {})\n", sig);
                stop.request_stop();
            }
        }).detach();

        // Fetching a git context reports as vertex 0 ("#0 …" like BuildKit's internal steps).
        auto progress = [quiet](const BuildEvent& e) {
            if (quiet && e.kind != BuildEvent::Kind::Warning) return;
            fmt::print(stderr, "{}", formatPlainBuildEvent(e));
            std::fflush(stderr);
        };
        auto result = ctx.engine().builds().build(options, progress, stop.get_token());
        if (!result) throw CliError{result.error().message(), 1};
        if (!f->iidfile.empty()) writeIidFile(f->iidfile, result->imageId);
        if (quiet) fmt::print("{}\n", result->imageId);
    });
    cmd->add_option("-t,--tag", f->tags, "Name and optionally a tag (name:tag)")->allow_extra_args(false);
    cmd->add_option("-f,--file", f->file, "Name of the Dockerfile (default: CONTEXT/Dockerfile; - for stdin)");
    cmd->add_option("--build-arg", f->buildArgs, "Set build-time variables (KEY=VALUE)")->allow_extra_args(false);
    cmd->add_option("--target", f->target, "Set the target build stage to build");
    cmd->add_flag("--no-cache", f->noCache, "Do not use cache when building the image");
    cmd->add_option("--label", f->labels, "Set metadata for an image (KEY=VALUE)")->allow_extra_args(false);
    cmd->add_option("--iidfile", f->iidfile, "Write the image ID to the file");
    cmd->add_option("--progress", f->progress, "Type of progress output (auto, plain, quiet)");
    cmd->add_flag("-q,--quiet", f->quiet, "Suppress the build output and print image ID on success");
    cmd->add_flag("--pull{true}", f->pull, "Pull the base images: always (--pull), missing (default) or never");
    cmd->add_flag("--tls-verify{true}", f->tlsVerify, "Verify the registry's TLS certificate when pulling (default true)");
    cmd->add_option("--cert-dir", f->certDir, "Directory of <registry>/ca.crt certificates to trust when pulling");
    cmd->add_option("CONTEXT", f->context,
                    "Build context: a directory, a tar archive, - (tar on stdin), or a git repository "
                    "(URL, file:// or local path, with #ref:subdir)")->required();
}

} // namespace berth::cli
