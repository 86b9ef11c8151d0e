#include "registry/registries_config.h"

#include "sys/fs.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace berth::registry {

using nlohmann::json;

Result<RegistriesConfig> RegistriesConfig::parse(std::string_view text, std::string_view origin) {
    auto j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return fail(Errc::InvalidArgument, fmt::format("{}: not a JSON object", origin));
    RegistriesConfig cfg;
    for (auto key : {"insecure-registries", "insecure"}) {
        if (!j.contains(key)) continue;
        if (!j[key].is_array())
            return fail(Errc::InvalidArgument, fmt::format("{}: \"{}\" must be a list", origin, key));
        for (auto& h : j[key]) {
            if (!h.is_string())
                return fail(Errc::InvalidArgument, fmt::format("{}: \"{}\" entries must be strings", origin, key));
            cfg.insecure.push_back(h.get<std::string>());
        }
    }
    if (j.contains("mirrors")) {
        if (!j["mirrors"].is_object())
            return fail(Errc::InvalidArgument, fmt::format("{}: \"mirrors\" must be an object", origin));
        for (auto& [reg, list] : j["mirrors"].items()) {
            if (!list.is_array())
                return fail(Errc::InvalidArgument, fmt::format("{}: mirrors of {} must be a list", origin, reg));
            for (auto& m : list)
                if (m.is_string()) cfg.mirrors[reg].push_back(m.get<std::string>());
        }
    }
    return cfg;
}

Result<RegistriesConfig> RegistriesConfig::load(const std::filesystem::path& storeRoot) {
    for (auto path : {storeRoot / "registries.json", std::filesystem::path("/etc/berth/registries.json")}) {
        if (path.empty() || !sys::exists(path)) continue;
        auto text = BERTH_TRY(sys::readFile(path, size_t(1) << 20));
        return parse(text, path.string());
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
    if (isLoopbackHost(host)) return true;
    for (auto& h : insecure)
        if (h == host) return true;
    return false;
}

} // namespace berth::registry
