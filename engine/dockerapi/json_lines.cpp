// docker's JSON message streams (see json_lines.h).
#include "json_lines.h"

#include "api_error.h"

#include "berth/text.h"

namespace berth::dockerapi {

void JsonLines::start() {
    std::lock_guard lock(m_mutex);
    if (!m_sink) m_sink = &m_res.stream(200, "application/json");
}

bool JsonLines::send(const nlohmann::json& line) {
    return sendText(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

bool JsonLines::sendText(std::string_view line) {
    std::lock_guard lock(m_mutex);
    if (m_gone) return false;
    if (!m_sink) m_sink = &m_res.stream(200, "application/json");
    std::string text(line);
    text += "\r\n";  // dockerd's stream formatter ends each message so
    if (!m_sink->write(text)) m_gone = true;
    return !m_gone;
}

bool JsonLines::started() const {
    std::lock_guard lock(m_mutex);
    return m_sink != nullptr;
}

void JsonLines::fail(const Error& e) {
    if (!started()) raise(e);
    fail(e.message());
}

void JsonLines::fail(const std::string& message, int code) {
    if (!started()) throw ApiError(500, message);
    nlohmann::json detail{{"message", message}};
    if (code != 0) detail["code"] = code;
    send({{"errorDetail", detail}, {"error", message}});
}

nlohmann::json statusLine(const std::string& status, const std::string& id) {
    nlohmann::json j{{"status", status}};
    if (!id.empty()) {
        j["progressDetail"] = nlohmann::json::object();
        j["id"] = id;
    }
    return j;
}

nlohmann::json progressLine(const std::string& status, const std::string& id, uint64_t current, uint64_t total) {
    nlohmann::json detail{{"current", current}};
    if (total) detail["total"] = total;
    return {{"status", status}, {"progressDetail", detail}, {"progress", progressBar(current, total)}, {"id", id}};
}

} // namespace berth::dockerapi
