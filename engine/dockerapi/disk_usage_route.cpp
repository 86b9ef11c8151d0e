// GET /system/df: docker's disk usage lists (docker system df [-v] sums them itself): the
// images with the containers using each and the bytes they share with other images, the
// containers with their writable layer, the volumes with their size and users.
#include "api_error.h"
#include "routes.h"
#include "summaries.h"

#include "berth/engine.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace berth::dockerapi {

namespace {

using nlohmann::json;

// A layer is shared when another image stacks the same layers under it: its key is the
// chain of diff ids up to it, as the store shares layer directories.
std::vector<std::pair<std::string, uint64_t>> layerChain(const ImageDetails& d) {
    std::vector<std::pair<std::string, uint64_t>> out;
    std::string chain;
    for (const ImageLayer& l : d.layers) {
        chain += l.diffId + "/";
        out.emplace_back(chain, l.size);
    }
    return out;
}

json imagesJson(Engine& engine, const std::vector<ContainerSummary>& containers) {
    std::vector<std::pair<ImageDetails, std::vector<std::pair<std::string, uint64_t>>>> images;
    std::map<std::string, int> users;  // chain -> images stacking it
    for (const ImageSummary& s : check(engine.images().list(true))) {
        auto d = engine.images().inspect(s.id);
        if (!d) continue;  // removed meanwhile
        auto chain = layerChain(*d);
        for (auto& [key, size] : chain) ++users[key];
        images.emplace_back(std::move(*d), std::move(chain));
    }
    json out = json::array();
    for (auto& [d, chain] : images) {
        uint64_t shared = 0;
        for (auto& [key, size] : chain)
            if (users[key] > 1) shared += size;
        json row = imageSummaryJson(d.summary, d.config.labels);
        row["SharedSize"] = shared;
        row["Containers"] = std::count_if(containers.begin(), containers.end(),
                                          [&d](const ContainerSummary& c) { return c.imageId == d.summary.id; });
        out.push_back(row);
    }
    return out;
}

json containersJson(Engine& engine, const std::vector<ContainerSummary>& containers) {
    auto usage = check(engine.containers().diskUsage());
    std::map<std::string, uint64_t> imageSizes;
    for (const ImageSummary& s : check(engine.images().list(true))) imageSizes[s.id] = s.size;
    json out = json::array();
    for (const ContainerSummary& c : containers) {
        json row = containerSummaryJson(c);
        const uint64_t rw = usage.sizes.contains(c.id) ? usage.sizes.at(c.id) : 0;
        row["SizeRw"] = rw;
        row["SizeRootFs"] = rw + (imageSizes.contains(c.imageId) ? imageSizes.at(c.imageId) : 0);
        out.push_back(row);
    }
    return out;
}

json volumesJson(Engine& engine) {
    json out = json::array();
    for (const VolumeSummary& v : check(engine.volumes().list())) {
        json row = volumeJson(v.volume);
        auto size = engine.volumes().size(v.volume.name);
        row["UsageData"] = {{"Size", size ? int64_t(*size) : -1}, {"RefCount", v.usedBy.size()}};
        out.push_back(row);
    }
    return out;
}

void diskUsage(Engine& engine, Request& req, Response& res) {
    // type= (API 1.42) asks for some of the lists only.
    const std::vector<std::string> types = req.query.all("type");
    for (const std::string& t : types)
        if (t != "container" && t != "image" && t != "volume" && t != "build-cache") badRequest("unknown type: " + t);
    auto wanted = [&types](const char* t) { return types.empty() || std::find(types.begin(), types.end(), t) != types.end(); };
    const auto containers = check(engine.containers().list(true));
    json out = json::object();
    if (wanted("image")) {
        out["LayersSize"] = check(engine.images().diskUsage()).size;
        out["Images"] = imagesJson(engine, containers);
    }
    if (wanted("container")) out["Containers"] = containersJson(engine, containers);
    if (wanted("volume")) out["Volumes"] = volumesJson(engine);
    if (wanted("build-cache")) out["BuildCache"] = json::array();
    res.json(200, out);
}

} // namespace

void addDiskUsageRoute(Router& router, Engine& engine) {
    router.add("GET", "/system/df", [&engine](Request& req, Response& res) { diskUsage(engine, req, res); });
}

} // namespace berth::dockerapi
