#pragma once
// The network side of the CLI (network_commands.cpp), also used by run/create, port, ps
// and inspect.

#include "cli_context.h"

#include "container/container_options.h"

#include <nlohmann/json.hpp>

namespace berth::cli {

// `berth network create|ls|inspect|rm|connect|disconnect|prune`.
void addNetworkCommands(CLI::App& app, CliContext& ctx);

// run/create: checks the network flags (a user network that exists, --ip only there) and
// that the published host ports are free, before the container is created.
void applyNetworkFlags(CliContext& ctx, container::CreateOptions& options);

// The ports a container publishes: for a running one as published (ephemeral host ports
// resolved), else as asked.
std::vector<container::PortBinding> effectivePorts(CliContext& ctx, const std::string& id,
                                                   const std::vector<container::PortBinding>& configured);

// Adds docker's NetworkSettings (networks, addresses, ports) to a container's inspect JSON.
void addNetworkSettings(CliContext& ctx, nlohmann::json& container);

} // namespace berth::cli
