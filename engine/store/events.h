#pragma once
// The events journal: an append-only JSON-lines file of what happened in the store
// (container created/started/died/oom/removed, image pulled/loaded/tagged/deleted...).
// The GUI follows it with inotify; `berth events` prints it. Each line is one object:
// {"time":<unix ns>,"type":"container","action":"die","id":"…","name":"…","attributes":{…}}

#include "store/layout.h"
#include "sys/error.h"

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace berth::store {

struct Event {
    int64_t timeNano = 0;  // filled by append() when 0
    std::string type;      // "container", "image", "volume", "network"
    std::string action;    // "create", "start", "die", "oom", "destroy", "load", "tag"...
    std::string id;
    std::string name;
    std::map<std::string, std::string> attributes;
};

std::string eventToJson(const Event& e);
Result<Event> eventFromJson(std::string_view line);

// Appends one event as a single write(2) with O_APPEND, so concurrent writers never
// interleave within a line.
VoidResult appendEvent(const StoreLayout& layout, Event e);
// Reads every well-formed event (a torn last line after a crash is skipped).
Result<std::vector<Event>> readEvents(const StoreLayout& layout);

} // namespace berth::store
