#pragma once
// State shared by the steps of one launch, in the child process between clone and exec.
// Steps are plain functions taking this context (see launcher.cpp for the recipe).

#include "runtime/container_spec.h"
#include "runtime/launcher.h"
#include "runtime/seccomp_profile.h"
#include "sys/error.h"
#include "sys/unique_fd.h"

#include <string>
#include <vector>

namespace berth::runtime {

struct LaunchContext {
    const ContainerSpec& spec;
    const ProcessSpec& process;
    Stdio stdio;
    int channelFd = -1;
    const SeccompProgram* seccomp = nullptr;  // null: unconfined
    std::vector<int> capabilities;            // final capability numbers
    sys::UniqueFd rootFd;                     // the container root during mount set-up
    bool isInit = true;                       // launch() (pid 1) rather than execIn()
    std::string executable;                   // args[0] resolved inside the root
    std::vector<char*> argv, envp;            // ready for execve (point into process)
};

using Step = VoidResult (*)(LaunchContext&);
struct NamedStep {
    const char* name;
    Step run;
};

} // namespace berth::runtime
