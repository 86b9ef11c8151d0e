#include "registry/blob_fetcher.h"

#include "sys/fs.h"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <deque>
#include <memory>
#include <optional>
#include <thread>

namespace berth::registry {

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr size_t kMaxErrorBody = 64 * 1024;
// Written blob bytes are handed to the disk this often (asynchronously), so the commit's
// syncfs does not find the whole blob still dirty in memory.
constexpr uint64_t kWritebackChunk = uint64_t(8) << 20;

struct Transfer {
    BlobJob job;
    const BlobFetchCallbacks* cb = nullptr;
    uint64_t writebackFrom = 0;  // bytes before this were handed to the disk
    sys::UniqueFd fd;
    image::Sha256 hash;
    uint64_t have = 0;       // bytes in the file and in the hash
    uint64_t kept = 0;       // bytes found in the file at start (an earlier process's)
    bool restartedFromZero = false;
    uint64_t attemptStart = 0;
    int failures = 0;        // since the last attempt that made progress
    int redirects = 0;
    std::string url;
    std::string authorization;
    Clock::time_point notBefore{};
    bool notified = false;

    // Per attempt:
    CURL* easy = nullptr;
    curl_slist* headers = nullptr;
    HttpResponse response;
    bool bodyStarted = false;
    std::optional<Error> writeError;
    char errbuf[CURL_ERROR_SIZE] = {};
};

size_t onHeader(char* data, size_t size, size_t n, void* user) {
    auto* t = static_cast<Transfer*>(user);
    std::string_view line(data, size * n);
    if (line.starts_with("HTTP/")) {
        t->response.headers.items.clear();
        auto sp = line.find(' ');
        if (sp != std::string_view::npos)
            t->response.status = std::strtol(std::string(line.substr(sp + 1, 3)).c_str(), nullptr, 10);
    } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
        auto trim = [](std::string_view s) {
            while (!s.empty() && std::isspace((unsigned char)s.front())) s.remove_prefix(1);
            while (!s.empty() && std::isspace((unsigned char)s.back())) s.remove_suffix(1);
            return std::string(s);
        };
        t->response.headers.items.emplace_back(trim(line.substr(0, colon)), trim(line.substr(colon + 1)));
    }
    return size * n;
}

// Restarts the blob from byte 0 (the server ignored or refused our Range).
VoidResult restartFile(Transfer& t) {
    if (t.cb && t.cb->restarted) t.cb->restarted(t.job.id);
    t.writebackFrom = 0;
    if (::ftruncate(t.fd.get(), 0) < 0) return failErrno("truncate " + t.job.file.string());
    if (::lseek(t.fd.get(), 0, SEEK_SET) < 0) return failErrno("seek " + t.job.file.string());
    t.hash = image::Sha256();
    t.have = 0;
    return {};
}

size_t onBody(char* data, size_t size, size_t n, void* user) {
    auto* t = static_cast<Transfer*>(user);
    size_t len = size * n;
    long status = t->response.status;
    if (status != 200 && status != 206) {
        if (t->response.body.size() + len <= kMaxErrorBody) t->response.body.append(data, len);
        return len;
    }
    if (!t->bodyStarted) {
        t->bodyStarted = true;
        if (status == 200 && t->have > 0) {
            if (auto r = restartFile(*t); !r) {
                t->writeError = r.error();
                return 0;
            }
        } else if (status == 206) {
            // "Content-Range: bytes START-END/TOTAL" must start where we stopped.
            std::string cr = t->response.headers.get("Content-Range");
            auto sp = cr.find(' ');
            uint64_t start = sp == std::string::npos ? UINT64_MAX
                                                     : std::strtoull(cr.c_str() + sp + 1, nullptr, 10);
            if (start != t->have) {
                t->writeError = Error(Errc::Network, fmt::format("{}: the registry resumed at byte {} "
                                                                 "instead of {}", t->job.what, cr, t->have));
                return 0;
            }
        }
        t->attemptStart = t->have;
    }
    if (t->have + len > t->job.size) {
        t->writeError = Error(Errc::Corrupt, fmt::format("{}: blob {} is larger than the {} bytes "
                                                         "its manifest states", t->job.what,
                                                         t->job.digest.str(), t->job.size));
        return 0;
    }
    if (auto r = sys::writeAll(t->fd.borrow(), std::string_view(data, len)); !r) {
        t->writeError = r.error().withContext("write " + t->job.file.string());
        return 0;
    }
    t->hash.update(data, len);
    t->have += len;
    if (t->have - t->writebackFrom >= kWritebackChunk) {
        // Only starts the writeback (no wait); a failure here changes nothing, the commit
        // syncs the file system anyway.
        (void)::sync_file_range(t->fd.get(), off_t(t->writebackFrom), off_t(t->have - t->writebackFrom),
                                SYNC_FILE_RANGE_WRITE);
        t->writebackFrom = t->have;
    }
    return len;
}

