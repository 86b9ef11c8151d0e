#pragma once
// Docker-format seccomp profiles: parsed from JSON and compiled with libseccomp into a BPF
// program for the native architecture (plus the sub-architectures its archMap lists, e.g.
// x32 and i386 on x86_64). The launcher compiles in the parent (so a bad profile is a clean
// error before anything is created) and loads the program in the child as the last step
// before execve.

#include "sys/error.h"

#include <linux/filter.h>

#include <filesystem>
#include <string>
#include <vector>

namespace berth::runtime {

// A compiled filter: raw BPF instructions ready for seccomp(SECCOMP_SET_MODE_FILTER).
struct SeccompProgram {
    std::vector<sock_filter> instructions;
    bool empty() const { return instructions.empty(); }
};

// Compiles `profileJson`. `capabilities` ("CAP_SYS_ADMIN", ...) decide the rules gated by
// includes/excludes "caps". Syscalls unknown to libseccomp are ignored; malformed JSON or
// an unknown action/operator is an InvalidArgument error naming the place.
Result<SeccompProgram> compileSeccompProfile(const std::string& profileJson,
                                             const std::vector<std::string>& capabilities);

// The default profile: the text of `replacement` when it is given (EngineSettings::runtime.
// seccompProfile, BERTH_SECCOMP_PROFILE), else resources/seccomp-default.json as compiled
// into the binary.
Result<std::string> defaultSeccompProfile(const std::filesystem::path& replacement = {});

// Loads a compiled program into the calling thread (no allocation: safe in the child).
// Returns 0 or an errno value.
int loadSeccompProgram(const SeccompProgram& program);

} // namespace berth::runtime
