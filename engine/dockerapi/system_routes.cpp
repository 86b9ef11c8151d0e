// /_ping, /version, /info and /system/df.
#include "api_error.h"
#include "routes.h"

#include "berth/engine.h"
#include "berth/text.h"
#include "berth/version.h"

#include <nlohmann/json.hpp>

#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <fstream>
#include <string_view>

namespace berth::dockerapi {

namespace {

void ping(Request& req, Response& res) {
    std::vector<Header> headers{{"Cache-Control", "no-cache, no-store, must-revalidate"},
                                {"Pragma", "no-cache"},
                                {"Builder-Version", "1"},
                                {"Swarm", "inactive"}};
    // HEAD gets the same header and Content-Length: 0 (the connection leaves the body out).
    res.send(200, "text/plain; charset=utf-8", req.method == "HEAD" ? "" : "OK", headers);
}

nlohmann::json versionJson() {
    const VersionInfo v = versionInfo();
    nlohmann::json details{{"ApiVersion", v.apiVersion},          {"Arch", v.arch},
                           {"BuildTime", ""},                    {"Experimental", "false"},
                           {"GitCommit", ""},                    {"GoVersion", "n/a (Berth is C++)"},
                           {"KernelVersion", v.kernelVersion},   {"MinAPIVersion", v.minApiVersion},
                           {"Os", v.os}};
    return {{"Platform", {{"Name", "Berth"}}},
            {"Components", nlohmann::json::array({{{"Name", "Engine"}, {"Version", v.version}, {"Details", details}}})},
            {"Version", v.version},
            {"ApiVersion", v.apiVersion},
            {"MinAPIVersion", v.minApiVersion},
            {"GitCommit", ""},
            {"GoVersion", "n/a (Berth is C++)"},
            {"Os", v.os},
            {"Arch", v.arch},
            {"KernelVersion", v.kernelVersion},
            {"BuildTime", ""}};
}

// PRETTY_NAME of the host's os-release ("Debian GNU/Linux 12 (bookworm)").
std::string operatingSystem() {
    std::ifstream in("/etc/os-release");
    std::string line;
    while (std::getline(in, line)) {
        if (!line.starts_with("PRETTY_NAME=")) continue;
        std::string v = line.substr(12);
        if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'')) v = v.substr(1, v.size() - 2);
        return v;
    }
    return "Linux";
}

bool available(const RuntimeModeInfo& mode, std::string_view capability) {
    for (const Capability& c : mode.capabilities)
        if (c.name == capability) return c.available;
    return false;
}

nlohmann::json infoJson(Engine& engine) {
    using nlohmann::json;
    const SystemInfo sys = engine.system().info();
    size_t running = 0, paused = 0, stopped = 0;
    auto containers = check(engine.containers().list(true));
    for (const ContainerSummary& c : containers) {
        if (c.state == ContainerStatus::Running || c.state == ContainerStatus::Restarting) ++running;
        else if (c.state == ContainerStatus::Paused) ++paused;
        else ++stopped;
    }
    utsname u{};
    ::uname(&u);
    struct sysinfo si {};
    ::sysinfo(&si);
    const bool limits = available(sys.mode, "resource limits");
    const std::string cgroupVersion = sys.mode.cgroups.starts_with("v1") ? "1" : "2";
    json security = json::array({"name=seccomp,profile=builtin"});
    if (sys.mode.rootless) security.push_back("name=rootless");
    security.push_back("name=cgroupns");
    return {{"ID", ""},
            {"Containers", containers.size()},
            {"ContainersRunning", running},
            {"ContainersPaused", paused},
            {"ContainersStopped", stopped},
            {"Images", check(engine.images().list(false)).size()},
            {"Driver", "overlay2"},
            {"DriverStatus", json::array({json::array({"Backing Filesystem", sys.mode.overlay})})},
            {"Plugins", {{"Volume", {"local"}}, {"Network", {"bridge", "host", "null"}}, {"Log", {"json-file"}}}},
            {"MemoryLimit", limits},
            {"SwapLimit", limits},
            {"CpuCfsPeriod", limits},
            {"CpuCfsQuota", limits},
            {"CPUShares", limits},
            {"CPUSet", limits},
            {"PidsLimit", limits},
            {"OomKillDisable", false},
            {"IPv4Forwarding", true},
            {"Debug", false},
            {"NFd", 0},
            {"NGoroutines", 0},
            {"SystemTime", formatTimeNano(nowNano())},
            {"LoggingDriver", "json-file"},
            {"CgroupDriver", "cgroupfs"},
            {"CgroupVersion", cgroupVersion},
            {"NEventsListener", 0},
            {"KernelVersion", u.release},
            {"OperatingSystem", operatingSystem()},
            {"OSVersion", ""},
            {"OSType", "linux"},
            {"Architecture", u.machine},
            {"NCPU", ::sysconf(_SC_NPROCESSORS_ONLN)},
            {"MemTotal", uint64_t(si.totalram) * si.mem_unit},
            {"IndexServerAddress", "https://index.docker.io/v1/"},
            {"RegistryConfig", {{"IndexConfigs", json::object()}, {"InsecureRegistryCIDRs", {"127.0.0.0/8"}}}},
            {"DockerRootDir", sys.root.string()},
            {"Name", u.nodename},
            {"Labels", json::array()},
            {"ExperimentalBuild", false},
            {"ServerVersion", std::string(berthVersion())},
            {"Runtimes", {{"berth", {{"path", "berth-monitor"}}}}},
            {"DefaultRuntime", "berth"},
            {"Swarm", {{"LocalNodeState", "inactive"}, {"ControlAvailable", false}, {"NodeID", ""}, {"NodeAddr", ""}}},
            {"LiveRestoreEnabled", true},
            {"Isolation", ""},
            {"InitBinary", ""},
            {"SecurityOptions", security},
            {"Warnings", sys.mode.warning.empty() ? json::array() : json::array({sys.mode.warning})}};
}

} // namespace

void addPingRoutes(Router& router) {
    router.add("GET", "/_ping", ping);
    router.add("HEAD", "/_ping", ping);
    router.add("GET", "/version", [](Request&, Response& res) { res.json(200, versionJson()); });
}

void addSystemRoutes(Router& router, Engine& engine) {
    addPingRoutes(router);
    router.add("GET", "/info", [&engine](Request&, Response& res) { res.json(200, infoJson(engine)); });
}

} // namespace berth::dockerapi
