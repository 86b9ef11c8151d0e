#pragma once
// Turns a container's record into the runtime's ContainerSpec: the overlay, the generated
// /etc files, the user resolved against the image's /etc/passwd, capabilities, seccomp
// profile, rlimits and cgroup limits. Called by the monitor before each start.

#include "container/container_record.h"
#include "runtime/container_spec.h"
#include "sys/engine_settings.h"
#include "sys/error.h"

#include <filesystem>

namespace berth::container {

// `settings`: the engine's (mode: a rootless container gets a user namespace; runtime choices).
Result<runtime::ContainerSpec> buildSpec(const ContainerConfig& config, const std::filesystem::path& containerDir,
                                         const EngineSettings& settings);

// The process part only (exec: --user/--workdir/--env on top of the container's).
Result<runtime::ProcessSpec> buildProcess(const ContainerConfig& config,
                                          const std::filesystem::path& containerDir,
                                          const std::vector<std::string>& args,
                                          const std::vector<std::string>& extraEnv,
                                          const std::string& user, const std::string& cwd,
                                          bool tty, bool privileged);

// --device: the host's nodes as they are now (kind, numbers, mode, owner), for the runtime to
// make in the container; a missing host path or one that is no device node is an error
// (checked at create, and again at each start).
Result<std::vector<runtime::DeviceNode>> deviceNodes(const std::vector<DeviceMapping>& devices);

// Writes hosts, hostname and resolv.conf into the container's directory.
VoidResult writeEtcFiles(const ContainerConfig& config, const std::filesystem::path& containerDir);

// Reads `path` (e.g. "etc/passwd") as the container sees it in its layers (the writable
// layer first), resolved inside them (runtime/layer_path.h); "" when it is missing or not
// a regular file.
std::string readFromLayers(const ContainerConfig& config, const std::filesystem::path& containerDir,
                           const std::string& relPath);

} // namespace berth::container
