// berth-scope: the engine's bridge to the user's systemd for rootless limits (one D-Bus
// conversation per run, so no process keeps a bus connection or links libsystemd but
// this one). Output on stdout, one line; an error's text on stderr.
//   berth-scope manager-cgroup                       the user manager's ControlGroup
//   berth-scope start <unit> <pid> <desc> <ms>      StartTransientUnit (PIDs, Delegate=true),
//                                                    then the scope's ControlGroup
//   berth-scope cgroup <unit>                        the unit's ControlGroup
//   berth-scope stop <unit> <ms>                     StopUnit
// Exit status: 0 done, 1 failed, 2 usage, 3 no such unit (cgroup).

#include "systemd_user_bus.h"

#include <cstdio>
#include <cstdlib>
#include <string>

using namespace berth;

namespace {

int failed(const Error& e) {
    std::fprintf(stderr, "%s\n", e.message().c_str());
    return e.code() == Errc::NotFound ? 3 : 1;
}

int usage() {
    std::fprintf(stderr, "usage: berth-scope manager-cgroup | start <unit> <pid> <description> <timeout-ms> | "
                         "cgroup <unit> | stop <unit> <timeout-ms>\n");
    return 2;
}

bool number(const char* text, long& out) {
    char* end = nullptr;
    out = std::strtol(text, &end, 10);
    return *text && !*end && out >= 0;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) return usage();
    std::string verb = argv[1];
    long pid = 0, ms = 0;
    if (verb == "manager-cgroup" && argc == 2) {
    } else if (verb == "start" && argc == 6 && number(argv[3], pid) && pid > 0 && number(argv[5], ms)) {
    } else if (verb == "cgroup" && argc == 3) {
    } else if (verb == "stop" && argc == 4 && number(argv[3], ms)) {
    } else {
        return usage();
    }
    auto bus = scope::SystemdUserBus::open();
    if (!bus) return failed(bus.error());
    Result<std::string> out = std::string();
    if (verb == "manager-cgroup") {
        out = bus->managerControlGroup();
    } else if (verb == "start") {
        auto started = bus->startScope(argv[2], pid_t(pid), argv[4], std::chrono::milliseconds(ms));
        if (!started) return failed(started.error());
        out = bus->unitControlGroup(argv[2]);
    } else if (verb == "cgroup") {
        out = bus->unitControlGroup(argv[2]);
    } else {
        auto stopped = bus->stopUnit(argv[2], std::chrono::milliseconds(ms));
        if (!stopped) return failed(stopped.error());
    }
    if (!out) return failed(out.error());
    if (!out->empty()) std::printf("%s\n", out->c_str());
    return 0;
}
