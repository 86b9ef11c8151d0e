#pragma once
// Launcher: turns a ContainerSpec into a running, isolated process. launch() creates the
// container's namespaces and its init (pid 1 inside); execIn() starts another process
// inside a running container (`berth exec`). Both must be called from a SINGLE-THREADED
// process (berth-monitor): the child does its mount and credential work between clone and
// exec, which is only safe when no other thread holds a lock.
//
// The recipe (see launcher.cpp) is one ordered list of named steps; a step that fails in
// the child is reported to the caller through a close-on-exec pipe as a message and errno,
// so the Error returned here names exactly what failed, e.g.
//   "mount proc on `/proc`: image's `/proc` is a symlink (to `/etc`): refusing".

#include "runtime/container_spec.h"
#include "sys/error.h"

#include <sys/types.h>

#include <functional>

namespace berth::runtime {

// File descriptors in the CALLER that become the container process's 0, 1 and 2 (e.g. the
// pty slave three times for `-t`). -1 means /dev/null. The caller keeps ownership.
struct Stdio {
    int in = -1;
    int out = -1;
    int err = -1;
};

struct Launched {
    pid_t pid = -1;  // host pid of the process (pid 1 inside for launch())
};

// Called in the parent with the child's host pid after clone, while the child waits (on
// its launch channel) before anything that depends on the hook: the place to add the pid
// to the container's cgroup (the child then unshares its cgroup namespace, so the
// container sees its cgroup as "/") or to wire network interfaces into its netns. As root
// the child meanwhile mounts its root, /proc, /sys and /dev (launcher.cpp says which steps
// and why). An error here kills the child and is returned (the child's own error instead
// when its set-up failed first).
using BeforeExec = std::function<VoidResult(pid_t)>;

// Starts the container's init: namespaces pid, mount, uts, ipc, cgroup and net (unless
// NetworkMode::Host), the root filesystem (overlay or ready rootfs) with /proc, /sys, /dev,
// /etc/hosts..., user mounts, pivot_root, masked and read-only paths, hostname, rlimits,
// cwd, user, capabilities, no_new_privs, fds closed, seccomp loaded last, then execve of
// spec.process.args. Returns once the process has exec'd. The caller reaps it (waitpid).
//
// spec.process.capabilities is taken literally (empty = no capabilities); fill it with
// defaultCapabilities() (+ --cap-add, - --cap-drop). spec.privileged grants all of them,
// skips masked/read-only paths and seccomp.
//
// Errors: Errc::CommandNotFound when args[0] is not found in the image (exit 127),
// Errc::NotExecutable when it is not executable (126); see exitCodeForLaunchError().
Result<Launched> launch(const ContainerSpec& spec, const Stdio& stdio,
                        const BeforeExec& beforeExec = {});

// Joins the namespaces of the running container whose init is `initPid` (ipc, uts, net,
// pid, cgroup, mount) and execs `proc` there, with the container's seccomp profile and
// proc.capabilities. `beforeExec` (e.g. join the container's cgroup) runs with the new
// process's host pid before it execs. The new process is a child of the caller.
Result<Launched> execIn(pid_t initPid, const ContainerSpec& spec, const ProcessSpec& proc,
                        const Stdio& stdio, const BeforeExec& beforeExec = {});

// Docker's exit codes for a container that could not start: 127 command not found,
// 126 command not executable, 125 anything else.
int exitCodeForLaunchError(const Error& e);

} // namespace berth::runtime
