// Query strings, booleans and filters as dockerd reads them (see query.h).
#include "query.h"

#include "api_error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>
#include <regex>

namespace berth::dockerapi {

namespace {

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

std::string trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return std::string(s);
}

bool truthy(const std::string& value) {
    std::string v = lower(trim(value));
    return !(v.empty() || v == "0" || v == "no" || v == "false" || v == "none");
}

} // namespace

std::optional<std::string> percentDecode(std::string_view in, bool plusIsSpace) {
    std::string out;
    out.reserve(in.size());
    for (size_t i = 0; i < in.size(); ++i) {
        char c = in[i];
        if (c == '%') {
            if (i + 2 >= in.size()) return std::nullopt;
            int hi = hexValue(in[i + 1]);
            int lo = hexValue(in[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out.push_back(char(hi * 16 + lo));
            i += 2;
        } else if (c == '+' && plusIsSpace) {
            out.push_back(' ');
        } else {
            out.push_back(c);
        }
    }
    return out;
}

std::optional<Query> Query::parse(std::string_view text) {
    Query q;
    while (!text.empty()) {
        size_t amp = text.find('&');
        std::string_view pair = text.substr(0, amp);
        text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
        if (pair.empty()) continue;
        size_t eq = pair.find('=');
        auto key = percentDecode(pair.substr(0, eq), true);
        auto value = percentDecode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1), true);
        if (!key || !value) return std::nullopt;
        q.m_values.emplace(std::move(*key), std::move(*value));
    }
    return q;
}

std::string Query::get(const std::string& key, const std::string& fallback) const {
    auto it = m_values.find(key);
    return it == m_values.end() ? fallback : it->second;
}

std::vector<std::string> Query::all(const std::string& key) const {
    std::vector<std::string> out;
    auto [b, e] = m_values.equal_range(key);
    for (auto it = b; it != e; ++it) out.push_back(it->second);
    return out;
}

bool Query::boolean(const std::string& key, bool fallback) const {
    auto it = m_values.find(key);
    return it == m_values.end() ? fallback : truthy(it->second);
}

int64_t Query::integer(const std::string& key, int64_t fallback) const {
    std::string v = trim(get(key));
    if (v.empty()) return fallback;
    int64_t out = 0;
    auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
    if (ec != std::errc{} || ptr != v.data() + v.size())
        badRequest("invalid value for " + key + ": \"" + v + "\" is not a whole number");
    return out;
}

int64_t unixTimeNano(const std::string& text, const char* what) {
    std::string t = trim(text);
    if (t.empty()) return 0;
    size_t dot = t.find('.');
    std::string whole = t.substr(0, dot);
    std::string frac = dot == std::string::npos ? "" : t.substr(dot + 1);
    auto digits = [](const std::string& s) { return s.find_first_not_of("0123456789") == std::string::npos; };
    if (whole.empty() || whole.size() > 12 || !digits(whole) || !digits(frac))
        badRequest(std::string("invalid value for ") + what + ": \"" + text + "\"");
    // Whole seconds and the fraction apart: a double has no room for nanoseconds. An int64 of
    // nanoseconds ends in 2262; later times mean "never" and stay there.
    int64_t seconds = std::stoll(whole);
    if (seconds > std::numeric_limits<int64_t>::max() / 1000000000 - 1) return std::numeric_limits<int64_t>::max();
    int64_t nanos = std::stoll((frac + "000000000").substr(0, 9));
    return seconds * 1000000000 + nanos;
}

Filters Filters::parse(std::string_view text) {
    Filters f;
    if (text.empty()) return f;
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) badRequest("invalid filter");
    for (auto& [key, value] : j.items()) {
        auto& set = f.m_fields[key];
        if (value.is_object()) {
            // {"k":{"v":true}}: the values are the keys (dockerd keeps them whatever the bool).
            for (auto& [v, flag] : value.items()) {
                if (!flag.is_boolean()) badRequest("invalid filter");
                set.insert(v);
            }
        } else if (value.is_array()) {
            // The older {"k":["v"]}.
            for (auto& v : value) {
                if (!v.is_string()) badRequest("invalid filter");
                set.insert(v.get<std::string>());
            }
        } else {
            badRequest("invalid filter");
        }
    }
    return f;
}

const std::set<std::string>& Filters::values(const std::string& key) const {
    static const std::set<std::string> none;
    auto it = m_fields.find(key);
    return it == m_fields.end() ? none : it->second;
}

std::vector<std::string> Filters::keys() const {
    std::vector<std::string> out;
    for (auto& [k, v] : m_fields) out.push_back(k);
    return out;
}

void Filters::checkKeys(std::initializer_list<std::string_view> accepted) const {
    for (auto& [k, v] : m_fields)
        if (std::find(accepted.begin(), accepted.end(), k) == accepted.end()) badRequest("invalid filter '" + k + "'");
}

bool Filters::matches(const std::string& key, const std::string& candidate) const {
    auto it = m_fields.find(key);
    return it == m_fields.end() || it->second.empty() || it->second.contains(candidate);
}

bool Filters::matchesPattern(const std::string& key, const std::string& text) const {
    if (!has(key)) return true;
    for (const std::string& pattern : values(key)) {
        try {
            if (std::regex_search(text, std::regex(pattern))) return true;
        } catch (const std::regex_error&) {
            if (text.find(pattern) != std::string::npos) return true;
        }
    }
    return false;
}

bool Filters::matchesLabels(const std::string& key, const std::map<std::string, std::string>& labels) const {
    for (const std::string& want : values(key)) {
        size_t eq = want.find('=');
        auto it = labels.find(want.substr(0, eq));
        if (it == labels.end()) return false;
        if (eq != std::string::npos && it->second != want.substr(eq + 1)) return false;
    }
    return true;
}

std::optional<bool> Filters::boolean(const std::string& key) const {
    const auto& vals = values(key);
    if (vals.empty()) return std::nullopt;
    bool result = false;
    for (const std::string& v : vals) {
        std::string l = lower(v);
        if (l == "true" || l == "1") result = true;
        else if (l != "false" && l != "0") badRequest("invalid filter '" + key + "=" + v + "'");
    }
    return result;
}

} // namespace berth::dockerapi
