// berth: the command-line face of the engine, with docker-compatible verbs and flags.
#include "cli_context.h"
#include "compose_cli.h"
#include "lazy_library.h"
#include "container_cli.h"
#include "network_cli.h"

#include "berth/version.h"

#include <fmt/format.h>

#include <cstdlib>
#include <initializer_list>
#include <memory>
#include <string_view>

namespace {

using namespace berth::cli;
using AddVerbs = void (*)(CLI::App&, CliContext&);

// Every top-level verb, grouped as the functions that add them. Building the whole tree
// (every verb with every option, the container verbs twice) costs about a millisecond per
// call; a command line that names its verb first gets only that verb's group. Anything
// else (no verb, --help or --version first, an unknown word) gets the whole tree, so
// `berth --help` and every error read as before. A verb this table places in the wrong
// group is not found there and falls back to the whole tree: slower, never wrong.
struct VerbGroup {
    AddVerbs add;
    std::initializer_list<std::string_view> verbs;
};

const VerbGroup kGroups[] = {
    {addImageCommands, {"images", "load", "save", "import", "tag", "rmi", "history", "inspect", "image"}},
    {addSystemCommands, {"system"}},
    {addRunVerbs, {"create", "run"}},
    {addLifecycleVerbs, {"start", "stop", "restart", "kill", "pause", "unpause", "rm", "wait", "exec", "attach"}},
    {[](CLI::App& app, CliContext& ctx) { addInfoVerbs(app, ctx, false); },
     {"ps", "logs", "stats", "top", "port", "events"}},
    {addModifyVerbs, {"rename", "update", "diff", "export", "commit", "cp"}},
    {addContainerGroup, {"container"}},
    {addRegistryCommands, {"pull", "push", "login", "logout"}},
    {addBuildCommands, {"build"}},
    {addNetworkCommands, {"network"}},
    {addVolumeCommands, {"volume"}},
    {addInfoCommand, {"info"}},
    {addComposeCommand, {"compose"}},
    {addVersionCommand, {"version"}},
};

// The order of `berth --help`.
void addAllVerbs(CLI::App& app, CliContext& ctx) {
    addImageCommands(app, ctx);
    addSystemCommands(app, ctx);
    addContainerCommands(app, ctx);
    addRegistryCommands(app, ctx);
    addBuildCommands(app, ctx);
    addNetworkCommands(app, ctx);
    addVolumeCommands(app, ctx);
    addComposeCommand(app, ctx);
    addInfoCommand(app, ctx);
    addVersionCommand(app, ctx);
}

// The verb a command line names: its first word after the global options (--root and
// --runroot with their values). Empty when anything else comes first.
std::string_view namedVerb(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        std::string_view a = argv[i];
        if (a == "--root" || a == "--runroot") {
            ++i;
            continue;
        }
        if (a.starts_with("--root=") || a.starts_with("--runroot=")) continue;
        if (a.empty() || a.starts_with("-")) return {};
        return a;
    }
    return {};
}

const VerbGroup* groupOf(std::string_view verb) {
    if (verb.empty()) return nullptr;
    for (const auto& g : kGroups)
        for (auto v : g.verbs)
            if (v == verb) return &g;
    return nullptr;
}

bool hasVerb(const CLI::App& app, std::string_view verb) {
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
        if (sub->get_name() == verb) return true;
    return false;
}

std::unique_ptr<CLI::App> makeApp(CliContext& ctx, const VerbGroup* only) {
    auto app = std::make_unique<CLI::App>("berth: containers and images, no daemon");
    app->name("berth");
    app->set_version_flag("-v,--version", "berth version " + std::string(berth::berthVersion()));
    app->add_option("--root", ctx.root, "Store root (default /var/lib/berth, or the user's)")->envname("BERTH_ROOT");
    app->add_option("--runroot", ctx.runRoot, "Runtime state directory")->envname("BERTH_RUNROOT");
    app->require_subcommand(1);
    app->fallthrough();
    if (only) only->add(*app, ctx);
    else addAllVerbs(*app, ctx);
    return app;
}

} // namespace

int main(int argc, char** argv) {
    CliContext ctx;
    std::string_view verb = namedVerb(argc, argv);
    // BERTH_CLI_WHOLE_TREE=1 always builds every verb (tests compare both trees' output).
    const char* whole = std::getenv("BERTH_CLI_WHOLE_TREE");
    const VerbGroup* only = whole && *whole == '1' ? nullptr : groupOf(verb);
    auto app = makeApp(ctx, only);
    if (only && !hasVerb(*app, verb)) app = makeApp(ctx, nullptr);

    int rc = ctx.exitCode;
    try {
        app->parse(argc, argv);
        rc = ctx.exitCode;
    } catch (const CLI::ParseError& e) {
        rc = app->exit(e);
        rc = rc == 0 ? 0 : 125;
    } catch (const CliError& e) {
        if (!e.message.empty()) fmt::print(stderr, "Error: {}\n", e.message);
        rc = e.exitCode;
    }
    // A lazily loaded library that was missing made the engine's call fail: say why.
    if (auto missing = lazy::failure(); !missing.empty()) {
        fmt::print(stderr, "Error: {}\n", missing);
        if (rc == 0) rc = 125;
    }
    return rc;
}
