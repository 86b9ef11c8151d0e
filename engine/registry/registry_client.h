#pragma once
// RegistryClient: one registry host spoken to over the OCI distribution API. It finds the
// scheme (HTTPS; plain HTTP only for insecure registries, loopback by default: see ping()
// for the order), verifies TLS against the system CAs plus the registry's certs.d entry
// (tls_trust.h) unless told not to, answers
// auth challenges (anonymous or credentialed bearer tokens cached per scope until they
// expire, or Basic), retries 5xx/429/connection failures with exponential backoff (honouring
// Retry-After), and turns registry error documents into clear messages.

#include "image/digest.h"
#include "registry/auth.h"
#include "registry/http.h"
#include "registry/tls_trust.h"

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

namespace berth::registry {

struct ClientOptions {
    // false: --tls-verify=false for this call: TLS unverified and plain HTTP allowed.
    bool tlsVerify = true;
    // Listed in insecure-registries: plain HTTP and unverified TLS allowed.
    bool insecure = false;
    // Plain HTTP allowed but TLS, when spoken, still verified (loopback registries).
    bool plainHttp = false;
    // certs.d directory to use instead of the default ones (tls_trust.h).
    std::filesystem::path certDir;
    // Explicit credentials (berth login); otherwise looked up in Docker's config.json.
    std::optional<Credentials> credentials;
    bool useDockerConfig = true;
    std::filesystem::path dockerConfig;  // empty: DockerConfig::defaultPath(config)
    // The engine's settings for the defaults: certs.d directories, docker's config.json.
    ConfigSettings config;
    int maxRetries = 5;
    std::chrono::milliseconds retryBase{250};
};

// Scopes of a token: "repository:library/busybox:pull".
using Scopes = std::vector<std::string>;
std::string pullScope(const std::string& repo);
std::string pushScope(const std::string& repo);

// Sleeps unless stop is requested first; false when stopped.
bool sleepFor(std::chrono::milliseconds d, std::stop_token stop);
// Retry-After (seconds, or an HTTP date) in ms; nullopt when absent/unparseable.
std::optional<std::chrono::milliseconds> parseRetryAfter(const std::string& value);
// A message from a registry error document ({"errors":[{"code","message"}]}) or the status.
std::string registryErrorMessage(const HttpResponse& response);

class RegistryClient {
public:
    // `host` as in a reference: "docker.io", "127.0.0.1:5000".
    RegistryClient(std::string host, ClientOptions options);

    const std::string& host() const { return m_host; }
    // Finds the scheme and checks the registry answers /v2/; remembers the auth challenge.
    VoidResult ping(std::stop_token stop = {});
    // "https://registry-1.docker.io/v2/" (after ping).
    const std::string& baseUrl() const { return m_base; }
    bool tlsVerify() const { return m_options.tlsVerify && !m_options.insecure; }
    // The CA bundle requests to this registry verify against (null: the default store).
    std::shared_ptr<const std::string> caBundle() const { return m_trust.caBundle; }
    // Sets a request's TLS verification, CA bundle and client certificate for this registry.
    void applyTls(HttpRequest& request) const;

    // Sends a request with authorization for `scopes`, answering a 401 once with a fresh
    // token, and retrying transient failures. Returns any final HTTP status.
    Result<HttpResponse> send(HttpRequest request, const Scopes& scopes, std::stop_token stop,
                              bool retry = true);

    // The Authorization value to use for `scopes` right now (cached token, Basic, or empty).
    Result<std::string> authorization(const Scopes& scopes, std::stop_token stop);
    // Handles a 401: drops the cached token for `scopes` and fetches a new one using the
    // challenge in `response` (falls back to the ping's challenge).
    VoidResult reauthenticate(const HttpResponse& response, const Scopes& scopes,
                              std::stop_token stop);
    // Checks the credentials: Auth error with the registry's words when refused.
    VoidResult login(std::stop_token stop = {});

    struct FetchedManifest {
        std::string bytes;
        std::string contentType;
        image::Digest digest;  // sha256 of bytes
    };
    // GET a manifest by tag or digest; when `reference` is a digest the bytes are verified.
    Result<FetchedManifest> getManifest(const std::string& repo, const std::string& reference,
                                        std::stop_token stop);
    // A small blob (config), verified and capped.
    Result<std::string> getBlob(const std::string& repo, const image::Digest& digest,
                                size_t maxBytes, std::stop_token stop);
    // HEAD: the blob's size when the registry has it.
    Result<std::optional<uint64_t>> blobSize(const std::string& repo, const image::Digest& digest,
                                             std::stop_token stop);
    // Cross-repository mount; false when the registry started an upload instead (that
    // upload is cancelled).
    Result<bool> mountBlob(const std::string& repo, const image::Digest& digest,
                           const std::string& fromRepo, std::stop_token stop);
    // Uploads [0,size) of fd as the blob `digest`: one PUT when small, PATCH chunks when big.
    VoidResult uploadBlob(const std::string& repo, const image::Digest& digest, int fd,
                          uint64_t size, const std::function<void(uint64_t)>& progress,
                          std::stop_token stop, uint64_t chunkSize = uint64_t(32) << 20);
    Result<image::Digest> putManifest(const std::string& repo, const std::string& reference,
                                      const std::string& bytes, const std::string& mediaType,
                                      std::stop_token stop);

    std::string apiHost() const;

private:
    Result<std::optional<Credentials>> credentials();
    Result<std::string> fetchToken(const Challenge& challenge, const Scopes& scopes,
                                   std::stop_token stop);
    Result<HttpResponse> sendOnce(HttpRequest& request, const Scopes& scopes,
                                  std::stop_token stop);
    std::string uploadUrl(const std::string& location) const;

    struct Token {
        std::string value;
        std::chrono::steady_clock::time_point expires;
    };

    std::string m_host;
    ClientOptions m_options;
    std::string m_base;
    std::optional<Challenge> m_challenge;  // from the ping
    TlsTrust m_trust;                      // loaded by the ping
    bool m_credsLoaded = false;
    std::optional<Credentials> m_creds;
    std::recursive_mutex m_mutex;
    HttpClient m_http;
    std::map<std::string, Token> m_tokens;  // by joined scopes
};

} // namespace berth::registry
