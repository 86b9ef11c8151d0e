// /_ping, /version (and OPTIONS on any path, which dockerd answers 200 for CORS probes).
#include "routes.h"

#include <nlohmann/json.hpp>

#include <sys/utsname.h>

#include <string_view>

#ifndef BERTH_VERSION
#define BERTH_VERSION "0"
#endif

namespace berth::dockerapi {

namespace {

// Go's names for architectures, which clients compare with their own.
std::string goArch(std::string_view machine) {
    if (machine == "x86_64") return "amd64";
    if (machine == "aarch64") return "arm64";
    if (machine == "i386" || machine == "i686") return "386";
    if (machine.starts_with("armv")) return "arm";
    return std::string(machine);
}

void ping(Request& req, Response& res) {
    std::vector<Header> headers{{"Cache-Control", "no-cache, no-store, must-revalidate"},
                                {"Pragma", "no-cache"},
                                {"Builder-Version", "1"},
                                {"Swarm", "inactive"}};
    // HEAD gets the same header and Content-Length: 0 (the connection leaves the body out).
    res.send(200, "text/plain; charset=utf-8", req.method == "HEAD" ? "" : "OK", headers);
}

nlohmann::json versionJson() {
    utsname u{};
    ::uname(&u);
    std::string arch = goArch(u.machine);
    nlohmann::json details{{"ApiVersion", kApiVersion},   {"Arch", arch},
                           {"BuildTime", ""},            {"Experimental", "false"},
                           {"GitCommit", ""},            {"GoVersion", "n/a (Berth is C++)"},
                           {"KernelVersion", u.release}, {"MinAPIVersion", kMinApiVersion},
                           {"Os", "linux"}};
    return {{"Platform", {{"Name", "Berth"}}},
            {"Components", nlohmann::json::array({{{"Name", "Engine"}, {"Version", BERTH_VERSION}, {"Details", details}}})},
            {"Version", BERTH_VERSION},
            {"ApiVersion", kApiVersion},
            {"MinAPIVersion", kMinApiVersion},
            {"GitCommit", ""},
            {"GoVersion", "n/a (Berth is C++)"},
            {"Os", "linux"},
            {"Arch", arch},
            {"KernelVersion", u.release},
            {"BuildTime", ""}};
}

} // namespace

void addPingRoutes(Router& router) {
    router.add("GET", "/_ping", ping);
    router.add("HEAD", "/_ping", ping);
    router.add("GET", "/version", [](Request&, Response& res) { res.json(200, versionJson()); });
}

void addSystemRoutes(Router& router, Engine&) { addPingRoutes(router); }

} // namespace berth::dockerapi
