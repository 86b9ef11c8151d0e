#pragma once
// The process half of a launch, run in the child: non-dumpable, stdio, signals, namespaces
// that are entered after the parent's hook, hostname, rlimits, session and terminal,
// working directory, no_new_privs, closing fds, seccomp, credentials and capabilities,
// execve.

#include "runtime/launch_context.h"

namespace berth::runtime {

VoidResult makeNonDumpable(LaunchContext& ctx);
VoidResult setupStdio(LaunchContext& ctx);
VoidResult resetSignals(LaunchContext& ctx);
VoidResult unshareCgroupNamespace(LaunchContext& ctx);
VoidResult bringUpLoopback(LaunchContext& ctx);
// --sysctl, through the container's /proc/sys, in its own namespaces (after the network
// wiring, so per-interface keys find their interface).
VoidResult writeSysctls(LaunchContext& ctx);
VoidResult setHostname(LaunchContext& ctx);
VoidResult applyRlimits(LaunchContext& ctx);
VoidResult startSession(LaunchContext& ctx);
VoidResult enterWorkingDir(LaunchContext& ctx);
VoidResult applyCredentials(LaunchContext& ctx);
VoidResult resolveCommand(LaunchContext& ctx);
VoidResult setNoNewPrivileges(LaunchContext& ctx);
VoidResult closeExtraFds(LaunchContext& ctx);
VoidResult loadSeccomp(LaunchContext& ctx);
VoidResult execProcess(LaunchContext& ctx);  // returns only on failure

} // namespace berth::runtime
