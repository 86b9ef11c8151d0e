#pragma once
// Routes: method + path pattern -> handler, under every API version prefix (/v1.24/ to
// /v1.44/) and without one. Patterns name their parts: "/containers/{id}/json"; a part
// written {name*} takes one or more segments ("/images/{name*}/json" matches
// "/images/localhost:5000/a/b:1/json", image names have slashes).

#include "berth/version.h"
#include "exchange.h"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace berth::dockerapi {

inline constexpr std::string_view kApiVersion = kDockerApiVersion;  // berth/version.h
inline constexpr std::string_view kMinApiVersion = kMinDockerApiVersion;

// Compares dotted versions numerically ("1.9" < "1.10"): <0, 0, >0.
int compareVersions(std::string_view a, std::string_view b);

using Handler = std::function<void(Request&, Response&)>;

struct RouteOptions {
    // The handler reads the body itself through Request::bodySource (uploads of any size);
    // otherwise the body is read whole first, up to the JSON limit (413 above it).
    bool streamsBody = false;
};

struct Route {
    std::string method;
    std::vector<std::string> segments;
    Handler handler;
    RouteOptions options;
};

struct RouteMatch {
    const Route* route = nullptr;
    std::map<std::string, std::string> params;
    std::string path;        // decoded, without the version prefix
    std::string apiVersion;
    int status = 0;          // set when there is no route: 400 (version) or 404
    std::string message;
};

class Router {
public:
    void add(std::string method, std::string_view pattern, Handler handler, RouteOptions options = {});
    // `target` is the request target without the query ("/v1.41/containers/json").
    RouteMatch match(std::string_view method, std::string_view target) const;

private:
    std::vector<Route> m_routes;
};

} // namespace berth::dockerapi