bool transientCurlError(CURLcode rc) {
    switch (rc) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_BAD_CONTENT_ENCODING:
    case CURLE_WEIRD_SERVER_REPLY:
        return true;
    default:
        return false;
    }
}

class Fetcher {
public:
    Fetcher(RegistryClient& client, const BlobFetchCallbacks& cb, const FetchOptions& opt,
            std::stop_token stop)
        : m_client(client), m_cb(cb), m_opt(opt), m_stop(stop), m_multi(curl_multi_init()) {
        curl_multi_setopt(m_multi, CURLMOPT_MAX_HOST_CONNECTIONS, long(opt.parallel));
    }
    ~Fetcher() {
        for (auto& t : m_all) detach(*t);
        curl_multi_cleanup(m_multi);
    }

    VoidResult run(std::vector<BlobJob> jobs) {
        for (auto& j : jobs) {
            auto t = std::make_unique<Transfer>();
            t->job = std::move(j);
            t->cb = &m_cb;
            BERTH_TRYV(openPartial(*t));
            if (m_cb.opened) m_cb.opened(t->job.id, t->job.file, t->have);
            t->url = m_client.baseUrl() + t->job.repo + "/blobs/" + t->job.digest.str();
            m_waiting.push_back(t.get());
            m_all.push_back(std::move(t));
        }
        while (!m_waiting.empty() || m_active > 0) {
            if (m_stop.stop_requested()) return fail(Errc::Cancelled, "pull cancelled");
            BERTH_TRYV(startReady());
            int running = 0;
            curl_multi_perform(m_multi, &running);
            BERTH_TRYV(collect());
            if (m_active == 0 && m_waiting.empty()) break;
            int timeout = 200;
            if (m_active == 0) {
                // Everything waits for a backoff: sleep until the first is due.
                auto next = Clock::time_point::max();
                for (auto* t : m_waiting) next = std::min(next, t->notBefore);
                auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(next - Clock::now()).count();
                if (ms > 0 && !sleepFor(std::chrono::milliseconds(std::min<long>(ms, 1000)), m_stop))
                    return fail(Errc::Cancelled, "pull cancelled");
                continue;
            }
            curl_multi_poll(m_multi, nullptr, 0, timeout, nullptr);
        }
        return {};
    }

private:
    VoidResult openPartial(Transfer& t) {
        t.fd = BERTH_TRY(sys::openFile(t.job.file, O_RDWR | O_CREAT, 0600));
        // Another pull (another process) is downloading the same blob into this file: do
        // not share it, use our own.
        if (::flock(t.fd.get(), LOCK_EX | LOCK_NB) < 0) {
            if (errno != EWOULDBLOCK || t.job.fallbackFile.empty())
                return failErrno("flock " + t.job.file.string());
            t.job.file = t.job.fallbackFile;
            t.fd = BERTH_TRY(sys::openFile(t.job.file, O_RDWR | O_CREAT | O_TRUNC, 0600));
        }
        // A partial file left by an earlier attempt: re-hash it and resume after it.
        off_t end = ::lseek(t.fd.get(), 0, SEEK_END);
        if (end < 0) return failErrno("seek " + t.job.file.string());
        if (uint64_t(end) > t.job.size) {
            BERTH_TRYV(restartFile(t));
        } else if (end > 0) {
            std::string buf(1 << 18, '\0');
            uint64_t off = 0;
            while (off < uint64_t(end)) {
                ssize_t n = ::pread(t.fd.get(), buf.data(), std::min<uint64_t>(buf.size(), end - off), off_t(off));
                if (n < 0 && errno == EINTR) continue;
                if (n <= 0) return failErrno("read " + t.job.file.string());
                t.hash.update(buf.data(), size_t(n));
                off += uint64_t(n);
            }
            t.have = off;
            t.kept = off;
        }
        // Appends go to the end whatever the resume point.
        if (::lseek(t.fd.get(), off_t(t.have), SEEK_SET) < 0) return failErrno("seek " + t.job.file.string());
        return {};
    }

