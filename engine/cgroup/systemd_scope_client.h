#pragma once
// The user's systemd, as rootless limits need it, through the berth-scope helper program
// (app/berth-scope: sd-bus, one D-Bus conversation per run). A helper rather than a
// linked library: berth-monitor, which starts and ends containers, is a static
// executable and libsystemd comes only as a shared library. The bus is the user's
// ($DBUS_SESSION_BUS_ADDRESS, else $XDG_RUNTIME_DIR/bus, read by the helper); `helper` is
// the engine's EngineSettings::helpers.scope (BERTH_SCOPE_HELPER), "" = berth-scope beside
// the running program, else on PATH.

#include "sys/error.h"

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>

namespace berth::cgroup {

// "berth-<id>.scope".
std::string scopeUnitName(const std::string& containerId);

namespace systemd {

// The user manager's own cgroup ("/user.slice/user-1000.slice/user@1000.service"); an
// error when there is no bus, or no systemd on it.
Result<std::string> managerControlGroup(const std::filesystem::path& helper);
// StartTransientUnit(unit, "fail", PIDs=[pid], Delegate=true, ...), waiting for the job;
// returns the scope's ControlGroup.
Result<std::string> startScope(const std::filesystem::path& helper, const std::string& unit, pid_t pid, const std::string& description,
                               std::chrono::milliseconds timeout);
// The unit's ControlGroup; NotFound when systemd has no such unit.
Result<std::string> unitControlGroup(const std::filesystem::path& helper, const std::string& unit);
// StopUnit(unit, "replace"), waiting for the job; a unit already gone is not an error.
VoidResult stopUnit(const std::filesystem::path& helper, const std::string& unit, std::chrono::milliseconds timeout);

} // namespace systemd
} // namespace berth::cgroup
