#pragma once
// Lifecycle: the one owner of what a container's life writes and decides (issue 16). A
// start, an exit, a restart, a removal: the state they leave in state.json, the events
// they journal (docker's actions, image and name attached) and whether the restart policy
// starts the container again. berth-monitor calls it from its poll loop (start, exit,
// restart, --rm); ContainerService calls it for what it does itself (create, kill, stop,
// pause, remove). Nothing else writes a container's transitions or its events.

#include "container/container_store.h"

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>

namespace berth::container {

class Lifecycle {
public:
    // Both must outlive the Lifecycle: it is made on the spot, where a record is at hand.
    Lifecycle(const ContainerStore& store, const ContainerConfig& config) : m_store(store), m_config(config) {}

    // Journals docker's container event `action` ("create", "kill", "pause"...).
    VoidResult event(const char* action, std::map<std::string, std::string> attributes = {}) const;

    // The init runs: state Running (with its pid and the monitor's), then "start".
    VoidResult recordStart(pid_t initPid, pid_t monitorPid, int64_t startedNano, int restartCount) const;
    // A start that failed: the first one leaves the container Created (docker's exit code
    // and error kept for inspect), a restart leaves it Exited.
    VoidResult recordFailedStart(const Error& error, int exitCode, bool firstStart) const;
    // The init exited: state Restarting while the policy starts it again (so `wait` does not
    // take the gap for the end), else Exited; then "oom" if the kernel killed it for memory,
    // and "die" with the exit code. Every step is tried; the first failure is returned.
    VoidResult recordExit(int exitCode, bool oomKilled, bool restarting, int restartCount) const;
    VoidResult recordRestartCount(int restartCount) const;
    // A healthcheck's result taken into State.Health (container/health.h); when the status
    // `changed` to healthy or unhealthy, docker's "health_status: healthy|unhealthy" event.
    VoidResult recordHealth(const HealthState& health, bool changed) const;
    // The user stopped it while it waited to be restarted.
    VoidResult recordStopDuringBackoff() const;

    // docker's restart policies; an exit the user asked for (stop, kill) never restarts.
    bool shouldRestart(int exitCode, int restartCount, bool stopRequested) const;

    // Removes the record (and, with `anonymousVolumes`, its anonymous volumes no other
    // container uses). Call with the store locked; journal "destroy" with removed().
    VoidResult remove(bool anonymousVolumes) const;
    VoidResult removed() const { return event("destroy"); }

private:
    const ContainerStore& m_store;
    const ContainerConfig& m_config;
};

} // namespace berth::container
