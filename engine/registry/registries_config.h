#pragma once
// Per-registry settings beyond the defaults: which registries may be reached over plain
// HTTP or unverified TLS, and pull mirrors. Read from `<store root>/registries.json`, else
// `/etc/berth/registries.json`:
//   {"insecure-registries": ["myreg:5000"], "mirrors": {"docker.io": ["mirror.local:5000"]}}
// Loopback registries (localhost, 127.0.0.1, ::1) are insecure by default, like Docker.

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

    // From the store's file, else the system one; an absent file gives the defaults, a
    // malformed one an error naming it.
    static Result<RegistriesConfig> load(const std::filesystem::path& storeRoot);
    static Result<RegistriesConfig> parse(std::string_view json, std::string_view origin);

    bool isInsecure(std::string_view host) const;
};

// localhost, 127.0.0.0/8 and ::1, with or without a port.
bool isLoopbackHost(std::string_view hostPort);

} // namespace berth::registry
