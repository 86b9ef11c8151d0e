#include "registry/http.h"

#include <fmt/format.h>

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <mutex>

namespace berth::registry {

namespace {

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower((unsigned char)x) == std::tolower((unsigned char)y);
           });
}

std::string trim(std::string_view s) {
    while (!s.empty() && std::isspace((unsigned char)s.front())) s.remove_prefix(1);
    while (!s.empty() && std::isspace((unsigned char)s.back())) s.remove_suffix(1);
    return std::string(s);
}

struct TransferState {
    const HttpRequest* request;
    HttpResponse* response;
    std::stop_token stop;
    bool overflow = false;
    bool sinkAborted = false;
};

size_t onHeader(char* data, size_t size, size_t n, void* user) {
    auto* st = static_cast<TransferState*>(user);
    std::string_view line(data, size * n);
    if (line.starts_with("HTTP/")) {
        // A new response (after 100 Continue): forget the previous headers.
        st->response->headers.items.clear();
    } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
        st->response->headers.items.emplace_back(trim(line.substr(0, colon)),
                                                 trim(line.substr(colon + 1)));
    }
    return size * n;
}

size_t onBody(char* data, size_t size, size_t n, void* user) {
    auto* st = static_cast<TransferState*>(user);
    size_t len = size * n;
    // Error and redirect bodies go to memory (small, capped), never to the sink.
    if (st->request->sink && st->response->status >= 200 && st->response->status < 300) {
        if (!st->request->sink(data, len)) {
            st->sinkAborted = true;
            return 0;
        }
        return len;
    }
    if (st->response->body.size() + len > st->request->maxBody) {
        st->overflow = true;
        return 0;
    }
    st->response->body.append(data, len);
    return len;
}

struct UploadState {
    int fd;
    uint64_t offset;
    uint64_t remaining;
    uint64_t sent = 0;
    const std::function<void(uint64_t)>* progress;
};

size_t onRead(char* buf, size_t size, size_t n, void* user) {
    auto* up = static_cast<UploadState*>(user);
    size_t want = std::min<uint64_t>(size * n, up->remaining);
    if (want == 0) return 0;
    ssize_t got;
    do {
        got = ::pread(up->fd, buf, want, off_t(up->offset));
    } while (got < 0 && errno == EINTR);
    if (got <= 0) return CURL_READFUNC_ABORT;
    up->offset += uint64_t(got);
    up->remaining -= uint64_t(got);
    up->sent += uint64_t(got);
    if (up->progress && *up->progress) (*up->progress)(up->sent);
    return size_t(got);
}

int onProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    auto* st = static_cast<TransferState*>(user);
    return st->stop.stop_requested() ? 1 : 0;
}

// The status line arrives before the body; record it as soon as headers complete so the
// body callback knows whether the body is content or an error document.
size_t onHeaderWithStatus(char* data, size_t size, size_t n, void* user) {
    auto* st = static_cast<TransferState*>(user);
    std::string_view line(data, size * n);
    if (line.starts_with("HTTP/")) {
        auto sp = line.find(' ');
        if (sp != std::string_view::npos) {
            st->response->status = std::strtol(std::string(line.substr(sp + 1, 3)).c_str(),
                                               nullptr, 10);
        }
    }
    return onHeader(data, size, n, user);
}

} // namespace

std::string HttpHeaders::get(std::string_view name) const {
    for (auto& [k, v] : items)
        if (iequals(k, name)) return v;
    return {};
}

std::vector<std::string> HttpHeaders::all(std::string_view name) const {
    std::vector<std::string> out;
    for (auto& [k, v] : items)
        if (iequals(k, name)) out.push_back(v);
    return out;
}

void ensureCurlInit() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

void configureEasy(CURL* curl, const HttpRequest& request, curl_slist** headerList) {
    curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_UNRESTRICTED_AUTH, 0L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, request.tlsVerify ? 1L : 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, request.tlsVerify ? 2L : 0L);
    if (request.tlsVerify && request.caBundle && !request.caBundle->empty()) {
        curl_blob ca{const_cast<char*>(request.caBundle->data()), request.caBundle->size(),
                     CURL_BLOB_COPY};
        curl_easy_setopt(curl, CURLOPT_CAINFO_BLOB, &ca);
    }
    if (request.clientCert && request.clientKey) {
        curl_blob cert{const_cast<char*>(request.clientCert->data()), request.clientCert->size(),
                       CURL_BLOB_COPY};
        curl_blob key{const_cast<char*>(request.clientKey->data()), request.clientKey->size(),
                      CURL_BLOB_COPY};
        curl_easy_setopt(curl, CURLOPT_SSLCERTTYPE, "PEM");
        curl_easy_setopt(curl, CURLOPT_SSLCERT_BLOB, &cert);
        curl_easy_setopt(curl, CURLOPT_SSLKEYTYPE, "PEM");
        curl_easy_setopt(curl, CURLOPT_SSLKEY_BLOB, &key);
    }
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, request.connectTimeoutSec);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, request.lowSpeedTimeSec);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "berth/0.1");
    curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, nullptr);
    curl_easy_setopt(curl, CURLOPT_BUFFERSIZE, 256L * 1024);
    curl_slist* list = nullptr;
    for (auto& h : request.headers) list = curl_slist_append(list, h.c_str());
    if (!request.authorization.empty())
        list = curl_slist_append(list, ("Authorization: " + request.authorization).c_str());
    list = curl_slist_append(list, "Expect:");
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
    *headerList = list;

    if (request.method == "HEAD") {
        curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    } else if (request.method == "GET") {
        curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    } else if (request.uploadFd >= 0) {
        curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, curl_off_t(request.uploadLength));
        curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    } else {
        curl_easy_setopt(curl, CURLOPT_POST, 1L);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.size()));
        curl_easy_setopt(curl, CURLOPT_COPYPOSTFIELDS, request.body.c_str());
        if (request.method != "POST")
            curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }
}

