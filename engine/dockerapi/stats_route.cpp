// GET /containers/{id}/stats: the engine's samples (berth::Containers::stats) in docker's
// JSON. The CPU figure is not computed here: docker's clients compute it from cpu_stats and
// precpu_stats (the same formula as berth::cpuPercent), so each frame carries the raw
// counters of two samples a second apart. stream=true (the default) sends a frame every
// second until the client goes away or the container is removed; stream=false sends one,
// after a second so that precpu_stats is filled (docker does the same), unless one-shot
// is set (then precpu_stats is empty). A container that is not running gives zeros.
// "networks" has one "eth0" entry: the engine's sums over the container's interfaces
// (bytes, packets, errors, drops of its netns' /proc/net/dev, lo left out).
#include "api_error.h"
#include "routes.h"

#include "berth/engine.h"
#include "berth/text.h"

#include <nlohmann/json.hpp>

#include <sys/sysinfo.h>

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace berth::dockerapi {

namespace {

using nlohmann::json;

uint64_t hostMemoryBytes() {
    struct sysinfo si {};
    if (::sysinfo(&si) != 0) return 0;
    return uint64_t(si.totalram) * si.mem_unit;
}

json cpuJson(const ContainerStats* s) {
    if (!s) return {{"cpu_usage", {{"total_usage", 0}}}, {"throttling_data", json::object()}};
    return {{"cpu_usage", {{"total_usage", s->cpuUsageNs}}},
            {"system_cpu_usage", s->systemUsageNs},
            {"online_cpus", s->onlineCpus},
            {"throttling_data", {{"periods", 0}, {"throttled_periods", 0}, {"throttled_time", 0}}}};
}

// docker's StatsResponse for one sample (`previous` may be null: precpu_stats empty).
json statsJson(const ContainerStats& s, const ContainerStats* previous, bool running) {
    const char* zeroTime = "0001-01-01T00:00:00Z";
    json blkio = json::array();
    if (running) {
        blkio.push_back({{"major", 0}, {"minor", 0}, {"op", "read"}, {"value", s.blkioRead}});
        blkio.push_back({{"major", 0}, {"minor", 0}, {"op", "write"}, {"value", s.blkioWrite}});
    }
    json out{{"id", s.id},
             {"name", "/" + s.name},
             {"read", running ? formatTimeNano(s.timeNano) : zeroTime},
             {"preread", previous && running ? formatTimeNano(previous->timeNano) : zeroTime},
             {"num_procs", 0},
             {"pids_stats", running ? json{{"current", s.pids}} : json::object()},
             {"blkio_stats", {{"io_service_bytes_recursive", blkio}}},
             {"storage_stats", json::object()},
             {"cpu_stats", cpuJson(running ? &s : nullptr)},
             {"precpu_stats", cpuJson(running ? previous : nullptr)},
             {"memory_stats", json::object()}};
    if (running) {
        // An unlimited container's limit is the host's memory, as docker reports it.
        out["memory_stats"] = {{"usage", s.memoryUsage},
                               {"limit", s.memoryLimit ? s.memoryLimit : hostMemoryBytes()},
                               {"stats", json::object()}};
        out["networks"] = {{"eth0",
                            {{"rx_bytes", s.netRx},
                             {"rx_packets", s.netRxPackets},
                             {"rx_errors", s.netRxErrors},
                             {"rx_dropped", s.netRxDropped},
                             {"tx_bytes", s.netTx},
                             {"tx_packets", s.netTxPackets},
                             {"tx_errors", s.netTxErrors},
                             {"tx_dropped", s.netTxDropped}}}};
    }
    return out;
}

// Waits a second; false when the client went away meanwhile.
bool pause(std::stop_token stop) {
    std::mutex m;
    std::condition_variable_any cv;
    std::unique_lock lock(m);
    cv.wait_for(lock, stop, std::chrono::seconds(1), [] { return false; });
    return !stop.stop_requested();
}

ContainerStats sample(Containers& c, const std::string& id) {
    auto samples = check(c.stats({id}));
    if (samples.empty()) notFound("No such container: " + id);
    return samples.front();
}

bool isRunning(Containers& c, const std::string& id) {
    const ContainerStatus st = check(c.inspect(id)).summary.state;
    return st == ContainerStatus::Running || st == ContainerStatus::Paused;
}

void stats(Engine& engine, Request& req, Response& res) {
    Containers& c = engine.containers();
    const std::string id = check(c.inspect(req.param("id"))).summary.id;
    const bool stream = !req.query.has("stream") || req.query.boolean("stream");
    const bool oneShot = !stream && req.query.boolean("one-shot");
    ContainerStats previous = sample(c, id);
    if (!stream) {
        bool running = isRunning(c, id);
        if (!running || oneShot) return res.json(200, statsJson(previous, nullptr, running));
        if (!pause(req.stop)) return;
        ContainerStats now = sample(c, id);
        return res.json(200, statsJson(now, &previous, isRunning(c, id)));
    }
    ChunkSink& sink = res.stream(200, "application/json");
    while (pause(req.stop)) {
        auto samples = c.stats({id});
        if (!samples || samples->empty()) return;  // removed: the stream ends
        auto running = c.inspect(id);
        if (!running) return;
        const ContainerStatus st = running->summary.state;
        const bool up = st == ContainerStatus::Running || st == ContainerStatus::Paused;
        if (!sink.write(statsJson(samples->front(), &previous, up).dump() + "\n")) return;
        previous = samples->front();
    }
}

} // namespace

void addStatsRoute(Router& router, Engine& engine) {
    router.add("GET", "/containers/{id}/stats", [&engine](Request& req, Response& res) { stats(engine, req, res); });
}

} // namespace berth::dockerapi
