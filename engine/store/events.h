#pragma once
// The events journal: an append-only JSON-lines file of what happened in the store
// (container created/started/died/oom/removed, image pulled/loaded/tagged/deleted...).
// The GUI follows it with inotify; `berth events` prints it. Each line is one object:
// {"time":<unix ns>,"type":"container","action":"die","id":"…","name":"…","attributes":{…}}

#include "berth/system.h"
#include "store/layout.h"
#include "sys/error.h"

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace berth::store {

using berth::Event;

std::string eventToJson(const Event& e);
Result<Event> eventFromJson(std::string_view line);

// Appends one event as a single write(2) with O_APPEND, so concurrent writers never
// interleave within a line.
VoidResult appendEvent(const StoreLayout& layout, Event e);
// Reads every well-formed event (a torn last line after a crash is skipped).
Result<std::vector<Event>> readEvents(const StoreLayout& layout);

} // namespace berth::store
