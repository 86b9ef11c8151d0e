#pragma once
// Shared by the container verb files of the CLI.

#include "cli_context.h"

#include <cstdint>
#include <string>
#include <vector>

namespace berth::cli {

// Each adds its verbs to `parent` (the top level and `berth container` both get them).
void addRunVerbs(CLI::App& parent, CliContext& ctx);        // create, run
void addLifecycleVerbs(CLI::App& parent, CliContext& ctx);  // start stop restart kill pause unpause rm wait exec
void addInfoVerbs(CLI::App& parent, CliContext& ctx, bool containerGroup);  // ps logs stats top port events inspect
void addContainerGroup(CLI::App& app, CliContext& ctx);     // `berth container ...` (all of the above again)
void addModifyVerbs(CLI::App& parent, CliContext& ctx);  // rename update diff export commit cp (container_modify_commands.cpp)
void addEventsVerb(CLI::App& parent, CliContext& ctx);  // events (events_command.cpp)
void addAttachVerb(CLI::App& parent, CliContext& ctx);  // attach (attach_command.cpp)
void addCopyVerb(CLI::App& parent, CliContext& ctx);    // cp (copy_command.cpp)

// Runs `body` for each named container, printing the name on success and the error on
// failure, like docker: the exit code is 1 if any failed.
void forEachContainer(CliContext& ctx, const std::vector<std::string>& refs,
                      const std::function<VoidResult(const std::string&)>& body);

// The exit code docker's CLI gives for an engine error while starting a container or an
// exec: 127 for a command not found, 126 for one that cannot be executed, else 125.
int startExitCode(const Error& e);
// "0.0.0.0:8080->80/tcp, 53/udp" for ps.
std::string formatPorts(const std::vector<PortBinding>& ports);

// --since/--until values (logs, events): a duration back from now ("10m", "1h30m"), a
// unix timestamp (fractions allowed) or an RFC 3339 time, as nanoseconds; 0 for "".
int64_t parseTimeBound(const std::string& text);

// For `berth inspect` (inspect_command.cpp): the container's JSON when `ref` names a
// container, else nullopt (then try images).
std::optional<std::string> inspectContainerIfAny(CliContext& ctx, const std::string& ref);

} // namespace berth::cli
