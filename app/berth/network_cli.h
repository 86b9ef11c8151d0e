#pragma once
// The network verbs of the CLI (network_commands.cpp).

#include "cli_context.h"

namespace berth::cli {

// `berth network create|ls|inspect|rm|connect|disconnect|prune`.
void addNetworkCommands(CLI::App& app, CliContext& ctx);

} // namespace berth::cli
