// GET /events: the store's journal as docker's event stream, through
// System::followEvents: the past events from `since`, then new ones as they happen, until
// `until` or until the client goes away. docker's filters: container, event, image, label
// (container events carry the container's labels, compose's included), type, volume,
// network; scope=local matches everything, keys for things Berth has none of (daemon,
// plugin, node, service, secret, config) match nothing.
#include "api_error.h"
#include "json_lines.h"
#include "routes.h"

#include "berth/engine.h"

namespace berth::dockerapi {

namespace {

EventFilter eventFilter(const Request& req, bool& matchesNothing) {
    Filters f = Filters::parse(req.query.get("filters"));
    f.checkKeys({"config", "container", "daemon", "event", "image", "label", "network", "node", "plugin", "scope",
                 "secret", "service", "type", "volume"});
    EventFilter out;
    out.sinceNano = unixTimeNano(req.query.get("since"), "since");
    out.untilNano = unixTimeNano(req.query.get("until"), "until");
    matchesNothing = false;
    for (const std::string& key : f.keys()) {
        const auto& values = f.values(key);
        if (key == "scope") {
            matchesNothing = matchesNothing || !values.contains("local");
        } else if (key == "config" || key == "daemon" || key == "node" || key == "plugin" || key == "secret" ||
                   key == "service") {
            matchesNothing = true;
        } else {
            out.filters[key] = std::vector<std::string>(values.begin(), values.end());
        }
    }
    return out;
}

void events(Engine& engine, Request& req, Response& res) {
    bool matchesNothing = false;
    const EventFilter filter = eventFilter(req, matchesNothing);
    JsonLines out(res);
    out.start();  // the header first: a client waits for it before it reads events
    auto followed = engine.system().followEvents(
        filter, [&out, matchesNothing](const Event& e) { return matchesNothing || out.sendText(dockerEventJson(e)); },
        req.stop);
    // The journal could not be read: docker's error line ends the stream.
    if (!followed && followed.error().code() != Errc::Cancelled) out.fail(followed.error());
}

} // namespace

void addEventRoutes(Router& router, Engine& engine) {
    router.add("GET", "/events", [&engine](Request& req, Response& res) { events(engine, req, res); });
}

} // namespace berth::dockerapi
