// `berth version`: docker's Client and Server blocks (the same program: the engine is
// embedded), or --format with a Go template over docker's JSON shape ('{{.Server.Version}}',
// '{{json .}}'). The figures come from berth/version.h, as GET /version's do.
#include "cli_context.h"

#include "berth/go_template.h"
#include "berth/version.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace berth::cli {

namespace {

nlohmann::json versionJson(const VersionInfo& v) {
    nlohmann::json client{{"Version", v.version},   {"ApiVersion", v.apiVersion}, {"DefaultAPIVersion", v.apiVersion},
                          {"Os", v.os},             {"Arch", v.arch},             {"Context", "default"}};
    nlohmann::json engine{{"Name", "Engine"},
                          {"Version", v.version},
                          {"Details",
                           {{"ApiVersion", v.apiVersion},
                            {"MinAPIVersion", v.minApiVersion},
                            {"Os", v.os},
                            {"Arch", v.arch},
                            {"KernelVersion", v.kernelVersion}}}};
    nlohmann::json server{{"Platform", {{"Name", "Berth Engine (embedded, no daemon)"}}},
                          {"Components", nlohmann::json::array({engine})},
                          {"Version", v.version},
                          {"ApiVersion", v.apiVersion},
                          {"MinAPIVersion", v.minApiVersion},
                          {"Os", v.os},
                          {"Arch", v.arch},
                          {"KernelVersion", v.kernelVersion}};
    return {{"Client", client}, {"Server", server}};
}

void printText(const VersionInfo& v) {
    fmt::print("Client:\n");
    fmt::print(" {:<18} {}\n", "Version:", v.version);
    fmt::print(" {:<18} {}\n", "API version:", v.apiVersion);
    fmt::print(" {:<18} {}/{}\n", "OS/Arch:", v.os, v.arch);
    fmt::print("\nServer: Berth Engine (embedded, no daemon)\n Engine:\n");
    fmt::print("  {:<17} {}\n", "Version:", v.version);
    fmt::print("  {:<17} {} (minimum version {})\n", "API version:", v.apiVersion, v.minApiVersion);
    fmt::print("  {:<17} {}/{}\n", "OS/Arch:", v.os, v.arch);
    fmt::print("  {:<17} {}\n", "Kernel:", v.kernelVersion);
}

} // namespace

void addVersionCommand(CLI::App& app, CliContext& ctx) {
    auto format = std::make_shared<std::string>();
    auto* cmd = addVerb(app, "version", "Show the Berth version information", ctx, [format] {
        const VersionInfo v = versionInfo();
        if (format->empty()) return printText(v);
        if (*format == "json") return fmt::print("{}\n", versionJson(v).dump());
        auto out = renderGoTemplate(*format, versionJson(v).dump());
        if (!out) throw CliError{out.error().message(), 1};
        fmt::print("{}\n", *out);
    });
    cmd->add_option("-f,--format", *format, "Format the output using a Go template ('{{.Server.Version}}'), or json");
}

} // namespace berth::cli
