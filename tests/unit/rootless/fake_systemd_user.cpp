// A stand-in for the user's systemd on a test's own session bus (this machine has no
// systemd as PID 1): it owns org.freedesktop.systemd1 and implements just what Berth's
// rootless scopes use, on a temporary directory standing in for the cgroup v2 root.
//   StartTransientUnit(ssa(sv)a(sa(sv))) -> o   makes <root><manager>/app.slice/<unit>/
//       with cgroup.controllers "memory pids cpu"; moves nothing
//   StopUnit(ss) -> o                           removes that directory
//   GetUnit(s) -> o, Manager.ControlGroup, Scope.ControlGroup of each unit
//   JobRemoved(uoss) after every job, result "done"
// Every call is logged, one line each, to the log file, e.g.
//   StartTransientUnit unit=berth-x.scope mode=fail pids=123 delegate=true collect=inactive-or-failed
// Usage: berth_fake_systemd_user <cgroup-root> <manager-cgroup> <log-file>; prints
// "ready" once it owns the name. Ends on SIGTERM or when the bus goes away.

#include <systemd/sd-bus.h>

#include <signal.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

constexpr const char* kPath = "/org/freedesktop/systemd1";
constexpr const char* kManager = "org.freedesktop.systemd1.Manager";

struct Unit {
    std::string name;
    std::string controlGroup;
    std::string objectPath;
    sd_bus_slot* slot = nullptr;
};

struct State {
    fs::path root;
    std::string managerCgroup;
    std::ofstream log;
    std::map<std::string, std::unique_ptr<Unit>> units;
    uint32_t nextJob = 1;
};

State g;
volatile sig_atomic_t g_stop = 0;

