#pragma once
// Image verbs shared between the top-level names (berth images, berth rmi...) and the
// `berth image ...` group, and the inspect verb (images now; containers join later).

#include "cli_context.h"

namespace berth::cli {

// Adds `berth inspect` (and returns it) to `app`.
void addInspectCommand(CLI::App& app, CliContext& ctx);
// Adds `inspect` under `berth image` (images only).
void addImageInspect(CLI::App& image, CliContext& ctx);
// The docker-style JSON of one image, by name or id; throws CliError when there is none.
nlohmann::json inspectImageJson(CliContext& ctx, const std::string& nameOrId);

} // namespace berth::cli
