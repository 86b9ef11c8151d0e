// The parts of an exchange that do not touch the connection (see exchange.h).
#include "exchange.h"

#include "api_error.h"
#include "router.h"

#include <nlohmann/json.hpp>

#include <strings.h>

namespace berth::dockerapi {

std::string Request::header(std::string_view name) const {
    for (const Header& h : headers)
        if (h.name.size() == name.size() && ::strncasecmp(h.name.data(), name.data(), name.size()) == 0) return h.value;
    return {};
}

nlohmann::json Request::jsonBody() const {
    if (body.find_first_not_of(" \t\r\n") == std::string::npos) return nlohmann::json::object();
    try {
        auto j = nlohmann::json::parse(body);
        if (!j.is_object()) badRequest("invalid JSON: the request body must be a JSON object");
        return j;
    } catch (const nlohmann::json::parse_error& e) {
        // nlohmann's text names the byte and what was expected there.
        std::string what = e.what();
        if (auto colon = what.find("parse error"); colon != std::string::npos) what = what.substr(colon);
        badRequest("invalid JSON: " + what);
    }
}

bool Request::apiAtLeast(std::string_view v) const { return compareVersions(apiVersion, v) >= 0; }

const std::string& Request::param(const std::string& name) const {
    static const std::string none;
    auto it = params.find(name);
    return it == params.end() ? none : it->second;
}

void Response::json(int status, const nlohmann::json& body, const std::vector<Header>& extra) {
    // Docker's encoder ends every JSON body with a newline.
    send(status, "application/json", body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n", extra);
}

void Response::noContent(int status) { send(status, {}, {}); }

void Response::text(int status, std::string_view body) { send(status, "text/plain; charset=utf-8", body); }

ApiError apiError(const Error& e) {
    std::string m = e.message();
    switch (e.code()) {
    case Errc::InvalidArgument: return {400, m};
    case Errc::NotFound: return {404, m};
    case Errc::AlreadyExists:
    case Errc::Conflict: return {409, m};
    case Errc::NotModified: return {304, m};
    case Errc::PermissionDenied: return {403, m};
    case Errc::Auth: return {401, m};
    case Errc::Unavailable:
    case Errc::Unsupported: return {e.code() == Errc::Unsupported ? 400 : 503, m};
    // docker run turns these words into its exit codes 127 and 126.
    case Errc::CommandNotFound:
        return {400, m.find("executable file not found") == std::string::npos ? m + ": executable file not found in $PATH" : m};
    case Errc::NotExecutable:
        return {400, m.find("permission denied") == std::string::npos ? m + ": permission denied" : m};
    case Errc::Cancelled: return {499, m};
    default: return {500, m};
    }
}

std::string frameHeader(uint8_t stream, uint32_t length) {
    std::string h(8, '\0');
    h[0] = char(stream);
    h[4] = char((length >> 24) & 0xff);
    h[5] = char((length >> 16) & 0xff);
    h[6] = char((length >> 8) & 0xff);
    h[7] = char(length & 0xff);
    return h;
}

std::string frame(uint8_t stream, std::string_view payload) {
    std::string out = frameHeader(stream, uint32_t(payload.size()));
    out.append(payload);
    return out;
}

} // namespace berth::dockerapi
