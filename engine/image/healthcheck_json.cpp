#include "image/healthcheck_json.h"

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
