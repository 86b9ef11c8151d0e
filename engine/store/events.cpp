#include "store/events.h"

#include "sys/fs.h"

#include <fcntl.h>

#include <chrono>
#include <nlohmann/json.hpp>

namespace berth::store {

std::string eventToJson(const Event& e) {
    nlohmann::json j{{"time", e.timeNano}, {"type", e.type}, {"action", e.action},
                     {"id", e.id},         {"name", e.name}, {"attributes", e.attributes}};
    return j.dump();
}

Result<Event> eventFromJson(std::string_view line) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return fail(Errc::Corrupt, "malformed event line");
    Event e;
    e.timeNano = j.value("time", int64_t(0));
    e.type = j.value("type", "");
    e.action = j.value("action", "");
    e.id = j.value("id", "");
    e.name = j.value("name", "");
    if (auto it = j.find("attributes"); it != j.end() && it->is_object())
        for (auto& [k, v] : it->items())
            if (v.is_string()) e.attributes[k] = v.get<std::string>();
    return e;
}

VoidResult appendEvent(const StoreLayout& layout, Event e) {
    if (e.timeNano == 0)
        e.timeNano = std::chrono::duration_cast<std::chrono::nanoseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    std::string line = eventToJson(e);
    line += '\n';
    auto fd = BERTH_TRY(sys::openFile(layout.eventsFile(), O_WRONLY | O_CREAT | O_APPEND, 0644));
    BERTH_TRYV_CTX(sys::writeAll(fd.borrow(), line), "append event");
    return {};
}

Result<std::vector<Event>> readEvents(const StoreLayout& layout) {
    std::vector<Event> out;
    if (!sys::exists(layout.eventsFile())) return out;
    auto text = BERTH_TRY(sys::readFile(layout.eventsFile(), size_t(1) << 30));
    size_t pos = 0;
    while (pos < text.size()) {
        size_t nl = text.find('\n', pos);
        if (nl == std::string::npos) break;  // torn last line
        if (auto e = eventFromJson(std::string_view(text).substr(pos, nl - pos)))
            out.push_back(std::move(*e));
        pos = nl + 1;
    }
    return out;
}

} // namespace berth::store
