#pragma once
// The container flags of `berth run` / `berth create` as the command line gives them:
// collected by CLI11 into berth::RunFlags strings, parsed by the engine (parseRunFlags).
// A unit of its own so that a test can feed it the same flag sets as the Run… dialog.

#include "berth/run_flags.h"

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace berth::cli {

struct ContainerFlags {
    RunFlags flags;
    std::string entrypoint;
    bool entrypointSet = false;
    // The flags with IMAGE [COMMAND] [ARG...] (the verb's remaining arguments).
    RunFlags runFlags(const std::vector<std::string>& imageAndCommand) const;
};

// -i -t --rm --name -e --env-file ... -p -v --mount --network ...: docker's run flags.
void addContainerFlags(CLI::App* verb, ContainerFlags& flags);

// `args` as after `berth run` (flags, IMAGE, COMMAND...) through the same CLI11 options and
// the engine's parser. A malformed command line (CLI11's error) is Errc::InvalidArgument too.
Result<RunRequest> runRequestFromArgs(const std::vector<std::string>& args);

} // namespace berth::cli
