#include "cli_context.h"

namespace berth::cli {

void addContainerCommands(CLI::App&, CliContext&) {}

} // namespace berth::cli
