#pragma once
// What every `berth` verb shares: the global flags, the lazily opened engine, the exit
// code, and docker-like output helpers (tables, sizes, "2 hours ago").

#include "berth/engine.h"
#include "berth/text.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace berth::cli {

// Thrown by verb code to stop with a message and an exit code; caught in main().
struct CliError {
    std::string message;
    int exitCode = 1;
};

class CliContext {
public:
    std::string root;
    std::string runRoot;
    int exitCode = 0;

    // Opens the store on first use; throws CliError when it cannot. `aboutToStart`: the
    // verb will start a container or exec (EngineOptions::aboutToStart); ask it first.
    Engine& engine(bool aboutToStart = false);

    // Unwraps a Result or throws CliError with the engine's message.
    template <class T>
    T check(Result<T> r, int code = 1) {
        if (!r) throw CliError{r.error().message(), code};
        if constexpr (!std::is_void_v<T>) return std::move(*r);
    }

private:
    std::unique_ptr<Engine> m_engine;
};

// Adds a verb whose body may throw CliError.
CLI::App* addVerb(CLI::App& parent, const std::string& name, const std::string& help,
                  CliContext& ctx, std::function<void()> body);

// A table printed like the docker CLI: header row, columns padded to the widest cell,
// three spaces between columns.
class Table {
public:
    explicit Table(std::vector<std::string> headers) : m_headers(std::move(headers)) {}
    void addRow(std::vector<std::string> cells) { m_rows.push_back(std::move(cells)); }
    std::string render() const;

private:
    std::vector<std::string> m_headers;
    std::vector<std::vector<std::string>> m_rows;
};

// "2 hours ago" for an RFC 3339 time ("N/A" when unparseable).
std::string timeAgo(const std::string& rfc3339);
std::string truncate(const std::string& s, size_t max);
// docker's short id: the first 12 hex of "sha256:<hex>" or of a bare hex id.
std::string shortId(const std::string& id);
// The prune verbs' question without -f: "WARNING! This will remove <what>." and [y/N] on
// stdin; true for y, Y or yes.
bool confirmRemoval(const std::string& what);

// Verb groups, each defined in its own file.
void addImageCommands(CLI::App& app, CliContext& ctx);
void addSystemCommands(CLI::App& app, CliContext& ctx);
void addServiceCommand(CLI::App& system, CliContext& ctx);  // service_command.cpp
void addInfoCommand(CLI::App& app, CliContext& ctx);  // info_command.cpp
void addVersionCommand(CLI::App& app, CliContext& ctx);  // version_command.cpp
void addContainerCommands(CLI::App& app, CliContext& ctx);
void addRegistryCommands(CLI::App& app, CliContext& ctx);
void addBuildCommands(CLI::App& app, CliContext& ctx);  // build_command.cpp
void addVolumeCommands(CLI::App& app, CliContext& ctx);  // volume_commands.cpp

} // namespace berth::cli
