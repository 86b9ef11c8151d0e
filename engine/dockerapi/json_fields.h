#pragma once
// Reading docker's request bodies: fields may be missing or null (docker's clients send
// "Binds": null, "Entrypoint": null), a string list may come as one string (Go's
// strslice), and a field of the wrong type is the client's mistake: an ApiError (400)
// naming the field, never a crash.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace berth::dockerapi {

// The field, or nullptr when missing or null. `j` itself may be null (an absent object).
const nlohmann::json* field(const nlohmann::json& j, const char* key);
// An object field (absent or null: an empty object); 400 when it is another type.
const nlohmann::json& object(const nlohmann::json& j, const char* key);
std::string str(const nlohmann::json& j, const char* key, const std::string& fallback = {});
bool flag(const nlohmann::json& j, const char* key, bool fallback = false);
int64_t number(const nlohmann::json& j, const char* key, int64_t fallback = 0);
// An array of strings or one string; absent or null: empty.
std::vector<std::string> strings(const nlohmann::json& j, const char* key);
// {"k":"v"} with string values; absent or null: empty.
std::map<std::string, std::string> stringMap(const nlohmann::json& j, const char* key);

} // namespace berth::dockerapi
