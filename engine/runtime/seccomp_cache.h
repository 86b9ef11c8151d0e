#pragma once
// A disk cache of compiled seccomp filters. libseccomp needs ~90 ms to compile Docker's
// profile for x86_64 + x86 + x32, more than the rest of a container start; every
// berth-monitor is a new process, so the cache lives on disk (e.g. <runroot>/seccomp).
//
// An entry holds its full key (profile text, capabilities, kernel release, libseccomp
// version, arch), compared byte for byte on read: a crafted profile can't alias another's
// entry. The directory is made 0700 and entries 0600; an entry not owned by us or writable
// by others is ignored. Any cache trouble falls back to compiling: never a launch failure.

#include "runtime/seccomp_profile.h"

#include <filesystem>
#include <string>
#include <vector>

namespace berth::runtime {

Result<SeccompProgram> compileSeccompProfileCached(const std::string& profileJson,
                                                   const std::vector<std::string>& capabilities,
                                                   const std::filesystem::path& cacheDir);

} // namespace berth::runtime
