#pragma once
// The user's systemd manager over D-Bus (sd-bus), for what rootless mode needs from it:
// a transient scope per container with Delegate=true, so the container's cgroup v2
// subtree is the user's to limit (what Podman does with cgroup_manager=systemd). The bus
// is the session/user bus: $DBUS_SESSION_BUS_ADDRESS, else $XDG_RUNTIME_DIR/bus; tests
// point the first at a dbus-daemon of their own with a stand-in systemd on it.
//
// Only the berth-scope helper program links this (and libsystemd): berth-monitor is a
// static executable and libsystemd has no static archive on Debian, so the engine runs
// the helper (cgroup/systemd_scope_client.h) instead of linking sd-bus.

#include "sys/error.h"

#include <sys/types.h>

#include <chrono>
#include <string>

namespace berth::scope {

class SystemdUserBus {
public:
    // Connects to the user bus and checks that org.freedesktop.systemd1 answers there.
    static Result<SystemdUserBus> open();

    SystemdUserBus(SystemdUserBus&& other) noexcept;
    SystemdUserBus& operator=(SystemdUserBus&& other) noexcept;
    SystemdUserBus(const SystemdUserBus&) = delete;
    SystemdUserBus& operator=(const SystemdUserBus&) = delete;
    ~SystemdUserBus();

    // The manager's own cgroup ("/user.slice/user-1000.slice/user@1000.service"): its
    // cgroup.controllers are the controllers a delegated scope can get.
    Result<std::string> managerControlGroup();
    // StartTransientUnit(unit, "fail", [Description, PIDs=[pid], Delegate=true,
    // CollectMode=inactive-or-failed]) and waits for the job to finish (JobRemoved) up to
    // `timeout`; a result other than "done" is an error naming it.
    VoidResult startScope(const std::string& unit, pid_t pid, const std::string& description,
                          std::chrono::milliseconds timeout);
    // The unit's ControlGroup property; NotFound when systemd has no such unit loaded.
    Result<std::string> unitControlGroup(const std::string& unit);
    // StopUnit(unit, "replace") and waits for the job; a unit that is gone already is not
    // an error.
    VoidResult stopUnit(const std::string& unit, std::chrono::milliseconds timeout);

private:
    explicit SystemdUserBus(void* bus) : m_bus(bus) {}

    void* m_bus = nullptr;  // sd_bus*, kept out of the header so users need no libsystemd headers
};

} // namespace berth::scope
