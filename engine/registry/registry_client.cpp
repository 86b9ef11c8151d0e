#include "registry/registry_client.h"
#include "sys/json_read.h"

#include "registry/manifest.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <condition_variable>
#include <ctime>
#include <thread>

namespace berth::registry {

using nlohmann::json;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string pullScope(const std::string& repo) { return "repository:" + repo + ":pull"; }
std::string pushScope(const std::string& repo) { return "repository:" + repo + ":pull,push"; }

bool sleepFor(std::chrono::milliseconds d, std::stop_token stop) {
    std::mutex m;
    std::condition_variable_any cv;
    std::unique_lock lock(m);
    cv.wait_for(lock, stop, d, [] { return false; });
    return !stop.stop_requested();
}

std::optional<std::chrono::milliseconds> parseRetryAfter(const std::string& value) {
    if (value.empty()) return std::nullopt;
    if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        long s = std::strtol(value.c_str(), nullptr, 10);
        return std::chrono::milliseconds(std::min(s, 3600L) * 1000);
    }
    tm t{};
    if (strptime(value.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &t)) {
        time_t when = timegm(&t);
        time_t now = time(nullptr);
        return std::chrono::milliseconds(std::max<long>(0, std::min<long>(when - now, 3600)) * 1000);
    }
    return std::nullopt;
}

std::string registryErrorMessage(const HttpResponse& r) {
    auto j = json::parse(r.body, nullptr, false);
    std::string msg;
    if (!j.is_discarded() && j.is_object() && j.contains("errors") && j["errors"].is_array()) {
        for (auto& e : j["errors"]) {
            if (!e.is_object()) continue;
            std::string code = sys::jsonString(e, "code");
            std::string text = sys::jsonString(e, "message");
            for (auto& c : code) c = char(std::tolower((unsigned char)c));
            std::replace(code.begin(), code.end(), '_', ' ');
            std::string one = code.empty() ? text : (text.empty() || text == code ? code : code + ": " + text);
            if (!one.empty()) msg += (msg.empty() ? "" : "; ") + one;
        }
    } else if (!j.is_discarded() && j.is_object() && j.contains("details") && j["details"].is_string()) {
        msg = j["details"].get<std::string>();
    }
    if (msg.empty()) {
        msg = fmt::format("HTTP status {}", r.status);
        if (r.status == 401) msg += " (unauthorized)";
        if (r.status == 403) msg += " (forbidden)";
        if (r.status == 404) msg += " (not found)";
    }
    return msg;
}

static Errc errcForStatus(long status) {
    switch (status) {
    case 401: return Errc::Auth;
    case 403: return Errc::PermissionDenied;
    case 404: return Errc::NotFound;
    case 400: return Errc::InvalidArgument;
    default: return Errc::Network;
    }
}

static std::string joinScopes(const Scopes& s) {
    std::string out;
    for (auto& x : s) out += x + " ";
    return out;
}

RegistryClient::RegistryClient(std::string host, ClientOptions options)
    : m_host(std::move(host)), m_options(std::move(options)) {
    if (m_options.credentials) {
        m_creds = m_options.credentials;
        m_credsLoaded = true;
    }
}

std::string RegistryClient::apiHost() const {
    if (m_host == "docker.io" || m_host == "index.docker.io") return "registry-1.docker.io";
    return m_host;
}

void RegistryClient::applyTls(HttpRequest& request) const {
    request.tlsVerify = tlsVerify();
    request.caBundle = m_trust.caBundle;
    request.clientCert = m_trust.clientCert;
    request.clientKey = m_trust.clientKey;
}

Result<std::optional<Credentials>> RegistryClient::credentials() {
    if (!m_credsLoaded) {
        m_credsLoaded = true;
        if (m_options.useDockerConfig) {
            DockerConfig cfg(m_options.dockerConfig.empty() ? DockerConfig::defaultPath(m_options.config)
                                                            : m_options.dockerConfig);
            m_creds = BERTH_TRY_CTX(cfg.lookup(m_host), "credentials for " + m_host);
        }
    }
    return m_creds;
}

