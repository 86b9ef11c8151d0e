#pragma once
// Query strings and docker's filter and boolean conventions, as the Docker Engine API
// reads them: percent-decoding, repeated parameters, booleans written 1/true/True/0/false/
// False (anything but "", 0, no, false, none is true, as dockerd reads them), and filters
// in both encodings ({"k":{"v":true}} and the older {"k":["v"]}).

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace berth::dockerapi {

// "%2F" -> "/"; with `plusIsSpace` (query strings) "+" -> " ". Nullopt for a malformed
// escape ("%zz", a cut "%2"), which dockerd answers with 400.
std::optional<std::string> percentDecode(std::string_view in, bool plusIsSpace);

class Query {
public:
    Query() = default;
    // Parses "a=1&b=x%20y&a=2". Nullopt when an escape is malformed.
    static std::optional<Query> parse(std::string_view text);

    bool has(const std::string& key) const { return m_values.contains(key); }
    // The first value of `key`, or `fallback`.
    std::string get(const std::string& key, const std::string& fallback = {}) const;
    std::vector<std::string> all(const std::string& key) const;
    // dockerd's reading: missing -> fallback; "", "0", "no", "false", "none" (any case) ->
    // false; anything else -> true.
    bool boolean(const std::string& key, bool fallback = false) const;
    // Missing or empty -> fallback; otherwise a whole number or an ApiError (400).
    int64_t integer(const std::string& key, int64_t fallback) const;

private:
    std::multimap<std::string, std::string> m_values;
};

// docker's since/until: unix seconds with an optional fraction ("1700000000.5") as unix
// nanoseconds; "" is 0 (unset); anything else an ApiError (400) naming `what`.
int64_t unixTimeNano(const std::string& text, const char* what);

// docker's filters: key -> set of values.
class Filters {
public:
    // Parses the JSON text of a `filters` parameter in either encoding; an ApiError (400,
    // "invalid filter") when it is neither.
    static Filters parse(std::string_view json);

    bool empty() const { return m_fields.empty(); }
    bool has(const std::string& key) const { return m_fields.contains(key); }
    const std::set<std::string>& values(const std::string& key) const;
    std::vector<std::string> keys() const;
    void add(const std::string& key, const std::string& value) { m_fields[key].insert(value); }
    // An ApiError (400, "invalid filter 'k'") for the first key not in `accepted`.
    void checkKeys(std::initializer_list<std::string_view> accepted) const;
    // True when no value is given for `key` or `candidate` is one of them.
    bool matches(const std::string& key, const std::string& candidate) const;
    // True when no value is given for `key` or one of them, as a regular expression, is
    // found in `text` (a plain substring when it is not a valid expression): docker's name
    // filters.
    bool matchesPattern(const std::string& key, const std::string& text) const;
    // Label filters: every "k" or "k=v" value given for `key` holds in `labels`.
    bool matchesLabels(const std::string& key, const std::map<std::string, std::string>& labels) const;
    // A true/false filter ("dangling"): nullopt when absent, an ApiError when not a boolean.
    std::optional<bool> boolean(const std::string& key) const;

private:
    std::map<std::string, std::set<std::string>> m_fields;
};

} // namespace berth::dockerapi