    VoidResult startReady() {
        auto now = Clock::now();
        // Picked first, started after: start() may queue a transfer again (a kept file that
        // does not verify), which must not happen while m_waiting is being walked.
        std::vector<Transfer*> ready;
        for (auto it = m_waiting.begin();
             it != m_waiting.end() && m_active + int(ready.size()) < m_opt.parallel;) {
            if ((*it)->notBefore > now) {
                ++it;
                continue;
            }
            ready.push_back(*it);
            it = m_waiting.erase(it);
        }
        for (auto* t : ready) BERTH_TRYV(start(*t));
        return {};
    }

    VoidResult start(Transfer& t) {
        if (!t.notified) {
            t.notified = true;
            if (m_cb.started) m_cb.started(t.job.id);
        }
        if (t.have == t.job.size && t.job.size > 0) {
            // Complete from an earlier run: only the verification is left.
            return finish(t);
        }
        // The registry's own host gets its token; a storage host we were redirected to
        // gets nothing (its URL carries its own signature).
        if (urlOrigin(t.url) == urlOrigin(m_client.baseUrl()))
            t.authorization = BERTH_TRY(m_client.authorization({pullScope(t.job.repo)}, m_stop));
        else
            t.authorization.clear();
        HttpRequest req;
        req.url = t.url;
        req.authorization = t.authorization;
        m_client.applyTls(req);
        if (t.have > 0) req.headers.push_back(fmt::format("Range: bytes={}-", t.have));
        t.easy = curl_easy_init();
        if (!t.easy) return fail(Errc::Internal, "curl_easy_init failed");
        configureEasy(t.easy, req, &t.headers);
        t.response = HttpResponse{};
        t.attemptStart = t.have;
        t.bodyStarted = false;
        t.writeError.reset();
        t.errbuf[0] = 0;
        curl_easy_setopt(t.easy, CURLOPT_HEADERFUNCTION, onHeader);
        curl_easy_setopt(t.easy, CURLOPT_HEADERDATA, &t);
        curl_easy_setopt(t.easy, CURLOPT_WRITEFUNCTION, onBody);
        curl_easy_setopt(t.easy, CURLOPT_WRITEDATA, &t);
        curl_easy_setopt(t.easy, CURLOPT_ERRORBUFFER, t.errbuf);
        curl_easy_setopt(t.easy, CURLOPT_PRIVATE, &t);
        curl_multi_add_handle(m_multi, t.easy);
        ++m_active;
        return {};
    }

    void detach(Transfer& t) {
        if (t.easy) {
            curl_multi_remove_handle(m_multi, t.easy);
            curl_easy_cleanup(t.easy);
            t.easy = nullptr;
            --m_active;
        }
        if (t.headers) {
            curl_slist_free_all(t.headers);
            t.headers = nullptr;
        }
    }

    VoidResult retryLater(Transfer& t, const std::string& why,
                          std::optional<std::chrono::milliseconds> after = std::nullopt) {
        if (t.have > t.attemptStart) t.failures = 0;  // it made progress: a fresh budget
        if (++t.failures > m_opt.maxRetries)
            return fail(Errc::Network, fmt::format("{}: giving up after {} attempts: {}", t.job.what,
                                                   t.failures, why));
        auto wait = after.value_or(m_opt.retryBase * (1 << std::min(t.failures - 1, 6)));
        wait = std::min<std::chrono::milliseconds>(wait, after ? 60000ms : 10000ms);
        t.notBefore = Clock::now() + wait;
        if (m_cb.retrying) m_cb.retrying(t.job.id, why);
        m_waiting.push_back(&t);
        return {};
    }

    VoidResult finish(Transfer& t) {
        if (t.have != t.job.size) {
            ::unlink(t.job.file.c_str());
            return fail(Errc::Corrupt, fmt::format("{}: blob {} is truncated: {} of {} bytes", t.job.what,
                                                   t.job.digest.str(), t.have, t.job.size));
        }
        image::Digest got = t.hash.finish();
        if (got != t.job.digest) {
            if (t.kept > 0 && !t.restartedFromZero) {
                // The prefix an earlier process left was bad (a crash can leave junk at the
                // end of a file): drop it and fetch the whole blob once more.
                t.restartedFromZero = true;
                t.kept = 0;
                BERTH_TRYV(restartFile(t));
                return retryLater(t, "the kept partial download did not verify; starting over");
            }
            // Never keep bytes that do not hash to the digest.
            ::unlink(t.job.file.c_str());
            return fail(Errc::Corrupt, fmt::format("{}: digest mismatch: expected {}, got {}; the "
                                                   "layer was refused", t.job.what,
                                                   t.job.digest.str(), got.str()));
        }
        t.fd.reset();
        if (m_cb.completed) m_cb.completed(t.job.id, t.job.file);
        return {};
    }

