// Containers: list (with docker's filters), create, inspect, the lifecycle verbs, rename,
// update, top, resize and DELETE, each one call of berth::Containers.
#include "api_error.h"
#include "container_create.h"
#include "json_fields.h"
#include "routes.h"
#include "sessions.h"
#include "summaries.h"

#include "berth/engine.h"
#include "berth/signals.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace berth::dockerapi {

namespace {

using nlohmann::json;

bool anyPrefix(const std::set<std::string>& values, const std::string& id) {
    for (auto& v : values)
        if (!v.empty() && id.starts_with(v)) return true;
    return false;
}

const ContainerSummary* findRow(const std::vector<ContainerSummary>& rows, const std::string& ref) {
    for (auto& r : rows)
        if (r.name == ref || (!ref.empty() && r.id.starts_with(ref))) return &r;
    return nullptr;
}

class ListFilter {
public:
    ListFilter(Engine& engine, const Filters& f, const std::vector<ContainerSummary>& all) : m_f(f) {
        f.checkKeys({"ancestor", "before", "exited", "health", "id", "label", "name", "network", "since", "status"});
        for (auto& s : f.values("status"))
            if (s != "created" && s != "restarting" && s != "running" && s != "removing" && s != "paused" &&
                s != "exited" && s != "dead")
                badRequest("invalid filter 'status=" + s + "'");
        for (auto& a : f.values("ancestor"))
            if (auto img = engine.images().resolve(a)) m_ancestors.insert(img->id);
        for (auto& e : f.values("exited")) {
            try {
                m_exited.insert(std::stoi(e));
            } catch (const std::exception&) {
                badRequest("invalid filter 'exited=" + e + "'");
            }
        }
        auto bound = [&](const char* key, int64_t& out) {
            for (auto& ref : f.values(key)) {
                const ContainerSummary* row = findRow(all, ref);
                if (!row) notFound("No such container: " + ref);
                out = row->created;
            }
        };
        bound("before", m_before);
        bound("since", m_since);
    }

    bool operator()(const ContainerSummary& c) const {
        if (m_f.has("id") && !anyPrefix(m_f.values("id"), c.id)) return false;
        if (!m_f.matchesPattern("name", "/" + c.name)) return false;  // docker matches "/name"
        if (!m_f.matchesLabels("label", c.labels)) return false;
        if (!m_f.matches("status", statusName(c.state))) return false;
        if (m_f.has("ancestor") && !m_ancestors.contains(c.imageId) && !m_f.values("ancestor").contains(c.image))
            return false;
        if (m_f.has("exited") && (c.state != ContainerStatus::Exited || !m_exited.contains(c.exitCode))) return false;
        if (m_f.has("health") && !m_f.matches("health", c.health.empty() ? "none" : c.health)) return false;
        if (m_f.has("network")) {
            bool on = false;
            for (auto& n : c.networks) on = on || m_f.values("network").contains(n);
            if (!on) return false;
        }
        if (m_before && c.created >= m_before) return false;
        if (m_since && c.created <= m_since) return false;
        return true;
    }

private:
    const Filters& m_f;
    std::set<std::string> m_ancestors;
    std::set<int> m_exited;
    int64_t m_before = 0, m_since = 0;
};

void list(Engine& engine, Request& req, Response& res) {
    Filters f = Filters::parse(req.query.get("filters"));
    int64_t limit = req.query.integer("limit", -1);
    // Filters on state need the stopped ones too, as docker does.
    bool all = req.query.boolean("all") || f.has("status") || f.has("exited") || limit > 0;
    auto rows = check(engine.containers().list(true));
    ListFilter keep(engine, f, rows);
    json out = json::array();
    for (auto& c : rows) {
        bool active = c.state == ContainerStatus::Running || c.state == ContainerStatus::Paused ||
                      c.state == ContainerStatus::Restarting;
        if (!all && !active) continue;
        if (!keep(c)) continue;
        if (limit > 0 && int64_t(out.size()) >= limit) break;
        out.push_back(containerSummaryJson(c));
    }
    res.json(200, out);
}

void create(Engine& engine, Sessions& sessions, Request& req, Response& res) {
    json body = req.jsonBody();
    RunRequest r = runRequestFromCreate(body, req.query.get("name"));
    auto size = r.tty ? consoleSize(object(body, "HostConfig")) : std::nullopt;
    auto made = check(engine.containers().create(r));
    // docker run -it's terminal size (API 1.42+): the pty starts at it when attached here.
    if (size) sessions.resizers.resize("container/" + made.id, size->first, size->second);
    res.json(201, {{"Id", made.id}, {"Warnings", made.warnings}});
}

void inspect(Engine& engine, Request& req, Response& res) {
    auto d = check(engine.containers().inspect(req.param("id")));
    res.json(200, json::parse(d.json));  // State.Health is the engine's
}

int seconds(const Request& req, int fallback) {
    int64_t t = req.query.integer("t", fallback);
    return t < 0 ? fallback : int(std::min<int64_t>(t, 86400));
}

void start(Engine& engine, Sessions& sessions, Request& req, Response& res) {
    auto d = check(engine.containers().inspect(req.param("id")));
    // docker run attached first: that attachment starts it and streams from its first byte.
    auto running = [&engine, id = d.summary.id] {
        auto now = engine.containers().inspect(id);
        auto s = now ? now->summary.state : ContainerStatus::Dead;
        return s == ContainerStatus::Running || s == ContainerStatus::Paused || s == ContainerStatus::Restarting;
    };
    if (auto viaAttach = sessions.starts.startThroughAttachment(d.summary.id, running)) {
        check(std::move(*viaAttach));
    } else {
        check(engine.containers().start(d.summary.id));
    }
    res.noContent();
}

// Where the engine says Conflict for a request that cannot be right in any state (a rename
// to the same name, a restart policy with AutoRemove, a memory limit above the swap
// limit), docker answers 400 (InvalidParameter); other errors keep their status.
template <class T>
T checkParameter(Result<T> r) {
    if (!r && r.error().code() == Errc::Conflict) badRequest(r.error().message());
    return check(std::move(r));
}

void rename(Engine& engine, Request& req, Response& res) {
    const std::string id = check(engine.containers().inspect(req.param("id"))).summary.id;
    checkParameter(engine.containers().rename(id, req.query.get("name")));
    res.noContent();
}

void update(Engine& engine, Request& req, Response& res) {
    ContainerUpdate change = containerUpdateFromJson(req.jsonBody());
    const std::string id = check(engine.containers().inspect(req.param("id"))).summary.id;
    checkParameter(engine.containers().update(id, change));
    res.json(200, {{"Warnings", json::array()}});
}

} // namespace

