#pragma once
// The process half of a launch, run in the child: stdio, signals, namespaces that are
// entered after the parent's hook, hostname, rlimits, session and terminal, working
// directory, credentials and capabilities, no_new_privs, closing fds, seccomp, execve.

#include "runtime/launch_context.h"

namespace berth::runtime {

VoidResult setupStdio(LaunchContext& ctx);
VoidResult resetSignals(LaunchContext& ctx);
VoidResult unshareCgroupNamespace(LaunchContext& ctx);
VoidResult bringUpLoopback(LaunchContext& ctx);
VoidResult setHostname(LaunchContext& ctx);
VoidResult applyRlimits(LaunchContext& ctx);
VoidResult startSession(LaunchContext& ctx);
VoidResult enterWorkingDir(LaunchContext& ctx);
VoidResult applyCredentials(LaunchContext& ctx);
VoidResult resolveCommand(LaunchContext& ctx);
VoidResult setNoNewPrivileges(LaunchContext& ctx);
VoidResult closeExtraFds(LaunchContext& ctx);
VoidResult loadSeccomp(LaunchContext& ctx);
VoidResult dropBootstrapCapability(LaunchContext& ctx);
VoidResult execProcess(LaunchContext& ctx);  // returns only on failure

} // namespace berth::runtime
