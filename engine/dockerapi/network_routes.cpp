// Networks: list (filters name, id, driver, label, type), inspect, create, connect,
// disconnect (a stopped container too: it joins at its next start), DELETE, prune, each
// through berth::Networks. Bridges only, as Berth makes them.
#include "api_error.h"
#include "json_fields.h"
#include "routes.h"

#include "berth/engine.h"

#include <nlohmann/json.hpp>

namespace berth::dockerapi {

namespace {

using nlohmann::json;

bool keep(const Filters& f, const NetworkInfo& n) {
    if (!f.matchesPattern("name", n.name)) return false;
    if (f.has("id")) {
        bool any = false;
        for (const std::string& id : f.values("id")) any = any || (!id.empty() && n.id.starts_with(id));
        if (!any) return false;
    }
    if (!f.matches("driver", n.driver)) return false;
    if (!f.matchesLabels("label", n.labels)) return false;
    if (!f.matches("type", n.builtin ? "builtin" : "custom")) return false;
    if (auto dangling = f.boolean("dangling"); dangling && *dangling != (!n.builtin && n.members.empty())) return false;
    return true;
}

void list(Engine& engine, Request& req, Response& res) {
    Filters f = Filters::parse(req.query.get("filters"));
    f.checkKeys({"dangling", "driver", "id", "label", "name", "scope", "type"});
    for (const std::string& t : f.values("type"))
        if (t != "builtin" && t != "custom") badRequest("invalid filter: 'type'='" + t + "'");
    json out = json::array();
    for (const NetworkInfo& n : check(engine.networks().list())) {
        if (!keep(f, n) || !f.matches("scope", "local")) continue;
        auto d = engine.networks().inspect(n.id);
        if (d) out.push_back(json::parse(d->json));
    }
    res.json(200, out);
}

void create(Engine& engine, Request& req, Response& res) {
    const json body = req.jsonBody();
    CreateNetworkOptions o;
    o.name = str(body, "Name");
    if (o.name.empty()) badRequest("network name (Name) must be given");
    o.driver = str(body, "Driver", "bridge");
    if (o.driver.empty()) o.driver = "bridge";
    o.internal = flag(body, "Internal");
    o.labels = stringMap(body, "Labels");
    if (flag(body, "EnableIPv6")) badRequest("IPv6 networks are not supported");
    const json& ipam = object(body, "IPAM");
    if (const json* config = field(ipam, "Config")) {
        if (!config->is_array()) badRequest("invalid JSON: field \"Config\" must be a list");
        if (config->size() > 1) badRequest("one IPAM configuration (one IPv4 subnet) per network");
        for (const json& c : *config) {
            o.subnet = str(c, "Subnet");
            o.gateway = str(c, "Gateway");
        }
    }
    auto made = check(engine.networks().create(o));
    res.json(201, {{"Id", made.id}, {"Warning", ""}});
}

void connect(Engine& engine, Request& req, Response& res) {
    const json body = req.jsonBody();
    const std::string container = str(body, "Container");
    if (container.empty()) badRequest("container (Container) must be given");
    const json& endpoint = object(body, "EndpointConfig");
    ConnectOptions o;
    o.aliases = strings(endpoint, "Aliases");
    o.ipAddress = str(object(endpoint, "IPAMConfig"), "IPv4Address");
    check(engine.networks().connect(req.param("id"), container, o));
    res.text(200, "");
}

void disconnect(Engine& engine, Request& req, Response& res) {
    const json body = req.jsonBody();
    const std::string container = str(body, "Container");
    if (container.empty()) badRequest("container (Container) must be given");
    check(engine.networks().disconnect(req.param("id"), container, flag(body, "Force")));
    res.text(200, "");
}

} // namespace

void addNetworkRoutes(Router& r, Engine& engine) {
    auto& networks = engine.networks();
    r.add("GET", "/networks", [&engine](Request& req, Response& res) { list(engine, req, res); });
    r.add("POST", "/networks/create", [&engine](Request& req, Response& res) { create(engine, req, res); });
    r.add("POST", "/networks/prune", [&networks](Request& req, Response& res) {
        Filters::parse(req.query.get("filters")).checkKeys({});
        res.json(200, {{"NetworksDeleted", check(networks.prune()).removed}});
    });
    r.add("GET", "/networks/{id}", [&networks](Request& req, Response& res) {
        res.json(200, json::parse(check(networks.inspect(req.param("id"))).json));
    });
    r.add("DELETE", "/networks/{id}", [&networks](Request& req, Response& res) {
        check(networks.remove(req.param("id")));
        res.noContent();
    });
    r.add("POST", "/networks/{id}/connect", [&engine](Request& req, Response& res) { connect(engine, req, res); });
    r.add("POST", "/networks/{id}/disconnect", [&engine](Request& req, Response& res) { disconnect(engine, req, res); });
}

} // namespace berth::dockerapi