VoidResult RegistryClient::ping(std::stop_token stop) {
    std::lock_guard lock(m_mutex);
    m_trust = BERTH_TRY_CTX(loadTlsTrust(m_host, m_options.certDir, m_options.config), "registry " + m_host);
    // Registries that may speak plain HTTP (loopback, insecure-registries) are tried over
    // HTTP first: a plain server that ignores a TLS hello would otherwise stall every pull
    // for the connect timeout, while a TLS server answers the HTTP probe at once with 400
    // and HTTPS is tried next. --tls-verify=false alone tries HTTPS first, then HTTP.
    std::vector<std::string> schemes{"https"};
    if (m_options.insecure || m_options.plainHttp)
        schemes = {"http", "https"};
    else if (!m_options.tlsVerify)
        schemes = {"https", "http"};
    std::optional<Error> lastError;
    for (auto& scheme : schemes) {
        HttpRequest req;
        req.url = fmt::format("{}://{}/v2/", scheme, apiHost());
        applyTls(req);
        req.followRedirects = false;  // http:// answered by a redirect to https:// is not plain HTTP
        req.connectTimeoutSec = 10;
        req.lowSpeedTimeSec = 20;
        Result<HttpResponse> r = fail(Errc::Network, "");
        // A connection refused now may be a registry still starting: retry a little.
        for (int attempt = 0; attempt < 3; ++attempt) {
            r = m_http.perform(req, stop);
            if (r || r.error().code() == Errc::Cancelled) break;
            // TLS failures (a plain-HTTP server, an untrusted certificate) are not transient.
            if (isTlsVerifyError(m_http.lastCode()) || m_http.lastCode() == CURLE_SSL_CONNECT_ERROR ||
                r.error().message().find("SSL") != std::string::npos ||
                r.error().message().find("TLS") != std::string::npos)
                break;
            if (!sleepFor(std::chrono::milliseconds(200 << attempt), stop)) break;
        }
        if (!r) {
            if (r.error().code() == Errc::Cancelled) return fail(r.error());
            if (scheme == "https" && m_trust.clientCert && m_http.lastCode() == CURLE_SSL_CERTPROBLEM)
                return fail(Errc::InvalidArgument,
                            fmt::format("client certificate {} for registry {} cannot be used (does {} "
                                        "hold its private key?): {}", m_trust.clientCertFile.string(), m_host,
                                        fs::path(m_trust.clientCertFile).replace_extension(".key").filename().string(),
                                        r.error().message()));
            if (scheme == "https" && !isTlsVerifyError(m_http.lastCode()) &&
                isClientCertRefusal(r.error().message())) {
                // The server's certificate was fine; it wanted ours.
                if (!m_trust.clientCert)
                    return fail(Errc::Auth,
                                fmt::format("registry {} asks for a TLS client certificate and none is "
                                            "configured: put client.cert and client.key in {} (or pass "
                                            "--cert-dir) ({})", m_host,
                                            (m_trust.source.empty() ? certDirs(m_options.certDir, m_options.config).front() / m_host
                                                                    : m_trust.source).string(),
                                            r.error().message()));
                return fail(Errc::Auth, fmt::format("registry {} refused the TLS client certificate {} ({})",
                                                    m_host, m_trust.clientCertFile.string(), r.error().message()));
            }
            if (scheme == "https" && isTlsVerifyError(m_http.lastCode())) {
                // Not "unreachable": the registry answered, and its certificate was refused.
                std::string where = m_trust.source.empty()
                                        ? (certDirs(m_options.certDir, m_options.config).front() / m_host / "ca.crt").string()
                                        : m_trust.source.string();
                return fail(Errc::Network,
                            fmt::format("TLS certificate of registry {} is not trusted: {}; trust its CA "
                                        "by putting it in {} (or pass --cert-dir), or use "
                                        "--tls-verify=false", m_host, r.error().message(), where));
            }
            lastError = r.error();
            continue;
        }
        if (r->status == 200 || r->status == 401) {
            m_base = fmt::format("{}://{}/v2/", scheme, apiHost());
            if (r->status == 401) {
                auto challenges = parseChallenges(r->headers.get("WWW-Authenticate"));
                for (auto& c : challenges)
                    if (c.scheme == "bearer" || c.scheme == "basic") {
                        m_challenge = c;
                        break;
                    }
                if (!m_challenge) m_challenge = Challenge{"basic", {}};
            }
            return {};
        }
        lastError = Error(Errc::Network,
                          fmt::format("{} does not look like a registry: GET {} answered {}", m_host,
                                      req.url, registryErrorMessage(*r)));
    }
    Error e = lastError ? *lastError : Error(Errc::Network, "no scheme to try");
    return fail(Errc::Network, fmt::format("registry {} is unreachable: {}", m_host, e.message()));
}

