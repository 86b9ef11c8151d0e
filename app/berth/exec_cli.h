#pragma once
// docker exec's flags and its run, shared by `berth exec` and `berth compose exec`.

#include "cli_context.h"

#include <string>
#include <vector>

namespace berth::cli {

struct ExecFlags {
    bool interactive = false, tty = false, detach = false, privileged = false;
    bool noTty = false;  // compose exec's -T (the caller sets tty from it)
    std::string user, workdir, detachKeys;
    std::vector<std::string> env;
};

// -i --detach-keys -t -d --privileged -u -w -e. With `composeStyle` (docker compose exec):
// no -i (stdin is always kept open) and -T instead of -t (a tty unless -T, when stdin is one).
void addExecFlags(CLI::App* verb, ExecFlags& flags, bool composeStyle = false);

// Runs `cmd` in the running container `ref` as `flags` say (stdin, a tty in raw mode, the
// signals passed on without one); returns its exit code (0 when detached). Throws CliError
// with docker's codes (127 not found, 126 not executable).
int execIn(CliContext& ctx, const std::string& ref, const std::vector<std::string>& cmd, const ExecFlags& flags);

} // namespace berth::cli
