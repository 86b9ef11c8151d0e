#include "cli_context.h"

namespace berth::cli {

void addSystemCommands(CLI::App&, CliContext&) {}

} // namespace berth::cli
