#include "registry/registries_config.h"

#include "sys/fs.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdlib>

namespace berth::registry {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// 1-based line of the first `"needle"` at or after `from` (JSON keeps no positions, so
// semantic errors point at where the key or value is written).
size_t lineOf(std::string_view text, const std::string& quoted, size_t from = 0) {
    size_t pos = text.find(quoted, from);
    if (pos == std::string_view::npos) pos = from;
    pos = std::min(pos, text.size());
    return size_t(std::count(text.begin(), text.begin() + long(pos), '\n')) + 1;
}

std::string quoted(const std::string& s) { return json(s).dump(); }

// "host[:port]": no scheme, no path, no spaces.
bool validHost(const std::string& h) {
    if (h.empty() || h.size() > 255) return false;
    for (char c : h)
        if (!(std::isalnum((unsigned char)c) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']' ||
              c == '_'))
            return false;
    return true;
}

} // namespace

Result<RegistriesConfig> RegistriesConfig::parse(std::string_view text, std::string_view origin) {
    json j;
    try {
        j = json::parse(text);
    } catch (const json::parse_error& e) {
        std::string what = e.what();
        auto at = what.find("at line ");
        return fail(Errc::InvalidArgument,
                    fmt::format("{}: invalid JSON {}", origin,
                                at == std::string::npos ? what : what.substr(at)));
    }
    auto bad = [&](size_t line, std::string msg) {
        return fail(Errc::InvalidArgument, fmt::format("{}: line {}: {}", origin, line, msg));
    };
    if (!j.is_object()) return bad(1, "the file must hold a JSON object");
    RegistriesConfig cfg;
    for (auto& [key, value] : j.items()) {
        size_t keyLine = lineOf(text, quoted(key));
        size_t keyPos = text.find(quoted(key));
        if (key == "insecure-registries" || key == "insecure") {
            if (!value.is_array()) return bad(keyLine, fmt::format("\"{}\" must be a list of host[:port]", key));
            for (auto& h : value) {
                if (!h.is_string() || !validHost(h.get<std::string>()))
                    return bad(h.is_string() ? lineOf(text, h.dump(), keyPos) : keyLine,
                               fmt::format("\"{}\" entries must be host[:port] strings, not {}", key, h.dump()));
                cfg.insecure.push_back(h.get<std::string>());
            }
        } else if (key == "mirrors") {
            if (!value.is_object())
                return bad(keyLine, "\"mirrors\" must be an object: {\"registry\": [\"mirror:port\", …]}");
            for (auto& [reg, list] : value.items()) {
                size_t regLine = lineOf(text, quoted(reg), keyPos);
                if (!validHost(reg)) return bad(regLine, fmt::format("mirrors: {} is not a host[:port]", quoted(reg)));
                if (!list.is_array()) return bad(regLine, fmt::format("mirrors of {} must be a list", reg));
                for (auto& m : list) {
                    if (!m.is_string() || !validHost(m.get<std::string>()))
                        return bad(m.is_string() ? lineOf(text, m.dump(), keyPos) : regLine,
                                   fmt::format("mirrors of {}: {} is not a host[:port] string", reg, m.dump()));
                    cfg.mirrors[reg].push_back(m.get<std::string>());
                }
            }
        } else {
            // A typo must not silently drop a setting.
            return bad(keyLine, fmt::format("unknown key {} (known: \"insecure-registries\", \"mirrors\")",
                                            quoted(key)));
        }
    }
    return cfg;
}

std::vector<fs::path> RegistriesConfig::searchPath(const fs::path& storeRoot, const ConfigSettings& config) {
    std::vector<fs::path> out;
    if (!config.registriesConfig.empty()) out.push_back(config.registriesConfig);
    if (!storeRoot.empty()) out.push_back(storeRoot / "registries.json");
    if (!config.configHome.empty()) out.push_back(config.configHome / "berth" / "registries.json");
    out.emplace_back("/etc/berth/registries.json");
    return out;
}

Result<RegistriesConfig> RegistriesConfig::load(const fs::path& storeRoot, const ConfigSettings& config) {
    if (const auto& given = config.registriesConfig; !given.empty() && !sys::exists(given))
        return fail(Errc::NotFound, fmt::format("BERTH_REGISTRIES_CONFIG names {}, which does not exist", given.string()));
    for (auto& path : searchPath(storeRoot, config)) {
        if (!sys::exists(path)) continue;
        auto text = BERTH_TRY(sys::readFile(path, size_t(1) << 20));
        auto cfg = BERTH_TRY(parse(text, path.string()));
        cfg.source = path;
        return cfg;
    }
    return RegistriesConfig{};
}

bool isLoopbackHost(std::string_view hp) {
    std::string_view host = hp;
    if (host.starts_with('[')) {
        auto end = host.find(']');
        host = host.substr(1, end == std::string_view::npos ? end : end - 1);
    } else if (auto colon = host.rfind(':'); colon != std::string_view::npos &&
                                            host.find(':') == colon) {
        host = host.substr(0, colon);
    }
    return host == "localhost" || host == "::1" || host.starts_with("127.");
}

bool RegistriesConfig::isInsecure(std::string_view host) const {
    for (auto& h : insecure)
        if (h == host) return true;
    return false;
}

bool RegistriesConfig::allowsPlainHttp(std::string_view host) const {
    return isLoopbackHost(host) || isInsecure(host);
}

} // namespace berth::registry
