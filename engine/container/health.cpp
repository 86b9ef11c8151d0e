#include "container/health.h"

#include "berth/text.h"
#include "sys/json_read.h"

#include <fmt/format.h>

namespace berth::container {

std::optional<HealthConfig> effectiveHealthcheck(const std::optional<HealthConfig>& image,
                                                 const std::optional<HealthConfig>& request) {
    std::optional<HealthConfig> h = request ? request : image;
    if (request && image) {
        if (h->test.empty()) h->test = image->test;
        auto inherit = [](int64_t& field, int64_t base) { field = field ? field : base; };
        inherit(h->intervalNs, image->intervalNs);
        inherit(h->timeoutNs, image->timeoutNs);
        inherit(h->startPeriodNs, image->startPeriodNs);
        inherit(h->startIntervalNs, image->startIntervalNs);
        if (h->retries == 0) h->retries = image->retries;
    }
    if (!h || h->disabled()) return std::nullopt;
    return h;
}

int64_t healthIntervalNs(const HealthConfig& h) { return h.intervalNs ? h.intervalNs : kDefaultHealthIntervalNs; }
int64_t healthTimeoutNs(const HealthConfig& h) { return h.timeoutNs ? h.timeoutNs : kDefaultHealthTimeoutNs; }
int64_t healthStartIntervalNs(const HealthConfig& h) {
    return h.startIntervalNs ? h.startIntervalNs : kDefaultHealthStartIntervalNs;
}
int healthRetries(const HealthConfig& h) { return h.retries ? h.retries : kDefaultHealthRetries; }

std::vector<std::string> healthCommand(const HealthConfig& h) {
    if (h.test.size() >= 2 && h.test[0] == "CMD-SHELL") return {"/bin/sh", "-c", h.test[1]};
    if (h.test.size() >= 2 && h.test[0] == "CMD") return {h.test.begin() + 1, h.test.end()};
    return {};
}

void healthStarting(HealthState& s) {
    s.status = "starting";
    s.failingStreak = 0;
}

std::string goDuration(int64_t ns) {
    if (ns <= 0) return "0s";
    if (ns < 1'000'000'000) {
        if (ns % 1'000'000 == 0) return fmt::format("{}ms", ns / 1'000'000);
        return fmt::format("{}ms", double(ns) / 1e6);
    }
    int64_t h = ns / 3'600'000'000'000, m = ns / 60'000'000'000 % 60;
    double sec = double(ns % 60'000'000'000) / 1e9;
    if (h > 0) return fmt::format("{}h{}m{}s", h, m, sec);
    if (m > 0) return fmt::format("{}m{}s", m, sec);
    return fmt::format("{}s", sec);
}

bool applyHealthResult(HealthState& state, HealthResult result, const HealthConfig& config, int64_t startedNano) {
    std::string before = state.status;
    if (result.exitCode == 0) {
        state.failingStreak = 0;
        state.status = "healthy";
    } else {
        // Failures while starting up, within the start period, do not count.
        bool counts = state.status != "starting" || result.startNano - startedNano >= config.startPeriodNs;
        if (counts && ++state.failingStreak >= healthRetries(config)) state.status = "unhealthy";
    }
    state.log.push_back(std::move(result));
    if (state.log.size() > kHealthLogEntries) state.log.erase(state.log.begin(), state.log.end() - kHealthLogEntries);
    return state.status != before;
}

nlohmann::json healthStateJson(const HealthState& s) {
    nlohmann::json log = nlohmann::json::array();
    for (auto& r : s.log)
        log.push_back({{"Start", formatTimeNano(r.startNano)},
                       {"End", formatTimeNano(r.endNano)},
                       {"ExitCode", r.exitCode},
                       {"Output", r.output}});
    return {{"Status", s.status}, {"FailingStreak", s.failingStreak}, {"Log", log}};
}

HealthState healthStateFromJson(const nlohmann::json& j) {
    HealthState s;
    if (!j.is_object()) return s;
    std::string status = sys::jsonString(j, "Status");
    if (status == "healthy" || status == "unhealthy") s.status = status;
    if (auto it = j.find("FailingStreak"); it != j.end() && it->is_number_integer()) s.failingStreak = it->get<int>();
    if (auto it = j.find("Log"); it != j.end() && it->is_array())
        for (auto& e : *it) {
            if (!e.is_object()) continue;
            HealthResult r;
            r.startNano = parseTimeNano(sys::jsonString(e, "Start"));
            r.endNano = parseTimeNano(sys::jsonString(e, "End"));
            if (auto c = e.find("ExitCode"); c != e.end() && c->is_number_integer()) r.exitCode = c->get<int>();
            r.output = sys::jsonString(e, "Output");
            s.log.push_back(std::move(r));
        }
    return s;
}

std::string healthSuffix(const HealthState& s) {
    return s.status == "starting" ? " (health: starting)" : " (" + s.status + ")";
}

} // namespace berth::container
