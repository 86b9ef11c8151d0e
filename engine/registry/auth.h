#pragma once
// Registry authentication: parsing WWW-Authenticate challenges, and the credentials Docker
// keeps in ~/.docker/config.json ("auths" with base64 user:password, or a credential helper
// `docker-credential-<name>` named by "credHelpers"/"credsStore"). Berth reads and writes
// the same file so `docker login` and `berth login` share credentials.

#include "berth/images.h"
#include "sys/engine_settings.h"
#include "sys/error.h"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace berth::registry {

struct Challenge {
    std::string scheme;                         // "bearer", "basic" (lower case)
    std::map<std::string, std::string> params;  // realm, service, scope, error...
};

// Parses a WWW-Authenticate value: `Bearer realm="https://a/token",service="reg",scope="x"`.
// Several challenges separated by commas are returned in order.
std::vector<Challenge> parseChallenges(std::string_view header);

using Credentials = berth::RegistryCredentials;

std::string base64Encode(std::string_view in);
Result<std::string> base64Decode(std::string_view in);

// The key Docker uses for a registry host in config.json: docker.io is
// "https://index.docker.io/v1/", others the bare host[:port].
std::string configKeyForHost(std::string_view host);
// The credentials of `host` in a map keyed as docker keys them (config.json's "auths",
// X-Registry-Config): the host's own key, or a URL naming that host
// ("https://index.docker.io/v1/" for docker.io). Nullopt when none matches.
std::optional<Credentials> credentialsForHost(const std::map<std::string, Credentials>& byKey, std::string_view host);

class DockerConfig {
public:
    // config.json in config.dockerConfig: $DOCKER_CONFIG, else $HOME/.docker (EngineSettings).
    static std::filesystem::path defaultPath(const ConfigSettings& config);
    explicit DockerConfig(std::filesystem::path path) : m_path(std::move(path)) {}

    // Credentials for a registry host, or nullopt when none are configured. A configured
    // credential helper that fails is an error (naming the helper), not "no credentials".
    Result<std::optional<Credentials>> lookup(std::string_view host) const;
    // Stores credentials (through the helper when one is configured for the host), keeping
    // every other key of the file; the file is replaced atomically, mode 0600.
    VoidResult store(std::string_view host, const Credentials& creds) const;
    // Removes the host's credentials; NotFound when there were none.
    VoidResult erase(std::string_view host) const;

    const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

// Runs `docker-credential-<helper> <verb>` with `input` on stdin and returns its stdout.
Result<std::string> runCredentialHelper(const std::string& helper, const std::string& verb,
                                        const std::string& input);

} // namespace berth::registry
