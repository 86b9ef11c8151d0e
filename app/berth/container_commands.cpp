// Container verbs: registered at the top level (`berth ps`) and under `berth container`.
#include "container_cli.h"
#include "network_cli.h"

#include <fmt/format.h>

namespace berth::cli {

int startExitCode(const Error& e) {
    switch (e.code()) {
    case Errc::NotFound: return 127;
    case Errc::PermissionDenied: return 126;
    default: return 125;
    }
}

std::string formatPorts(const std::vector<container::PortBinding>& ports) {
    std::string out;
    for (auto& p : ports) {
        if (!out.empty()) out += ", ";
        if (p.hostPort)
            out += fmt::format("{}:{}->{}/{}", p.hostIp.empty() ? "0.0.0.0" : p.hostIp, p.hostPort,
                               p.containerPort, p.protocol);
        else
            out += fmt::format("{}/{}", p.containerPort, p.protocol);
    }
    return out;
}

std::optional<nlohmann::json> inspectContainerIfAny(CliContext& ctx, const std::string& ref) {
    auto j = ctx.engine().containers().inspect(ref);
    if (!j) {
        if (j.error().code() == Errc::NotFound) return std::nullopt;
        throw CliError{j.error().message(), 1};
    }
    addNetworkSettings(ctx, *j);
    return *j;
}

void addContainerCommands(CLI::App& app, CliContext& ctx) {
    addRunVerbs(app, ctx);
    addLifecycleVerbs(app, ctx);
    addInfoVerbs(app, ctx, false);
    addContainerGroup(app, ctx);
}

void addContainerGroup(CLI::App& app, CliContext& ctx) {
    CLI::App* group = app.add_subcommand("container", "Manage containers");
    group->require_subcommand(1);
    addRunVerbs(*group, ctx);
    addLifecycleVerbs(*group, ctx);
    addInfoVerbs(*group, ctx, true);
}

} // namespace berth::cli
