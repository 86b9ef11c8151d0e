#pragma once
// `berth compose` and its verbs (compose_command.cpp).

#include "cli_context.h"

namespace berth::cli {

void addComposeCommand(CLI::App& app, CliContext& ctx);

} // namespace berth::cli
