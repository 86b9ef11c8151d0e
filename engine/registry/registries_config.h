#pragma once
// Per-registry settings beyond the defaults: which registries may be reached over plain
// HTTP or unverified TLS, and pull mirrors. One JSON file, the first found of:
//   $BERTH_REGISTRIES_CONFIG, <store root>/registries.json,
//   $XDG_CONFIG_HOME/berth/registries.json (~/.config/berth/registries.json),
//   /etc/berth/registries.json
//   {
//     "insecure-registries": ["myreg:5000"],
//     "mirrors": {"docker.io": ["mirror.local:5000"]}
//   }
// Loopback registries (localhost, 127.0.0.0/8, ::1) may use plain HTTP without being
// listed, like Docker; when they speak TLS their certificate is still verified (Docker skips
// that check for them; Berth only for listed registries or --tls-verify=false).
// Mirrors are tried in order before the registry itself; one that fails is skipped.
// A malformed file is an error naming the file and the line.

#include "sys/engine_settings.h"
#include "sys/error.h"

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace berth::registry {

struct RegistriesConfig {
    std::vector<std::string> insecure;
    std::map<std::string, std::vector<std::string>> mirrors;
    std::filesystem::path source;  // the file read; empty for the defaults

    // The files looked at, in order: config.registriesConfig (BERTH_REGISTRIES_CONFIG),
    // <store>/registries.json, <config home>/berth/registries.json, /etc/berth/registries.json.
    static std::vector<std::filesystem::path> searchPath(const std::filesystem::path& storeRoot,
                                                         const ConfigSettings& config);
    // The first file of searchPath() that exists; an absent file gives the defaults, a
    // malformed one an error naming it (and a missing config.registriesConfig one too).
    static Result<RegistriesConfig> load(const std::filesystem::path& storeRoot, const ConfigSettings& config);
    static Result<RegistriesConfig> parse(std::string_view json, std::string_view origin);

    // Listed in insecure-registries: plain HTTP and unverified TLS allowed.
    bool isInsecure(std::string_view host) const;
    // Plain HTTP allowed: listed, or a loopback host.
    bool allowsPlainHttp(std::string_view host) const;
};

// localhost, 127.0.0.0/8 and ::1, with or without a port.
bool isLoopbackHost(std::string_view hostPort);

} // namespace berth::registry
