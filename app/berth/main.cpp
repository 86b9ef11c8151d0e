// berth: the command-line face of the engine, with docker-compatible verbs and flags.
#include "cli_context.h"
#include "network_cli.h"

#include <fmt/format.h>

int main(int argc, char** argv) {
    using namespace berth::cli;
    CLI::App app{"berth: containers and images, no daemon"};
    app.name("berth");
    app.set_version_flag("-v,--version", "berth version 0.1.0");
    CliContext ctx;
    app.add_option("--root", ctx.root, "Store root (default /var/lib/berth, or the user's)")
        ->envname("BERTH_ROOT");
    app.add_option("--runroot", ctx.runRoot, "Runtime state directory")->envname("BERTH_RUNROOT");
    app.require_subcommand(1);
    app.fallthrough();

    addImageCommands(app, ctx);
    addSystemCommands(app, ctx);
    addContainerCommands(app, ctx);
    addRegistryCommands(app, ctx);
    addBuildCommands(app, ctx);
    addNetworkCommands(app, ctx);
    addVolumeCommands(app, ctx);
    addInfoCommand(app, ctx);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int rc = app.exit(e);
        return rc == 0 ? 0 : 125;
    } catch (const CliError& e) {
        if (!e.message.empty()) fmt::print(stderr, "Error: {}\n", e.message);
        return e.exitCode;
    }
    return ctx.exitCode;
}
