#pragma once
// A container's healthcheck, run by its monitor (docker's HEALTHCHECK / --health-*): on
// schedule, one process at a time, entering the container through the runtime's execIn
// (non-dumpable, its own session, seccomp-filtered, in the container's cgroup) like every
// `exec`; its output is read from one pipe, a check past its timeout is killed, and each
// result goes into State.Health through container::Lifecycle. Made only for a container
// that has a healthcheck: without one the monitor holds a null pointer, no timer, no fd.

#include "cgroup/cgroup_manager.h"
#include "container/container_record.h"
#include "container/lifecycle.h"
#include "runtime/container_spec.h"
#include "sys/unique_fd.h"

#include <cstdint>
#include <string>

namespace berth::monitor {

class HealthProbe {
public:
    HealthProbe(const container::ContainerStore& store, const container::ContainerConfig& config, HealthConfig check,
                std::optional<HealthState> kept);

    // The container's init runs (again): status "starting", the first check one interval
    // (the start interval within a start period) from now.
    void containerStarted(pid_t initPid, int64_t startedNano);
    // The init exited: a check still running is killed and its result dropped.
    void containerStopped();

    // What the monitor's poll loop waits on: the running check's output (or -1), and the
    // milliseconds until the next check or the running one's deadline (-1: nothing to wait for).
    int fd() const { return m_output ? m_output.get() : -1; }
    int msUntilDue() const;
    // Starts a due check, kills an overdue one; reads output when fd() is readable.
    void tick(const runtime::ContainerSpec& spec, cgroup::CgroupManager& cgroup);
    void readOutput();
    // A child the monitor reaped: true when it was the check (its result is recorded at
    // the next tick).
    bool reaped(pid_t pid, int status);

private:
    void start(const runtime::ContainerSpec& spec, cgroup::CgroupManager& cgroup);
    void complete();
    void finish(int exitCode, std::string output);
    void scheduleNext();
    void append(std::string_view bytes);

    const container::ContainerStore& m_store;
    const container::ContainerConfig& m_config;
    HealthConfig m_check;
    HealthState m_state;
    pid_t m_initPid = -1;
    int64_t m_startedNano = 0;  // the container's start (realtime)
    int64_t m_nextMs = -1;      // monotonic ms of the next check; -1 = none scheduled
    // The running check.
    pid_t m_pid = -1;
    sys::UniqueFd m_output;
    int64_t m_deadlineMs = 0;
    int64_t m_checkStartNano = 0;
    bool m_exited = false;  // reaped, its result not yet taken
    int m_exitStatus = 0;
    bool m_timedOut = false;
    bool m_truncated = false;
    std::string m_buffer;
};

} // namespace berth::monitor
