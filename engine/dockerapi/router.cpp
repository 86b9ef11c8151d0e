// Route matching with docker's version prefixes (see router.h).
#include "router.h"

#include <charconv>

namespace berth::dockerapi {

namespace {

std::vector<std::string> split(std::string_view path) {
    std::vector<std::string> out;
    size_t i = 0;
    while (i < path.size()) {
        if (path[i] == '/') {
            ++i;
            continue;
        }
        size_t end = path.find('/', i);
        if (end == std::string_view::npos) end = path.size();
        out.emplace_back(path.substr(i, end - i));
        i = end;
    }
    return out;
}

bool isParam(const std::string& s) { return s.size() > 2 && s.front() == '{' && s.back() == '}'; }
bool isGreedy(const std::string& s) { return isParam(s) && s[s.size() - 2] == '*'; }
std::string paramName(const std::string& s) { return s.substr(1, s.size() - (isGreedy(s) ? 3 : 2)); }

std::string join(const std::vector<std::string>& parts, size_t from, size_t to) {
    std::string out;
    for (size_t i = from; i < to; ++i) {
        if (i > from) out += '/';
        out += parts[i];
    }
    return out;
}

// Segments of `path` against a pattern with at most one greedy part.
bool matchSegments(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
                   std::map<std::string, std::string>& params) {
    size_t greedy = pattern.size();
    for (size_t i = 0; i < pattern.size(); ++i)
        if (isGreedy(pattern[i])) greedy = i;
    if (greedy == pattern.size() ? path.size() != pattern.size() : path.size() < pattern.size()) return false;
    size_t extra = path.size() - pattern.size();  // segments the greedy part takes beyond one
    for (size_t i = 0; i < pattern.size(); ++i) {
        size_t at = i <= greedy ? i : i + extra;
        const std::string& p = pattern[i];
        if (i == greedy) params[paramName(p)] = join(path, i, i + extra + 1);
        else if (isParam(p)) params[paramName(p)] = path[at];
        else if (p != path[at]) return false;
    }
    return true;
}

bool isVersion(std::string_view v) {
    if (v.empty()) return false;
    for (char c : v)
        if (c != '.' && (c < '0' || c > '9')) return false;
    return true;
}

} // namespace

int compareVersions(std::string_view a, std::string_view b) {
    while (!a.empty() || !b.empty()) {
        auto take = [](std::string_view& s) {
            size_t dot = s.find('.');
            std::string_view part = s.substr(0, dot);
            s = dot == std::string_view::npos ? std::string_view{} : s.substr(dot + 1);
            long n = 0;
            std::from_chars(part.data(), part.data() + part.size(), n);
            return n;
        };
        long x = take(a), y = take(b);
        if (x != y) return x < y ? -1 : 1;
    }
    return 0;
}

void Router::add(std::string method, std::string_view pattern, Handler handler, RouteOptions options) {
    m_routes.push_back(Route{std::move(method), split(pattern), std::move(handler), options});
}

RouteMatch Router::match(std::string_view method, std::string_view target) const {
    RouteMatch m;
    std::vector<std::string> raw = split(target);
    std::vector<std::string> segs;
    segs.reserve(raw.size());
    for (const std::string& s : raw) {
        auto d = percentDecode(s, false);
        if (!d) {
            m.status = 400;
            m.message = "invalid escape in the request path";
            return m;
        }
        segs.push_back(std::move(*d));
    }
    m.apiVersion = std::string(kApiVersion);
    if (!segs.empty() && segs[0].size() > 1 && segs[0][0] == 'v' && isVersion(std::string_view(segs[0]).substr(1))) {
        std::string v = segs[0].substr(1);
        segs.erase(segs.begin());
        if (compareVersions(v, kMinApiVersion) < 0) {
            m.status = 400;
            m.message = "client version " + v + " is too old. Minimum supported API version is " +
                        std::string(kMinApiVersion) + ", please upgrade your client to a newer version";
            return m;
        }
        if (compareVersions(v, kApiVersion) > 0) {
            m.status = 400;
            m.message = "client version " + v + " is too new. Maximum supported API version is " + std::string(kApiVersion);
            return m;
        }
        m.apiVersion = v;
    }
    m.path = "/" + join(segs, 0, segs.size());
    for (const Route& r : m_routes) {
        if (r.method != method) continue;
        std::map<std::string, std::string> params;
        if (!matchSegments(r.segments, segs, params)) continue;
        m.route = &r;
        m.params = std::move(params);
        return m;
    }
    m.status = 404;
    m.message = "page not found";
    return m;
}

} // namespace berth::dockerapi
