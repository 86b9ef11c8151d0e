#include "systemd_user_bus.h"

#include <systemd/sd-bus.h>

#include <fmt/format.h>

#include <cstdlib>
#include <utility>
#include <vector>

namespace berth::scope {

namespace {

constexpr const char* kDest = "org.freedesktop.systemd1";
constexpr const char* kPath = "/org/freedesktop/systemd1";
constexpr const char* kManager = "org.freedesktop.systemd1.Manager";

sd_bus* busOf(void* p) { return static_cast<sd_bus*>(p); }

// sd-bus reports a failed call twice: a negative errno and an sd_bus_error with the
// remote error's name and text. Both go into the message.
struct BusError {
    sd_bus_error e = SD_BUS_ERROR_NULL;
    BusError() = default;
    BusError(const BusError&) = delete;
    ~BusError() { sd_bus_error_free(&e); }
    bool is(const char* name) const { return sd_bus_error_has_name(&e, name); }
    Error toError(const std::string& what, int r) const {
        std::string detail = e.message ? e.message : (e.name ? e.name : "");
        if (detail.empty()) return Error::fromErrno(what, -r);
        return Error(Errc::System, fmt::format("{}: {} ({})", what, detail, e.name ? e.name : "?"), -r);
    }
};

struct Message {
    sd_bus_message* m = nullptr;
    Message() = default;
    Message(const Message&) = delete;
    ~Message() { sd_bus_message_unref(m); }
};

struct Slot {
    sd_bus_slot* s = nullptr;
    Slot() = default;
    Slot(const Slot&) = delete;
    ~Slot() { sd_bus_slot_unref(s); }
};

// The JobRemoved(u id, o job, s unit, s result) signals seen while waiting for one job.
struct JobWatch {
    std::string job;  // set once the call returned the job's path
    bool done = false;
    std::string result;
    // Signals that arrive before the call's reply is read are kept by path.
    std::vector<std::pair<std::string, std::string>> early;
};

int onJobRemoved(sd_bus_message* m, void* userdata, sd_bus_error*) {
    auto* w = static_cast<JobWatch*>(userdata);
    uint32_t id = 0;
    const char* path = nullptr;
    const char* unit = nullptr;
    const char* result = nullptr;
    if (sd_bus_message_read(m, "uoss", &id, &path, &unit, &result) < 0) return 0;
    if (!w->job.empty() && w->job == path) {
        w->done = true;
        w->result = result;
    } else if (w->job.empty()) {
        w->early.emplace_back(path, result);
    }
    return 0;
}

uint64_t usec(std::chrono::milliseconds t) { return uint64_t(t.count()) * 1000; }

// Sends a call that returns a job path and waits until that job is removed.
VoidResult runJob(sd_bus* bus, sd_bus_message* call, const std::string& what, std::chrono::milliseconds timeout,
                  bool* noSuchUnit) {
    JobWatch watch;
    Slot slot;
    // Subscribed before the call: the signal may come right behind the reply.
    if (int r = sd_bus_match_signal(bus, &slot.s, kDest, kPath, kManager, "JobRemoved", onJobRemoved, &watch); r < 0)
        return failErrno(what + ": watch JobRemoved", -r);
    BusError err;
    Message reply;
    if (int r = sd_bus_call(bus, call, usec(timeout), &err.e, &reply.m); r < 0) {
        if (noSuchUnit && err.is("org.freedesktop.systemd1.NoSuchUnit")) {
            *noSuchUnit = true;
            return {};
        }
        return fail(err.toError(what, r));
    }
    const char* job = nullptr;
    if (int r = sd_bus_message_read(reply.m, "o", &job); r < 0) return failErrno(what + ": read the job path", -r);
    watch.job = job;
    for (auto& [path, result] : watch.early)
        if (path == watch.job) {
            watch.done = true;
            watch.result = result;
        }
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!watch.done) {
        int r = sd_bus_process(bus, nullptr);
        if (r < 0) return failErrno(what + ": wait for job " + watch.job, -r);
        if (r > 0) continue;
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0)
            return fail(Errc::Timeout, fmt::format("{}: job {} did not finish within {} ms", what, watch.job,
                                                   timeout.count()));
        if (r = sd_bus_wait(bus, usec(left)); r < 0) return failErrno(what + ": wait for job " + watch.job, -r);
    }
    if (watch.result != "done")
        return fail(Errc::System, fmt::format("{}: job {} ended with result \"{}\"", what, watch.job, watch.result));
    return {};
}

} // namespace

SystemdUserBus::SystemdUserBus(SystemdUserBus&& other) noexcept : m_bus(std::exchange(other.m_bus, nullptr)) {}

SystemdUserBus& SystemdUserBus::operator=(SystemdUserBus&& other) noexcept {
    if (this != &other) {
        sd_bus_flush_close_unref(busOf(m_bus));
        m_bus = std::exchange(other.m_bus, nullptr);
    }
    return *this;
}

