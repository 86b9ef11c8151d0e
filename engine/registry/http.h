#pragma once
// A small HTTP layer over libcurl for the distribution client. Redirects are followed here,
// not by libcurl, so that the Authorization header is only ever sent to the host it was
// meant for: a registry that redirects a blob to a storage host gets no credentials sent
// along. Responses held in memory are capped; bigger bodies go to a sink.

#include "sys/error.h"

#include <curl/curl.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace berth::registry {

struct HttpHeaders {
    std::vector<std::pair<std::string, std::string>> items;
    // First value of a header, case-insensitively; empty when absent.
    std::string get(std::string_view name) const;
    std::vector<std::string> all(std::string_view name) const;
};

struct HttpRequest {
    std::string method = "GET";
    std::string url;
    std::vector<std::string> headers;  // "Name: value"; never Authorization (see below)
    std::string authorization;         // sent only to the host of `url`, never after a
                                       // redirect to another host
    std::string body;                  // request body held in memory (PUT/POST/PATCH)
    // Request body streamed from a file instead: [offset, offset+length) of fd.
    int uploadFd = -1;
    uint64_t uploadOffset = 0;
    uint64_t uploadLength = 0;
    std::function<void(uint64_t sent)> uploadProgress;
    // Response body: held in memory up to maxBody, or passed to sink (return false to abort).
    size_t maxBody = size_t(4) << 20;
    std::function<bool(const char* data, size_t len)> sink;
    bool tlsVerify = true;
    // PEM CAs to verify against instead of libcurl's default store (tls_trust.h).
    std::shared_ptr<const std::string> caBundle;
    // PEM client certificate and key shown to a server that asks (mutual TLS), verified
    // or not: the server decides whether it wants one.
    std::shared_ptr<const std::string> clientCert;
    std::shared_ptr<const std::string> clientKey;
    bool followRedirects = true;
    long connectTimeoutSec = 15;
    long lowSpeedTimeSec = 60;  // abort when under 1 byte/s for this long
};

struct HttpResponse {
    long status = 0;
    HttpHeaders headers;
    std::string body;
    std::string url;  // after redirects
};

// One libcurl easy handle (connections are kept alive between calls). Not thread-safe: one
// per thread or guarded by the caller.
class HttpClient {
public:
    HttpClient();
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    // Network-level failures (refused, DNS, TLS, reset) are Errc::Network errors naming
    // the method and URL; any HTTP status is a successful Result.
    Result<HttpResponse> perform(HttpRequest request, std::stop_token stop = {});
    // The libcurl code of the last perform() (CURLE_OK when it got an HTTP answer).
    CURLcode lastCode() const { return m_lastCode; }

private:
    CURL* m_curl;
    CURLcode m_lastCode = CURLE_OK;
};

void ensureCurlInit();

// Sets the options every request shares (TLS, timeouts, protocols, headers) on an easy
// handle; `headerList` receives the curl_slist to free after the transfer.
void configureEasy(CURL* curl, const HttpRequest& request, curl_slist** headerList);

// "scheme://host:port" of a URL, for the same-origin check on redirects; empty if invalid.
std::string urlOrigin(const std::string& url);
// Resolves a Location header against the URL it came from.
std::string resolveUrl(const std::string& base, const std::string& location);
bool isRedirect(long status);
// libcurl codes that mean the peer's certificate was not accepted or TLS failed.
bool isTlsVerifyError(CURLcode code);
// A TLS failure text (libcurl's error buffer) that says the server wanted a client
// certificate or refused the one it got (TLS alerts "certificate required", "bad
// certificate", "unknown ca", ...).
bool isClientCertRefusal(std::string_view message);
// Percent-encodes a query value.
std::string urlEncode(std::string_view s);

} // namespace berth::registry