void addContainerRoutes(Router& r, Engine& engine, Sessions& sessions) {
    auto& c = engine.containers();
    r.add("GET", "/containers/json", [&engine](Request& req, Response& res) { list(engine, req, res); });
    r.add("POST", "/containers/create",
          [&engine, &sessions](Request& req, Response& res) { create(engine, sessions, req, res); });
    r.add("GET", "/containers/{id}/json", [&engine](Request& req, Response& res) { inspect(engine, req, res); });
    r.add("POST", "/containers/{id}/start",
          [&engine, &sessions](Request& req, Response& res) { start(engine, sessions, req, res); });
    r.add("POST", "/containers/{id}/stop", [&c](Request& req, Response& res) {
        check(c.stop(req.param("id"), seconds(req, -1)));
        res.noContent();
    });
    r.add("POST", "/containers/{id}/restart", [&c](Request& req, Response& res) {
        check(c.restart(req.param("id"), seconds(req, -1)));
        res.noContent();
    });
    r.add("POST", "/containers/{id}/kill", [&c](Request& req, Response& res) {
        int sig = check(parseSignal(req.query.get("signal", "KILL")));
        check(c.kill(req.param("id"), sig));
        res.noContent();
    });
    r.add("POST", "/containers/{id}/pause", [&c](Request& req, Response& res) {
        check(c.pause(req.param("id")));
        res.noContent();
    });
    r.add("POST", "/containers/{id}/unpause", [&c](Request& req, Response& res) {
        check(c.unpause(req.param("id")));
        res.noContent();
    });
    // Every stopped container (created, exited, dead), as docker's; its until and label
    // filters are not served (a 400, not a prune of more than was asked).
    r.add("POST", "/containers/prune", [&c](Request& req, Response& res) {
        Filters::parse(req.query.get("filters")).checkKeys({});
        auto pruned = check(c.prune());
        res.json(200, {{"ContainersDeleted", pruned.removedIds.empty() ? json(nullptr) : json(pruned.removedIds)},
                       {"SpaceReclaimed", pruned.reclaimedBytes}});
    });
    r.add("DELETE", "/containers/{id}", [&c](Request& req, Response& res) {
        check(c.remove(req.param("id"), req.query.boolean("force"), req.query.boolean("v")));
        res.noContent();
    });
    r.add("POST", "/containers/{id}/rename", [&engine](Request& req, Response& res) { rename(engine, req, res); });
    r.add("POST", "/containers/{id}/update", [&engine](Request& req, Response& res) { update(engine, req, res); });
    r.add("GET", "/containers/{id}/top", [&c](Request& req, Response& res) {
        auto top = check(c.top(req.param("id")));
        res.json(200, {{"Titles", top.titles}, {"Processes", top.processes}});
    });
    // A -t container's pty takes the size of a client attached through this service
    // (docker run -it / attach ask at the start and on every SIGWINCH).
    r.add("POST", "/containers/{id}/resize", [&c, &sessions](Request& req, Response& res) {
        auto d = check(c.inspect(req.param("id")));
        resizeStreams(sessions, "container/" + d.summary.id, req);
        res.text(200, "");
    });
}

} // namespace berth::dockerapi