    VoidResult handleDone(Transfer& t, CURLcode rc) {
        std::string curlError = t.errbuf[0] ? t.errbuf : curl_easy_strerror(rc);
        detach(t);
        if (t.writeError) {
            if (t.writeError->code() == Errc::Network) return retryLater(t, t.writeError->message());
            ::unlink(t.job.file.c_str());  // oversized or unwritable: nothing of it is kept
            return fail(*t.writeError);
        }
        long status = t.response.status;
        if (rc != CURLE_OK) {
            if (transientCurlError(rc))
                return retryLater(t, fmt::format("{}: {}", t.url, curlError));
            return fail(Errc::Network, fmt::format("{}: GET {}: {}", t.job.what, t.url, curlError));
        }
        if (m_cb.progress) m_cb.progress(t.job.id, t.have, t.job.size);
        if (status == 200 || status == 206) {
            if (t.have < t.job.size) return retryLater(t, fmt::format("connection closed at byte {}", t.have));
            return finish(t);
        }
        if (isRedirect(status)) {
            std::string loc = t.response.headers.get("Location");
            if (loc.empty() || ++t.redirects > 10)
                return fail(Errc::Network, fmt::format("{}: bad redirect from {}", t.job.what, t.url));
            t.url = resolveUrl(t.url, loc);
            m_waiting.push_front(&t);
            return {};
        }
        if (status == 401) {
            if (++t.failures > 2)
                return fail(Errc::Auth, fmt::format("{}: {}", t.job.what, registryErrorMessage(t.response)));
            BERTH_TRYV(m_client.reauthenticate(t.response, {pullScope(t.job.repo)}, m_stop));
            m_waiting.push_front(&t);
            return {};
        }
        if (status == 416) {
            // Our Range is past what the server has: start over.
            BERTH_TRYV(restartFile(t));
            return retryLater(t, "range not satisfiable; restarting");
        }
        if (status == 429)
            return retryLater(t, "too many requests (429)", parseRetryAfter(t.response.headers.get("Retry-After")));
        if (status >= 500)
            return retryLater(t, fmt::format("server error {}", status));
        if (status == 404)
            return fail(Errc::NotFound, fmt::format("{}: blob {} not found in {}: {}", t.job.what,
                                                    t.job.digest.str(), t.job.repo,
                                                    registryErrorMessage(t.response)));
        return fail(Errc::Network, fmt::format("{}: GET {}: {}", t.job.what, t.url,
                                               registryErrorMessage(t.response)));
    }

    VoidResult collect() {
        int left = 0;
        while (CURLMsg* msg = curl_multi_info_read(m_multi, &left)) {
            if (msg->msg != CURLMSG_DONE) continue;
            Transfer* t = nullptr;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &t);
            CURLcode rc = msg->data.result;
            BERTH_TRYV(handleDone(*t, rc));
        }
        for (auto& t : m_all) {
            if (t->easy && t->have != m_lastReported[t.get()]) {
                m_lastReported[t.get()] = t->have;
                if (m_cb.written) m_cb.written(t->job.id, t->have);
                if (m_cb.progress) m_cb.progress(t->job.id, t->have, t->job.size);
            }
        }
        return {};
    }

    RegistryClient& m_client;
    const BlobFetchCallbacks& m_cb;
    FetchOptions m_opt;
    std::stop_token m_stop;
    CURLM* m_multi;
    std::vector<std::unique_ptr<Transfer>> m_all;
    std::deque<Transfer*> m_waiting;
    std::map<Transfer*, uint64_t> m_lastReported;
    int m_active = 0;
};

} // namespace

VoidResult fetchBlobs(RegistryClient& client, std::vector<BlobJob> jobs,
                      const BlobFetchCallbacks& callbacks, const FetchOptions& options,
                      std::stop_token stop) {
    ensureCurlInit();
    if (client.baseUrl().empty()) BERTH_TRYV(client.ping(stop));
    Fetcher f(client, callbacks, options, stop);
    return f.run(std::move(jobs));
}

} // namespace berth::registry
