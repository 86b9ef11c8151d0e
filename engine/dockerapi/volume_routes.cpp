// Volumes: list (filters dangling, driver, label, name), create, inspect, DELETE, prune,
// each through berth::Volumes. Only docker's "local" driver exists.
#include "api_error.h"
#include "json_fields.h"
#include "routes.h"
#include "summaries.h"

#include "berth/engine.h"

#include <nlohmann/json.hpp>

namespace berth::dockerapi {

namespace {

using nlohmann::json;

void list(Engine& engine, Request& req, Response& res) {
    Filters f = Filters::parse(req.query.get("filters"));
    f.checkKeys({"dangling", "driver", "label", "name"});
    const std::optional<bool> dangling = f.boolean("dangling");
    json volumes = json::array();
    for (const VolumeSummary& v : check(engine.volumes().list())) {
        if (dangling && *dangling != v.usedBy.empty()) continue;
        if (!f.matches("driver", v.volume.driver)) continue;
        if (!f.matchesLabels("label", v.volume.labels)) continue;
        if (f.has("name")) {  // docker: a substring of the name
            bool any = false;
            for (const std::string& n : f.values("name")) any = any || v.volume.name.find(n) != std::string::npos;
            if (!any) continue;
        }
        volumes.push_back(volumeJson(v.volume));
    }
    res.json(200, {{"Volumes", volumes}, {"Warnings", json::array()}});
}

void create(Engine& engine, Request& req, Response& res) {
    const json body = req.jsonBody();
    const std::string driver = str(body, "Driver", "local");
    if (!driver.empty() && driver != "local") notFound("plugin \"" + driver + "\" not found: only the local volume driver exists");
    VolumeCreateRequest request{.name = str(body, "Name"),
                                .labels = stringMap(body, "Labels"),
                                .options = stringMap(body, "DriverOpts")};
    auto made = engine.volumes().create(request);
    // docker answers a create of an existing local volume with that volume.
    if (!made && made.error().code() == Errc::AlreadyExists) made = check(engine.volumes().inspect(request.name)).summary.volume;
    res.json(201, volumeJson(check(std::move(made))));
}

void prune(Engine& engine, Request& req, Response& res) {
    Filters f = Filters::parse(req.query.get("filters"));
    f.checkKeys({"all"});
    // Before API 1.42 prune took every unused volume; since, only anonymous ones unless all.
    const bool all = f.boolean("all").value_or(!req.apiAtLeast("1.42"));
    auto r = check(engine.volumes().prune(all));
    res.json(200, {{"VolumesDeleted", r.removed}, {"SpaceReclaimed", r.reclaimedBytes}});
}

} // namespace

void addVolumeRoutes(Router& r, Engine& engine) {
    auto& volumes = engine.volumes();
    r.add("GET", "/volumes", [&engine](Request& req, Response& res) { list(engine, req, res); });
    r.add("POST", "/volumes/create", [&engine](Request& req, Response& res) { create(engine, req, res); });
    r.add("POST", "/volumes/prune", [&engine](Request& req, Response& res) { prune(engine, req, res); });
    r.add("GET", "/volumes/{name}", [&volumes](Request& req, Response& res) {
        res.json(200, json::parse(check(volumes.inspect(req.param("name"))).json));
    });
    r.add("DELETE", "/volumes/{name}", [&volumes](Request& req, Response& res) {
        check(volumes.remove(req.param("name"), req.query.boolean("force")));
        res.noContent();
    });
}

} // namespace berth::dockerapi
