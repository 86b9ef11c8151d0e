#pragma once
// Running a helper program from any process, threaded ones included (the desktop app):
// posix_spawn (vfork-like, exec right away) runs no code of ours in the child, so no
// lock another thread held at the time can be inherited. Its stdout and stderr are
// collected; the caller waits for it to end.

#include "sys/error.h"

#include <filesystem>
#include <string>
#include <vector>

namespace berth::sys {

struct SpawnResult {
    int exitCode = -1;  // 128 + signal when killed by one
    std::string out;
    std::string err;
};

// Runs argv[0] (a path, or a name looked up on PATH) with the caller's environment.
Result<SpawnResult> spawnAndWait(const std::vector<std::string>& argv);

// docker's exit code for a wait status: the code, or 128 + the signal; `otherwise` for
// anything else (a stopped child, seen only when asked for with WUNTRACED).
int exitCodeOf(int waitStatus, int otherwise = 255);
// Waits for the child `pid` to end (EINTR retried) and returns exitCodeOf its status;
// `onError` when waitpid fails.
int waitForExit(int pid, int onError);

// The program `name`: `given` when not empty (EngineSettings::helpers, from BERTH_MONITOR and
// the like), else beside the running executable, else in <dir>/../app/ (a build tree, for
// tests and tools under it), else `name` for a PATH lookup.
std::string helperProgram(const std::string& name, const std::filesystem::path& given);

} // namespace berth::sys