Result<std::string> RegistryClient::fetchToken(const Challenge& ch, const Scopes& scopes,
                                               std::stop_token stop) {
    auto realm = ch.params.find("realm");
    if (realm == ch.params.end() || realm->second.empty())
        return fail(Errc::Auth, m_host + ": bearer challenge without a realm");
    // Credentials go to the token service only over HTTPS (or when the registry itself is
    // plain HTTP, where they would travel in clear anyway).
    bool realmSecure = realm->second.starts_with("https://");
    auto creds = BERTH_TRY(credentials());
    HttpRequest req;
    std::string url = realm->second;
    std::string query;
    if (auto s = ch.params.find("service"); s != ch.params.end())
        query += "service=" + urlEncode(s->second);
    for (auto& sc : scopes) query += (query.empty() ? "" : "&") + ("scope=" + urlEncode(sc));
    bool sendCreds = creds && !creds->empty() && (realmSecure || m_base.starts_with("http://"));
    if (sendCreds && !creds->identityToken.empty()) {
        req.method = "POST";
        req.headers.push_back("Content-Type: application/x-www-form-urlencoded");
        req.body = "grant_type=refresh_token&client_id=berth&refresh_token=" +
                   urlEncode(creds->identityToken) + (query.empty() ? "" : "&" + query);
    } else {
        if (!query.empty()) url += (url.find('?') == std::string::npos ? "?" : "&") + query;
        if (sendCreds) {
            url += std::string(url.find('?') == std::string::npos ? "?" : "&") + "account=" +
                   urlEncode(creds->username);
            req.authorization = "Basic " + base64Encode(creds->username + ":" + creds->password);
        }
    }
    req.url = url;
    applyTls(req);
    req.maxBody = kMaxTokenBytes;
    auto r = BERTH_TRY_CTX(m_http.perform(req, stop), "get a token from " + realm->second);
    if (r.status == 401 || r.status == 403)
        return fail(Errc::Auth, fmt::format("authentication to {} failed: {}", m_host,
                                            registryErrorMessage(r)));
    if (r.status != 200)
        return fail(Errc::Auth, fmt::format("token service {} answered {}", realm->second,
                                            registryErrorMessage(r)));
    auto j = json::parse(r.body, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return fail(Errc::Auth, "token service " + realm->second + " sent no JSON");
    std::string token = sys::jsonString(j, "token");
    if (token.empty()) token = sys::jsonString(j, "access_token");
    if (token.empty()) return fail(Errc::Auth, "token service " + realm->second + " sent no token");
    long expiresIn = 60;
    if (j.contains("expires_in") && j["expires_in"].is_number()) expiresIn = j["expires_in"].get<long>();
    expiresIn = std::max(expiresIn, 60L);
    // Renew a little before the deadline so a long transfer does not start with a token
    // about to lapse.
    m_tokens[joinScopes(scopes)] =
        Token{"Bearer " + token, std::chrono::steady_clock::now() + std::chrono::seconds(expiresIn - 10)};
    return "Bearer " + token;
}

Result<std::string> RegistryClient::authorization(const Scopes& scopes, std::stop_token stop) {
    std::lock_guard lock(m_mutex);
    if (m_base.empty()) BERTH_TRYV(ping(stop));
    if (!m_challenge) return std::string();
    if (m_challenge->scheme == "basic") {
        auto creds = BERTH_TRY(credentials());
        if (!creds || creds->empty()) return std::string();
        return "Basic " + base64Encode(creds->username + ":" + creds->password);
    }
    auto it = m_tokens.find(joinScopes(scopes));
    if (it != m_tokens.end() && it->second.expires > std::chrono::steady_clock::now())
        return it->second.value;
    return fetchToken(*m_challenge, scopes, stop);
}

VoidResult RegistryClient::reauthenticate(const HttpResponse& response, const Scopes& scopes,
                                          std::stop_token stop) {
    std::lock_guard lock(m_mutex);
    m_tokens.erase(joinScopes(scopes));
    for (auto& c : parseChallenges(response.headers.get("WWW-Authenticate"))) {
        if (c.scheme == "bearer") {
            m_challenge = c;
            BERTH_TRYV(fetchToken(c, scopes, stop));
            return {};
        }
        if (c.scheme == "basic") {
            m_challenge = c;
            auto creds = BERTH_TRY(credentials());
            if (!creds || creds->empty())
                return fail(Errc::Auth, fmt::format("{} requires authentication: run `berth login {}`",
                                                    m_host, m_host));
            return {};
        }
    }
    return fail(Errc::Auth, fmt::format("{} refused the request: {}", m_host,
                                        registryErrorMessage(response)));
}

Result<HttpResponse> RegistryClient::sendOnce(HttpRequest& request, const Scopes& scopes,
                                              std::stop_token stop) {
    request.authorization = BERTH_TRY(authorization(scopes, stop));
    applyTls(request);
    auto r = BERTH_TRY(m_http.perform(request, stop));
    if (r.status != 401) return r;
    std::string sentAuth = request.authorization;
    BERTH_TRYV(reauthenticate(r, scopes, stop));
    request.authorization = BERTH_TRY(authorization(scopes, stop));
    if (request.authorization.empty() || request.authorization == sentAuth) {
        if (m_challenge && m_challenge->scheme == "basic")
            return fail(Errc::Auth, fmt::format("authentication to {} failed: {}", m_host,
                                                registryErrorMessage(r)));
    }
    return m_http.perform(request, stop);
}

Result<HttpResponse> RegistryClient::send(HttpRequest request, const Scopes& scopes,
                                          std::stop_token stop, bool retry) {
    std::lock_guard lock(m_mutex);
    if (m_base.empty()) BERTH_TRYV(ping(stop));
    if (!request.url.starts_with("http")) request.url = m_base + request.url;
    int attempts = retry ? m_options.maxRetries : 0;
    for (int attempt = 0;; ++attempt) {
        auto r = sendOnce(request, scopes, stop);
        std::chrono::milliseconds wait = m_options.retryBase * (1 << std::min(attempt, 6));
        wait = std::min<std::chrono::milliseconds>(wait, 10s);
        if (r) {
            bool transient = r->status == 429 || r->status == 502 || r->status == 503 ||
                             r->status == 504 || r->status == 500;
            if (!transient || attempt >= attempts) return r;
            if (r->status == 429)
                if (auto ra = parseRetryAfter(r->headers.get("Retry-After"))) wait = std::min(*ra, 60000ms);
        } else {
            if (r.error().code() != Errc::Network || attempt >= attempts) return r;
        }
        if (!sleepFor(wait, stop)) return fail(Errc::Cancelled, "cancelled");
    }
}

VoidResult RegistryClient::login(std::stop_token stop) {
    std::lock_guard lock(m_mutex);
    BERTH_TRYV(ping(stop));
    auto creds = BERTH_TRY(credentials());
    if (!m_challenge) return {};  // the registry asks for nothing
    if (m_challenge->scheme == "bearer") {
        m_tokens.clear();
        BERTH_TRYV(fetchToken(*m_challenge, {}, stop));
        return {};
    }
    if (!creds || creds->empty()) return fail(Errc::Auth, "no credentials given");
    HttpRequest req;
    req.url = m_base;
    applyTls(req);
    req.authorization = "Basic " + base64Encode(creds->username + ":" + creds->password);
    auto r = BERTH_TRY(m_http.perform(req, stop));
    if (r.status == 200) return {};
    return fail(Errc::Auth, fmt::format("login to {} failed: {}", m_host, registryErrorMessage(r)));
}

Result<RegistryClient::FetchedManifest> RegistryClient::getManifest(const std::string& repo,
                                                                    const std::string& reference,
                                                                    std::stop_token stop) {
    HttpRequest req;
    req.url = fmt::format("{}/manifests/{}", repo, reference);
    req.headers.push_back(manifestAcceptHeader());
    req.maxBody = kMaxManifestBytes;
    auto r = send(req, {pullScope(repo)}, stop);
    if (!r) {
        if (r.error().code() == Errc::Corrupt)
            return fail(Errc::Corrupt, fmt::format("manifest {}:{} is larger than 4 MiB", repo, reference));
        return fail(r.error());
    }
    if (r->status == 404)
        return fail(Errc::NotFound, fmt::format("manifest for {}/{}:{} not found: {}", m_host, repo,
                                                reference, registryErrorMessage(*r)));
    if (r->status != 200)
        return fail(errcForStatus(r->status),
                    fmt::format("fetch manifest {}/{}:{}: {}", m_host, repo, reference,
                                registryErrorMessage(*r)));
    FetchedManifest m;
    m.bytes = std::move(r->body);
    m.contentType = r->headers.get("Content-Type");
    m.digest = image::Digest::ofBytes(m.bytes);
    if (reference.starts_with("sha256:") && m.digest.str() != reference)
        return fail(Errc::Corrupt,
                    fmt::format("manifest {}@{} does not match its digest: the registry sent {}",
                                repo, reference, m.digest.str()));
    return m;
}

Result<std::string> RegistryClient::getBlob(const std::string& repo, const image::Digest& digest,
                                            size_t maxBytes, std::stop_token stop) {
    HttpRequest req;
    req.url = fmt::format("{}/blobs/{}", repo, digest.str());
    req.maxBody = maxBytes;
    auto r = send(req, {pullScope(repo)}, stop);
    if (!r) {
        if (r.error().code() == Errc::Corrupt)
            return fail(Errc::Corrupt, fmt::format("blob {} is larger than {} bytes", digest.str(), maxBytes));
        return fail(r.error());
    }
    if (r->status != 200)
        return fail(errcForStatus(r->status), fmt::format("fetch blob {} of {}: {}", digest.str(),
                                                          repo, registryErrorMessage(*r)));
    BERTH_TRYV(digest.verify(r->body, "blob " + digest.str()));
    return std::move(r->body);
}

Result<std::optional<uint64_t>> RegistryClient::blobSize(const std::string& repo,
                                                         const image::Digest& digest,
                                                         std::stop_token stop) {
    HttpRequest req;
    req.method = "HEAD";
    req.url = fmt::format("{}/blobs/{}", repo, digest.str());
    auto r = BERTH_TRY(send(req, {pushScope(repo)}, stop));
    if (r.status == 404) return std::optional<uint64_t>{};
    if (r.status != 200)
        return fail(errcForStatus(r.status), fmt::format("check blob {} in {}: {}", digest.str(),
                                                         repo, registryErrorMessage(r)));
    std::string len = r.headers.get("Content-Length");
    return std::optional<uint64_t>(len.empty() ? 0 : std::strtoull(len.c_str(), nullptr, 10));
}

std::string RegistryClient::uploadUrl(const std::string& location) const {
    return resolveUrl(m_base, location);
}

Result<bool> RegistryClient::mountBlob(const std::string& repo, const image::Digest& digest,
                                       const std::string& fromRepo, std::stop_token stop) {
    HttpRequest req;
    req.method = "POST";
    req.url = fmt::format("{}/blobs/uploads/?mount={}&from={}", repo, urlEncode(digest.str()),
                          urlEncode(fromRepo));
    auto r = BERTH_TRY(send(req, {pushScope(repo), pullScope(fromRepo)}, stop));
    if (r.status == 201) return true;
    if (r.status == 202) {
        // The registry could not mount and opened an upload: cancel it.
        if (auto loc = r.headers.get("Location"); !loc.empty()) {
            HttpRequest del;
            del.method = "DELETE";
            del.url = uploadUrl(loc);
            (void)send(del, {pushScope(repo)}, stop, false);
        }
        return false;
    }
    return false;
}

static std::string withQuery(const std::string& url, const std::string& q) {
    return url + (url.find('?') == std::string::npos ? "?" : "&") + q;
}

VoidResult RegistryClient::uploadBlob(const std::string& repo, const image::Digest& digest, int fd,
                                      uint64_t size, const std::function<void(uint64_t)>& progress,
                                      std::stop_token stop, uint64_t chunkSize) {
    auto what = fmt::format("upload blob {} to {}/{}", digest.shortId(), m_host, repo);
    // Any failure restarts the whole upload session (a fresh POST): registries do not agree
    // on how to resume a broken PATCH.
    for (int attempt = 0;; ++attempt) {
        auto once = [&]() -> VoidResult {
            HttpRequest post;
            post.method = "POST";
            post.url = repo + "/blobs/uploads/";
            auto r = BERTH_TRY(send(post, {pushScope(repo)}, stop));
            if (r.status != 202)
                return fail(errcForStatus(r.status), "start upload: " + registryErrorMessage(r));
            std::string location = r.headers.get("Location");
            if (location.empty()) return fail(Errc::Network, "start upload: no Location in the answer");
            location = uploadUrl(location);
            uint64_t offset = 0;
            if (size > chunkSize) {
                while (offset < size) {
                    uint64_t n = std::min(chunkSize, size - offset);
                    HttpRequest patch;
                    patch.method = "PATCH";
                    patch.url = location;
                    patch.headers.push_back("Content-Type: application/octet-stream");
                    patch.headers.push_back(fmt::format("Content-Range: {}-{}", offset, offset + n - 1));
                    patch.uploadFd = fd;
                    patch.uploadOffset = offset;
                    patch.uploadLength = n;
                    uint64_t base = offset;
                    patch.uploadProgress = [&](uint64_t sent) {
                        if (progress) progress(base + sent);
                    };
                    auto pr = BERTH_TRY(send(patch, {pushScope(repo)}, stop, false));
                    if (pr.status != 202)
                        return fail(errcForStatus(pr.status),
                                    fmt::format("upload chunk at {}: {}", offset, registryErrorMessage(pr)));
                    offset += n;
                    if (auto loc = pr.headers.get("Location"); !loc.empty()) location = uploadUrl(loc);
                }
            }
            HttpRequest put;
            put.method = "PUT";
            put.url = withQuery(location, "digest=" + urlEncode(digest.str()));
            put.headers.push_back("Content-Type: application/octet-stream");
            if (offset < size) {
                put.uploadFd = fd;
                put.uploadOffset = 0;
                put.uploadLength = size;
                put.uploadProgress = [&](uint64_t sent) {
                    if (progress) progress(sent);
                };
            }
            auto pr = BERTH_TRY(send(put, {pushScope(repo)}, stop, false));
            if (pr.status != 201)
                return fail(errcForStatus(pr.status), "finish upload: " + registryErrorMessage(pr));
            return {};
        };
        auto r = once();
        if (r) return {};
        bool transient = r.error().code() == Errc::Network;
        if (!transient || attempt >= m_options.maxRetries)
            return fail(r.error().withContext(what));
        if (!sleepFor(m_options.retryBase * (1 << std::min(attempt, 6)), stop))
            return fail(Errc::Cancelled, "cancelled");
    }
}

Result<image::Digest> RegistryClient::putManifest(const std::string& repo, const std::string& reference,
                                                  const std::string& bytes, const std::string& mediaType,
                                                  std::stop_token stop) {
    HttpRequest put;
    put.method = "PUT";
    put.url = fmt::format("{}/manifests/{}", repo, reference);
    put.headers.push_back("Content-Type: " + mediaType);
    put.body = bytes;
    auto r = BERTH_TRY(send(put, {pushScope(repo)}, stop));
    if (r.status != 201 && r.status != 200)
        return fail(errcForStatus(r.status), fmt::format("put manifest {}/{}:{}: {}", m_host, repo,
                                                         reference, registryErrorMessage(r)));
    auto digest = image::Digest::ofBytes(bytes);
    if (auto sent = r.headers.get("Docker-Content-Digest"); !sent.empty() && sent != digest.str())
        return fail(Errc::Corrupt, fmt::format("registry stored the manifest as {} but it hashes to {}",
                                               sent, digest.str()));
    return digest;
}

} // namespace berth::registry
