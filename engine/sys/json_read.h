#pragma once
// Reading fields of JSON that came from outside the store: registries' manifests, errors and
// tokens, image configs, image archives, credential helpers. nlohmann's `json::value(key, x)`
// throws a type_error when the field has another type than x (or the document is not an
// object), and an uncaught exception is a crash: here a field of the wrong type reads as
// absent, and so does any field of something that is not an object.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace berth::sys {

// The field `key` of `j`, or nullptr when j is not an object or has no such field.
inline const nlohmann::json* jsonField(const nlohmann::json& j, std::string_view key) {
    if (!j.is_object()) return nullptr;
    auto it = j.find(key);
    return it == j.end() ? nullptr : &*it;
}

inline std::string jsonString(const nlohmann::json& j, std::string_view key, std::string fallback = {}) {
    const auto* f = jsonField(j, key);
    return f && f->is_string() ? f->get<std::string>() : fallback;
}

inline bool jsonBool(const nlohmann::json& j, std::string_view key, bool fallback = false) {
    const auto* f = jsonField(j, key);
    return f && f->is_boolean() ? f->get<bool>() : fallback;
}

inline int64_t jsonInt(const nlohmann::json& j, std::string_view key, int64_t fallback = 0) {
    const auto* f = jsonField(j, key);
    return f && f->is_number_integer() ? f->get<int64_t>() : fallback;
}

// The field when it is an object, else an empty object (so lookups in it read as absent).
inline const nlohmann::json& jsonObject(const nlohmann::json& j, std::string_view key) {
    static const nlohmann::json empty = nlohmann::json::object();
    const auto* f = jsonField(j, key);
    return f && f->is_object() ? *f : empty;
}

} // namespace berth::sys
