// `berth info`: the store, the mode (root or rootless) and what this mode can and cannot
// do here (limits, ports below 1024, ping, network), so a user knows before a flag fails.
#include "cli_context.h"

#include "berth/docker_api_service.h"

#include <fmt/format.h>

#include <unistd.h>

namespace berth::cli {

namespace {

// The Docker Engine API service: where it listens, whether systemd starts it on demand.
std::string activationText(const dockerapi::ServiceStatus& api) {
    const char* user = ::geteuid() == 0 ? "" : "--user ";
    if (api.enabled) return "socket activation enabled";
    if (api.unitInstalled) return fmt::format("socket activation off (systemctl {}enable --now berth.socket)", user);
    return "no berth.socket unit installed (start it with `berth system service`)";
}

} // namespace

void addInfoCommand(CLI::App& app, CliContext& ctx) {
    auto format = std::make_shared<std::string>();
    auto* info = addVerb(app, "info", "Show the store, the mode (root or rootless) and what it can do", ctx,
                         [&ctx, format] {
        auto info = ctx.engine().system().info();
        const auto& mode = info.mode;
        auto api = dockerapi::serviceStatus();
        if (*format == "json") {
            nlohmann::json caps = nlohmann::json::array();
            for (const auto& c : mode.capabilities)
                caps.push_back({{"Name", c.name}, {"Available", c.available}, {"Detail", c.detail}});
            nlohmann::json out{{"Mode", mode.mode},           {"Rootless", mode.rootless},
                               {"Root", info.root.string()}, {"RunRoot", info.runRoot.string()},
                               {"IdMapping", mode.idMapping},  {"SingleIdMapping", mode.singleIdMapping},
                               {"Network", mode.networkTool},  {"Overlay", mode.overlay},
                               {"Cgroups", mode.cgroups},      {"Capabilities", caps},
                               {"Warning", mode.warning},      {"Summary", mode.summary()},
                               {"DockerApi", {{"Socket", api.socket.string()},
                                              {"Listening", api.listening},
                                              {"SocketUnitInstalled", api.unitInstalled},
                                              {"SocketActivation", api.enabled},
                                              {"DockerHost", api.dockerHost}}}};
            fmt::print("{}\n", out.dump(2));
            return;
        }
        if (!format->empty() && *format != "text")
            throw CliError{"unsupported format \"" + *format + "\" (use text or json)"};
        fmt::print("Mode: {}\n", mode.mode);
        fmt::print("Store: {}\n", info.root.string());
        fmt::print("Run state: {}\n", info.runRoot.string());
        if (mode.rootless) fmt::print("User namespace uid map: {}{}\n", mode.idMapping,
                                      mode.singleIdMapping ? " (single-id)" : "");
        fmt::print("Network: {}\n", mode.networkTool.empty() ? "none available" : mode.networkTool);
        fmt::print("Root filesystem: {}\n", mode.overlay);
        fmt::print("Cgroups: {}\n", mode.cgroups);
        fmt::print("Docker API: {} ({}; {})\n", api.socket.string(), api.listening ? "listening" : "not listening",
                   activationText(api));
        fmt::print("  export DOCKER_HOST={}\n", api.dockerHost);
        fmt::print("Can do:\n");
        for (const auto& c : mode.capabilities)
            fmt::print("  {:<26} {:<4} {}\n", c.name + ":", c.available ? "yes" : "no", c.detail);
        if (!mode.warning.empty()) fmt::print(stderr, "WARNING: {}\n", mode.warning);
    });
    info->add_option("--format", *format, "Output format: text (default) or json");
}

} // namespace berth::cli
