// Images in the store: list (with docker's filters), inspect, history, tag, DELETE and
// prune, each through berth::Images. Pull, push, save and load are image_transfer_routes.cpp.
#include "api_error.h"
#include "routes.h"
#include "summaries.h"

#include "berth/engine.h"
#include "berth/text.h"

#include <nlohmann/json.hpp>

#include <fnmatch.h>

namespace berth::dockerapi {

namespace {

using nlohmann::json;

// docker's reference filter: a glob over a tag's familiar form ("busybox:1*") or over its
// repository alone ("busy*", "127.0.0.1:5000/me/*"). As docker does, an image lists only
// its tags that match, and is left out when none does.
std::vector<std::string> matchingTags(const std::set<std::string>& patterns, const std::vector<std::string>& repoTags) {
    std::vector<std::string> out;
    for (const std::string& tag : repoTags) {
        const std::string repository = tag.substr(0, tag.rfind(':'));
        for (const std::string& pattern : patterns)
            if (::fnmatch(pattern.c_str(), tag.c_str(), FNM_PATHNAME) == 0 ||
                ::fnmatch(pattern.c_str(), repository.c_str(), FNM_PATHNAME) == 0) {
                out.push_back(tag);
                break;
            }
    }
    return out;
}

int64_t createdOf(Engine& engine, const std::set<std::string>& refs) {
    int64_t out = 0;
    for (const std::string& ref : refs) out = unixSeconds(check(engine.images().resolve(ref)).created);
    return out;
}

void list(Engine& engine, Request& req, Response& res) {
    Filters f = Filters::parse(req.query.get("filters"));
    f.checkKeys({"before", "dangling", "label", "reference", "since"});
    // docker 1.24's `filter` parameter is a reference filter.
    if (req.query.has("filter")) f.add("reference", req.query.get("filter"));
    const std::optional<bool> dangling = f.boolean("dangling");
    const int64_t before = createdOf(engine, f.values("before"));
    const int64_t since = createdOf(engine, f.values("since"));
    json out = json::array();
    for (ImageSummary s : check(engine.images().list(req.query.boolean("all")))) {
        if (dangling && *dangling != s.repoTags.empty()) continue;
        if (f.has("reference")) {
            s.repoTags = matchingTags(f.values("reference"), s.repoTags);
            if (s.repoTags.empty()) continue;
        }
        const int64_t created = unixSeconds(s.created);
        if (before && created >= before) continue;
        if (since && created <= since) continue;
        auto details = engine.images().inspect(s.id);
        if (!details) continue;  // removed meanwhile
        if (!f.matchesLabels("label", details->config.labels)) continue;
        out.push_back(imageSummaryJson(s, details->config.labels));
    }
    res.json(200, out);
}

void history(Engine& engine, Request& req, Response& res) {
    const std::string& name = req.param("name");
    auto top = check(engine.images().resolve(name));
    json out = json::array();
    for (const ImageHistoryRow& h : check(engine.images().history(name))) {
        json tags = h.id == top.id ? json(top.repoTags) : json(nullptr);
        out.push_back({{"Id", h.id},
                       {"Created", unixSeconds(h.created)},
                       {"CreatedBy", h.createdBy},
                       {"Tags", tags},
                       {"Size", h.size},
                       {"Comment", h.comment}});
    }
    res.json(200, out);
}

json removeJson(const ImageRemoveReport& r) {
    json out = json::array();
    for (auto& u : r.untagged) out.push_back({{"Untagged", u}});
    for (auto& d : r.deleted) out.push_back({{"Deleted", d}});
    return out;
}

void prune(Engine& engine, Request& req, Response& res) {
    Filters f = Filters::parse(req.query.get("filters"));
    f.checkKeys({"dangling"});
    // dangling=false: every unused image (docker image prune -a).
    const bool all = !f.boolean("dangling").value_or(true);
    auto r = check(engine.images().prune(all));
    json deleted = removeJson(r.removed);
    res.json(200, {{"ImagesDeleted", deleted.empty() ? json(nullptr) : deleted}, {"SpaceReclaimed", r.reclaimedBytes}});
}

void tag(Engine& engine, Request& req, Response& res) {
    std::string repo = req.query.get("repo");
    if (repo.empty()) badRequest("repository name (repo) must be given");
    std::string target = repo;
    if (std::string t = req.query.get("tag"); !t.empty()) target += ":" + t;
    check(engine.images().tag(req.param("name"), target));
    res.send(201, {}, {});
}

} // namespace

void addImageRoutes(Router& r, Engine& engine) {
    auto& images = engine.images();
    r.add("GET", "/images/json", [&engine](Request& req, Response& res) { list(engine, req, res); });
    r.add("POST", "/images/prune", [&engine](Request& req, Response& res) { prune(engine, req, res); });
    r.add("GET", "/images/{name*}/json", [&images](Request& req, Response& res) {
        auto d = check(images.inspect(req.param("name")));
        res.json(200, json::parse(d.json));
    });
    r.add("GET", "/images/{name*}/history", [&engine](Request& req, Response& res) { history(engine, req, res); });
    r.add("POST", "/images/{name*}/tag", [&engine](Request& req, Response& res) { tag(engine, req, res); });
    r.add("DELETE", "/images/{name*}", [&images](Request& req, Response& res) {
        // noprune has nothing to keep: the store removes no parent images.
        res.json(200, removeJson(check(images.remove(req.param("name"), req.query.boolean("force")))));
    });
}

} // namespace berth::dockerapi
