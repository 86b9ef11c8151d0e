#pragma once
// Private to the container service's .cpp files: the state one ContainerService holds and
// the helpers its parts share.

#include "cgroup/cgroup_manager.h"
#include "container/container_service.h"
#include "container/container_store.h"
#include "volume/volume_service.h"
#include "sys/unique_fd.h"

#include <memory>
#include <mutex>
#include <optional>

namespace berth::container {

struct ContainerService::Impl {
    Impl(store::StoreLayout layout, image::ImageStore& images)
        : store(layout), images(images), volumes(layout) {}

    ContainerStore store;
    image::ImageStore& images;
    ContainerService::StartHooks startHooks;  // networks (set by the Engine facade)
    volume::VolumeService volumes;  // volumes/ of the same store (the containers' mounts)

    Result<std::unique_ptr<cgroup::CgroupManager>> cgroupFor(const std::string& id);

    Result<ContainerRecord> find(std::string_view ref) const;
    // Starts the monitor; returns our end of its socket once the container runs.
    // `initialSize` ("rows cols", for -t) is queued before the monitor starts, so the
    // container's pty has the caller's size before its process runs.
    Result<sys::UniqueFd> startMonitor(const ContainerRecord& rec, const std::string& initialSize = {});
    Result<sys::UniqueFd> startMonitorProcess(const ContainerRecord& rec, const std::string& initialSize);
    // Asks the monitor not to restart, signals, waits (SIGKILL after the timeout).
    VoidResult stopRunning(const ContainerRecord& rec, int signal, int timeoutSeconds);
    void event(const ContainerConfig& c, const char* action,
               std::map<std::string, std::string> attrs = {}) const;
};

// True when `pid` is alive and is the monitor of container `id` (guards against pid reuse).
bool monitorAlive(pid_t pid, std::string_view id);
// Corrects a record whose monitor died without writing its final state.
void reconcileState(ContainerRecord& rec);
// Opens a pidfd; invalid when the process is gone.
sys::UniqueFd openPidFd(pid_t pid);
// Waits until the pidfd is readable (process exited) or the timeout (ms, -1 = forever).
bool waitPidFd(const sys::UniqueFd& fd, int timeoutMs);
// container_attach.cpp: "rows cols" of the terminal `ttyFd`, or "" when it is none.
std::string terminalSize(int ttyFd);
// Copies between an attached client's fds and a monitor socket until the container ends
// (its exit code) or the user detaches (kDetached). `closeStdinAtEnd`: the end of the
// client's stdin closes the container's (the starting client; docker's StdinOnce).
Result<int> attachPump(int sock, const AttachIo& io, bool forwardStdin, bool tty, bool closeStdinAtEnd);
int signalNumber(std::string_view name);  // "SIGTERM", "TERM", "15" -> 15; -1 unknown
std::string statusText(const ContainerRecord& rec, int64_t nowNanoTime);
// docker's checks of resource limits that need no kernel (create and update).
VoidResult validateLimits(const ResourceLimits& limits);

} // namespace berth::container
