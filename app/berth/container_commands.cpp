// Container verbs: registered at the top level (`berth ps`) and under `berth container`.
#include "container_cli.h"

#include <fmt/format.h>

namespace berth::cli {

int startExitCode(const Error& e) {
    switch (e.code()) {
    case Errc::CommandNotFound: return 127;
    case Errc::NotExecutable: return 126;
    default: return 125;
    }
}

void forEachContainer(CliContext& ctx, const std::vector<std::string>& refs,
                      const std::function<VoidResult(const std::string&)>& body) {
    bool failed = false;
    for (auto& r : refs) {
        // Already in the state asked for (docker's 304) is not a failure here.
        if (auto res = body(r); !res && res.error().code() != Errc::NotModified) {
            fmt::print(stderr, "Error response from daemon: {}\n", res.error().message());
            failed = true;
        } else {
            fmt::print("{}\n", r);
        }
    }
    if (failed) ctx.exitCode = 1;
}

std::string formatPorts(const std::vector<PortBinding>& ports) {
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

std::optional<std::string> inspectContainerIfAny(CliContext& ctx, const std::string& ref) {
    auto d = ctx.engine().containers().inspect(ref);
    if (!d) {
        if (d.error().code() == Errc::NotFound) return std::nullopt;
        throw CliError{d.error().message(), 1};
    }
    return std::move(d->json);
}

void addContainerCommands(CLI::App& app, CliContext& ctx) {
    addRunVerbs(app, ctx);
    addLifecycleVerbs(app, ctx);
    addInfoVerbs(app, ctx, false);
    addModifyVerbs(app, ctx);
    addContainerGroup(app, ctx);
}

void addContainerGroup(CLI::App& app, CliContext& ctx) {
    CLI::App* group = app.add_subcommand("container", "Manage containers");
    group->require_subcommand(1);
    addRunVerbs(*group, ctx);
    addLifecycleVerbs(*group, ctx);
    addInfoVerbs(*group, ctx, true);
    addModifyVerbs(*group, ctx);
}

} // namespace berth::cli