HttpClient::HttpClient() {
    ensureCurlInit();
    m_curl = curl_easy_init();
}

HttpClient::~HttpClient() {
    if (m_curl) curl_easy_cleanup(m_curl);
}

Result<HttpResponse> HttpClient::perform(HttpRequest request, std::stop_token stop) {
    if (!m_curl) return fail(Errc::Internal, "curl_easy_init failed");
    for (int hop = 0;; ++hop) {
        if (stop.stop_requested()) return fail(Errc::Cancelled, "cancelled");
        curl_easy_reset(m_curl);
        HttpResponse response;
        TransferState st{&request, &response, stop};
        curl_slist* headers = nullptr;
        configureEasy(m_curl, request, &headers);
        curl_easy_setopt(m_curl, CURLOPT_HEADERFUNCTION, onHeaderWithStatus);
        curl_easy_setopt(m_curl, CURLOPT_HEADERDATA, &st);
        curl_easy_setopt(m_curl, CURLOPT_WRITEFUNCTION, onBody);
        curl_easy_setopt(m_curl, CURLOPT_WRITEDATA, &st);
        curl_easy_setopt(m_curl, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(m_curl, CURLOPT_XFERINFOFUNCTION, onProgress);
        curl_easy_setopt(m_curl, CURLOPT_XFERINFODATA, &st);
        UploadState up{request.uploadFd, request.uploadOffset, request.uploadLength, 0,
                       &request.uploadProgress};
        if (request.uploadFd >= 0) {
            curl_easy_setopt(m_curl, CURLOPT_READFUNCTION, onRead);
            curl_easy_setopt(m_curl, CURLOPT_READDATA, &up);
        }
        char errbuf[CURL_ERROR_SIZE] = {};
        curl_easy_setopt(m_curl, CURLOPT_ERRORBUFFER, errbuf);
        CURLcode rc = curl_easy_perform(m_curl);
        m_lastCode = rc;
        curl_slist_free_all(headers);
        long status = 0;
        curl_easy_getinfo(m_curl, CURLINFO_RESPONSE_CODE, &status);
        response.status = status;
        response.url = request.url;
        if (rc != CURLE_OK) {
            if (stop.stop_requested()) return fail(Errc::Cancelled, "cancelled");
            if (st.overflow)
                return fail(Errc::Corrupt,
                            fmt::format("{} {}: response larger than {} bytes", request.method,
                                        request.url, request.maxBody));
            if (st.sinkAborted)
                return fail(Errc::Corrupt,
                            fmt::format("{} {}: body refused", request.method, request.url));
            std::string detail = errbuf[0] ? errbuf : curl_easy_strerror(rc);
            return fail(Errc::Network,
                        fmt::format("{} {}: {}", request.method, request.url, detail));
        }
        if (request.followRedirects && isRedirect(status)) {
            std::string location = response.headers.get("Location");
            if (location.empty() || hop >= 10) return response;
            std::string next = resolveUrl(request.url, location);
            // Credentials belong to the registry: a redirect to storage elsewhere goes
            // without them (the storage URL is pre-signed).
            if (urlOrigin(next) != urlOrigin(request.url)) request.authorization.clear();
            if (status == 303) {
                request.method = "GET";
                request.body.clear();
                request.uploadFd = -1;
            }
            request.url = next;
            continue;
        }
        return response;
    }
}

std::string urlOrigin(const std::string& url) {
    CURLU* u = curl_url();
    std::string out;
    if (curl_url_set(u, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK) {
        char *scheme = nullptr, *host = nullptr, *port = nullptr;
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0);
        curl_url_get(u, CURLUPART_HOST, &host, 0);
        curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT);
        if (scheme && host)
            out = fmt::format("{}://{}:{}", scheme, host, port ? port : "");
        curl_free(scheme);
        curl_free(host);
        curl_free(port);
    }
    curl_url_cleanup(u);
    return out;
}

std::string resolveUrl(const std::string& base, const std::string& location) {
    CURLU* u = curl_url();
    std::string out = location;
    if (curl_url_set(u, CURLUPART_URL, base.c_str(), 0) == CURLUE_OK &&
        curl_url_set(u, CURLUPART_URL, location.c_str(), 0) == CURLUE_OK) {
        char* full = nullptr;
        if (curl_url_get(u, CURLUPART_URL, &full, 0) == CURLUE_OK && full) out = full;
        curl_free(full);
    }
    curl_url_cleanup(u);
    return out;
}

bool isTlsVerifyError(CURLcode code) {
    switch (code) {
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
        return true;
    default:
        return false;
    }
}

bool isClientCertRefusal(std::string_view message) {
    for (std::string_view alert : {"certificate required", "bad certificate", "unknown ca",
                                   "certificate unknown", "unsupported certificate",
                                   "certificate revoked", "certificate expired", "access denied"})
        if (message.find(alert) != std::string_view::npos) return true;
    return false;
}

bool isRedirect(long status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

std::string urlEncode(std::string_view s) {
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out.push_back(char(c));
        } else {
            out += fmt::format("%{:02X}", c);
        }
    }
    return out;
}

} // namespace berth::registry