void writeFile(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

int scopeControlGroup(sd_bus*, const char*, const char*, const char*, sd_bus_message* reply, void* userdata,
                      sd_bus_error*) {
    return sd_bus_message_append(reply, "s", static_cast<Unit*>(userdata)->controlGroup.c_str());
}

const sd_bus_vtable kScopeVtable[] = {
    SD_BUS_VTABLE_START(0),
    SD_BUS_PROPERTY("ControlGroup", "s", scopeControlGroup, 0, 0),
    SD_BUS_VTABLE_END,
};

int finishJob(sd_bus_message* m, const std::string& unit) {
    uint32_t id = g.nextJob++;
    std::string job = std::string(kPath) + "/job/" + std::to_string(id);
    int r = sd_bus_reply_method_return(m, "o", job.c_str());
    if (r < 0) return r;
    return sd_bus_emit_signal(sd_bus_message_get_bus(m), kPath, kManager, "JobRemoved", "uoss", id, job.c_str(),
                              unit.c_str(), "done");
}

int startTransientUnit(sd_bus_message* m, void*, sd_bus_error* err) {
    const char* name = nullptr;
    const char* mode = nullptr;
    int r = sd_bus_message_read(m, "ss", &name, &mode);
    if (r < 0) return r;
    std::string pids = "unset", delegate = "unset", collect = "unset", description = "unset";
    if ((r = sd_bus_message_enter_container(m, 'a', "(sv)")) < 0) return r;
    while ((r = sd_bus_message_enter_container(m, 'r', "sv")) > 0) {
        const char* key = nullptr;
        if ((r = sd_bus_message_read(m, "s", &key)) < 0) return r;
        if (std::strcmp(key, "PIDs") == 0) {
            if ((r = sd_bus_message_enter_container(m, 'v', "au")) < 0) return r;
            if ((r = sd_bus_message_enter_container(m, 'a', "u")) < 0) return r;
            pids.clear();
            uint32_t pid = 0;
            while ((r = sd_bus_message_read(m, "u", &pid)) > 0) pids += (pids.empty() ? "" : ",") + std::to_string(pid);
            if (r < 0) return r;
            sd_bus_message_exit_container(m);
            sd_bus_message_exit_container(m);
        } else if (std::strcmp(key, "Delegate") == 0) {
            int b = 0;
            if ((r = sd_bus_message_read(m, "v", "b", &b)) < 0) return r;
            delegate = b ? "true" : "false";
        } else if (std::strcmp(key, "CollectMode") == 0 || std::strcmp(key, "Description") == 0) {
            const char* s = nullptr;
            if ((r = sd_bus_message_read(m, "v", "s", &s)) < 0) return r;
            (std::strcmp(key, "CollectMode") == 0 ? collect : description) = s;
        } else if ((r = sd_bus_message_skip(m, "v")) < 0) {
            return r;
        }
        sd_bus_message_exit_container(m);
    }
    if (r < 0) return r;
    sd_bus_message_exit_container(m);
    g.log << "StartTransientUnit unit=" << name << " mode=" << mode << " pids=" << pids << " delegate=" << delegate
          << " collect=" << collect << " description=" << description << std::endl;
    if (g.units.count(name))
        return sd_bus_error_setf(err, "org.freedesktop.systemd1.UnitExists", "Unit %s already exists.", name);
    auto unit = std::make_unique<Unit>();
    unit->name = name;
    unit->controlGroup = g.managerCgroup + "/app.slice/" + name;
    fs::path slice = g.root / fs::path(g.managerCgroup).relative_path() / "app.slice";
    fs::create_directories(slice / name);
    // systemd enables the delegated controllers in the slice for its children.
    writeFile(slice / "cgroup.controllers", "memory pids cpu\n");
    writeFile(slice / "cgroup.subtree_control", "memory pids cpu\n");
    writeFile(slice / name / "cgroup.controllers", "memory pids cpu\n");
    char* path = nullptr;
    if ((r = sd_bus_path_encode("/org/freedesktop/systemd1/unit", name, &path)) < 0) return r;
    unit->objectPath = path;
    std::free(path);
    if ((r = sd_bus_add_object_vtable(sd_bus_message_get_bus(m), &unit->slot, unit->objectPath.c_str(),
                                      "org.freedesktop.systemd1.Scope", kScopeVtable, unit.get())) < 0)
        return r;
    g.units[name] = std::move(unit);
    return finishJob(m, name);
}

int stopUnit(sd_bus_message* m, void*, sd_bus_error* err) {
    const char* name = nullptr;
    const char* mode = nullptr;
    int r = sd_bus_message_read(m, "ss", &name, &mode);
    if (r < 0) return r;
    g.log << "StopUnit unit=" << name << " mode=" << mode << std::endl;
    auto it = g.units.find(name);
    if (it == g.units.end())
        return sd_bus_error_setf(err, "org.freedesktop.systemd1.NoSuchUnit", "Unit %s not loaded.", name);
    std::error_code ec;
    fs::remove_all(g.root / fs::path(it->second->controlGroup).relative_path(), ec);
    sd_bus_slot_unref(it->second->slot);
    g.units.erase(it);
    return finishJob(m, name);
}

int getUnit(sd_bus_message* m, void*, sd_bus_error* err) {
    const char* name = nullptr;
    int r = sd_bus_message_read(m, "s", &name);
    if (r < 0) return r;
    auto it = g.units.find(name);
    if (it == g.units.end())
        return sd_bus_error_setf(err, "org.freedesktop.systemd1.NoSuchUnit", "Unit %s not loaded.", name);
    return sd_bus_reply_method_return(m, "o", it->second->objectPath.c_str());
}

int managerControlGroup(sd_bus*, const char*, const char*, const char*, sd_bus_message* reply, void*,
                        sd_bus_error*) {
    return sd_bus_message_append(reply, "s", g.managerCgroup.c_str());
}

const sd_bus_vtable kManagerVtable[] = {
    SD_BUS_VTABLE_START(0),
    SD_BUS_METHOD("StartTransientUnit", "ssa(sv)a(sa(sv))", "o", startTransientUnit, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_METHOD("StopUnit", "ss", "o", stopUnit, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_METHOD("GetUnit", "s", "o", getUnit, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_PROPERTY("ControlGroup", "s", managerControlGroup, 0, 0),
    SD_BUS_SIGNAL("JobRemoved", "uoss", 0),
    SD_BUS_VTABLE_END,
};

} // namespace

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: %s <cgroup-root> <manager-cgroup> <log-file>\n", argv[0]);
        return 2;
    }
    g.root = argv[1];
    g.managerCgroup = argv[2];
    g.log.open(argv[3], std::ios::app);
    struct sigaction sa {};
    sa.sa_handler = [](int) { g_stop = 1; };
    ::sigaction(SIGTERM, &sa, nullptr);
    ::sigaction(SIGINT, &sa, nullptr);

    sd_bus* bus = nullptr;
    int r = sd_bus_open_user(&bus);
    if (r < 0) {
        std::fprintf(stderr, "connect to the session bus: %s\n", std::strerror(-r));
        return 1;
    }
    sd_bus_slot* slot = nullptr;
    if ((r = sd_bus_add_object_vtable(bus, &slot, kPath, kManager, kManagerVtable, nullptr)) < 0 ||
        (r = sd_bus_request_name(bus, "org.freedesktop.systemd1", 0)) < 0) {
        std::fprintf(stderr, "serve org.freedesktop.systemd1: %s\n", std::strerror(-r));
        return 1;
    }
    std::printf("ready\n");
    std::fflush(stdout);
    while (!g_stop) {
        r = sd_bus_process(bus, nullptr);
        if (r < 0) break;
        if (r > 0) continue;
        if (sd_bus_wait(bus, 500000) < 0 && !g_stop) break;
    }
    g.units.clear();
    sd_bus_slot_unref(slot);
    sd_bus_flush_close_unref(bus);
    return 0;
}
