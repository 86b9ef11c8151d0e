#include "image/healthcheck_json.h"

#include "berth/health_json.h"


#include <algorithm>

namespace berth::image {

using nlohmann::json;

json healthConfigJson(const HealthConfig& h) {
    json j{{"Test", h.test}};
    if (h.intervalNs) j["Interval"] = h.intervalNs;
    if (h.timeoutNs) j["Timeout"] = h.timeoutNs;
    if (h.startPeriodNs) j["StartPeriod"] = h.startPeriodNs;
    if (h.startIntervalNs) j["StartInterval"] = h.startIntervalNs;
    if (h.retries) j["Retries"] = h.retries;
    return j;
}

HealthConfig healthConfigFromJson(const json& j) {
    HealthConfig h;
    if (!j.is_object()) return h;
    if (auto it = j.find("Test"); it != j.end() && it->is_array())
        for (auto& v : *it)
            if (v.is_string()) h.test.push_back(v.get<std::string>());
    auto number = [&](const char* key) -> int64_t {
        auto it = j.find(key);
        return it != j.end() && it->is_number_integer() && it->get<int64_t>() > 0 ? it->get<int64_t>() : 0;
    };
    h.intervalNs = number("Interval");
    h.timeoutNs = number("Timeout");
    h.startPeriodNs = number("StartPeriod");
    h.startIntervalNs = number("StartInterval");
    h.retries = int(std::min<int64_t>(number("Retries"), 1'000'000));
    return h;
}

} // namespace berth::image

namespace berth {

Result<HealthConfig> healthConfigFromDockerJson(std::string_view text) {
    using nlohmann::json;
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return fail(Errc::InvalidArgument, "Healthcheck must be an object");
    auto bad = [](std::string message) { return fail(Errc::InvalidArgument, std::move(message)); };
    if (auto it = j.find("Test"); it != j.end() && !it->is_null()) {
        if (!it->is_array()) return bad("Healthcheck.Test must be a list of strings");
        for (auto& v : *it)
            if (!v.is_string()) return bad("Healthcheck.Test must be a list of strings");
        if (!it->empty()) {
            auto type = (*it)[0].get<std::string>();
            if (type != "NONE" && type != "CMD" && type != "CMD-SHELL")
                return bad("unknown healthcheck type \"" + type + "\" (NONE, CMD or CMD-SHELL)");
            if (type == "CMD-SHELL" && it->size() != 2)
                return bad("Healthcheck.Test: CMD-SHELL takes exactly one command string");
            if (type == "CMD" && it->size() < 2) return bad("Healthcheck.Test: CMD needs a command");
        }
    }
    // dockerd's rules (daemon validateHealthCheck): a duration that is set is at least 1ms.
    for (const char* key : {"Interval", "Timeout", "StartPeriod", "StartInterval"}) {
        auto it = j.find(key);
        if (it == j.end() || it->is_null()) continue;
        if (!it->is_number_integer()) return bad(std::string("Healthcheck.") + key + " must be an integer (nanoseconds)");
        int64_t ns = it->get<int64_t>();
        if (ns != 0 && ns < 1'000'000) return bad(std::string(key) + " in Healthcheck cannot be less than 1ms");
    }
    if (auto it = j.find("Retries"); it != j.end() && !it->is_null()) {
        if (!it->is_number_integer()) return bad("Healthcheck.Retries must be an integer");
        if (it->get<int64_t>() < 0) return bad("Retries in Healthcheck cannot be negative");
    }
    return image::healthConfigFromJson(j);
}

} // namespace berth