SystemdUserBus::~SystemdUserBus() { sd_bus_flush_close_unref(busOf(m_bus)); }

Result<SystemdUserBus> SystemdUserBus::open() {
    sd_bus* bus = nullptr;
    // sd_bus_open_user takes $DBUS_SESSION_BUS_ADDRESS, else $XDG_RUNTIME_DIR/bus.
    if (int r = sd_bus_open_user(&bus); r < 0) {
        const char* addr = std::getenv("DBUS_SESSION_BUS_ADDRESS");
        return failErrno(fmt::format("connect to the user's D-Bus ({})",
                                     addr && *addr ? addr : "$XDG_RUNTIME_DIR/bus"),
                         -r);
    }
    SystemdUserBus self(bus);
    // A bus without systemd on it (a desktop session bus on a host booted without systemd).
    BERTH_TRY_CTX(self.managerControlGroup(), "ask the user's systemd on D-Bus");
    return self;
}

Result<std::string> SystemdUserBus::managerControlGroup() {
    BusError err;
    char* value = nullptr;
    if (int r = sd_bus_get_property_string(busOf(m_bus), kDest, kPath, kManager, "ControlGroup", &err.e, &value); r < 0)
        return fail(err.toError("get org.freedesktop.systemd1.Manager.ControlGroup", r));
    std::string out = value;
    std::free(value);
    return out;
}

VoidResult SystemdUserBus::startScope(const std::string& unit, pid_t pid, const std::string& description,
                                      std::chrono::milliseconds timeout) {
    std::string what = "start systemd scope " + unit;
    sd_bus* bus = busOf(m_bus);
    Message call;
    int r = sd_bus_message_new_method_call(bus, &call.m, kDest, kPath, kManager, "StartTransientUnit");
    if (r >= 0) r = sd_bus_message_append(call.m, "ss", unit.c_str(), "fail");
    if (r >= 0) r = sd_bus_message_open_container(call.m, 'a', "(sv)");
    if (r >= 0) r = sd_bus_message_append(call.m, "(sv)", "Description", "s", description.c_str());
    if (r >= 0) r = sd_bus_message_append(call.m, "(sv)", "PIDs", "au", 1, uint32_t(pid));
    // Delegate: the scope's subtree is ours to write limits into (and to make children).
    if (r >= 0) r = sd_bus_message_append(call.m, "(sv)", "Delegate", "b", 1);
    // A scope whose container failed is garbage-collected instead of lingering as failed
    // (which would make the next StartTransientUnit of that name fail).
    if (r >= 0) r = sd_bus_message_append(call.m, "(sv)", "CollectMode", "s", "inactive-or-failed");
    if (r >= 0) r = sd_bus_message_close_container(call.m);
    if (r >= 0) r = sd_bus_message_append(call.m, "a(sa(sv))", 0);
    if (r < 0) return failErrno(what + ": build the StartTransientUnit call", -r);
    return runJob(bus, call.m, what, timeout, nullptr);
}

Result<std::string> SystemdUserBus::unitControlGroup(const std::string& unit) {
    sd_bus* bus = busOf(m_bus);
    BusError err;
    Message reply;
    if (int r = sd_bus_call_method(bus, kDest, kPath, kManager, "GetUnit", &err.e, &reply.m, "s", unit.c_str()); r < 0) {
        if (err.is("org.freedesktop.systemd1.NoSuchUnit"))
            return fail(Errc::NotFound, "systemd has no unit " + unit);
        return fail(err.toError("GetUnit " + unit, r));
    }
    const char* path = nullptr;
    if (int r = sd_bus_message_read(reply.m, "o", &path); r < 0) return failErrno("GetUnit " + unit + ": read", -r);
    BusError perr;
    char* value = nullptr;
    if (int r = sd_bus_get_property_string(bus, kDest, path, "org.freedesktop.systemd1.Scope", "ControlGroup", &perr.e,
                                           &value);
        r < 0)
        return fail(perr.toError("get ControlGroup of " + unit, r));
    std::string out = value;
    std::free(value);
    if (out.empty()) return fail(Errc::NotFound, "systemd unit " + unit + " has no cgroup (not running)");
    return out;
}

VoidResult SystemdUserBus::stopUnit(const std::string& unit, std::chrono::milliseconds timeout) {
    std::string what = "stop systemd scope " + unit;
    sd_bus* bus = busOf(m_bus);
    Message call;
    int r = sd_bus_message_new_method_call(bus, &call.m, kDest, kPath, kManager, "StopUnit");
    if (r >= 0) r = sd_bus_message_append(call.m, "ss", unit.c_str(), "replace");
    if (r < 0) return failErrno(what + ": build the StopUnit call", -r);
    bool gone = false;
    return runJob(bus, call.m, what, timeout, &gone);
}

} // namespace berth::scope
