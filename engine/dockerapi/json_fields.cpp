// Typed, null-tolerant reads of request bodies (see json_fields.h).
#include "json_fields.h"

#include "api_error.h"

namespace berth::dockerapi {

namespace {

[[noreturn]] void wrongType(const char* key, const char* want) {
    badRequest(std::string("invalid JSON: field \"") + key + "\" must be " + want);
}

} // namespace

const nlohmann::json* field(const nlohmann::json& j, const char* key) {
    if (!j.is_object()) return nullptr;
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return nullptr;
    return &*it;
}

const nlohmann::json& object(const nlohmann::json& j, const char* key) {
    static const nlohmann::json empty = nlohmann::json::object();
    const nlohmann::json* f = field(j, key);
    if (!f) return empty;
    if (!f->is_object()) wrongType(key, "an object");
    return *f;
}

std::string str(const nlohmann::json& j, const char* key, const std::string& fallback) {
    const nlohmann::json* f = field(j, key);
    if (!f) return fallback;
    if (!f->is_string()) wrongType(key, "a string");
    return f->get<std::string>();
}

bool flag(const nlohmann::json& j, const char* key, bool fallback) {
    const nlohmann::json* f = field(j, key);
    if (!f) return fallback;
    if (!f->is_boolean()) wrongType(key, "true or false");
    return f->get<bool>();
}

int64_t number(const nlohmann::json& j, const char* key, int64_t fallback) {
    const nlohmann::json* f = field(j, key);
    if (!f) return fallback;
    if (f->is_number_integer()) return f->get<int64_t>();
    if (f->is_number_float()) {
        double d = f->get<double>();
        if (d == double(int64_t(d))) return int64_t(d);
    }
    wrongType(key, "a whole number");
}

std::vector<std::string> strings(const nlohmann::json& j, const char* key) {
    const nlohmann::json* f = field(j, key);
    if (!f) return {};
    if (f->is_string()) return {f->get<std::string>()};
    if (!f->is_array()) wrongType(key, "a list of strings");
    std::vector<std::string> out;
    for (auto& v : *f) {
        if (!v.is_string()) wrongType(key, "a list of strings");
        out.push_back(v.get<std::string>());
    }
    return out;
}

std::map<std::string, std::string> stringMap(const nlohmann::json& j, const char* key) {
    std::map<std::string, std::string> out;
    for (auto& [k, v] : object(j, key).items()) {
        if (!v.is_string()) wrongType(key, "an object of strings");
        out[k] = v.get<std::string>();
    }
    return out;
}

} // namespace berth::dockerapi
