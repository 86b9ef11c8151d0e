#include "registry/pull.h"

#include "image/blob_store.h"
#include "image/config_json.h"
#include "image/image_commit.h"
#include "image/image_index.h"
#include "image/layer_apply.h"
#include "image/layer_store.h"
#include "image/reference.h"
#include "image/work_dir.h"
#include "registry/background_sync.h"
#include "registry/blob_fetcher.h"
#include "registry/blob_stream.h"
#include "registry/registries_config.h"
#include "registry/registry_client.h"
#include "store/events.h"
#include "sys/fs.h"
#include "sys/userns.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace berth {

const char* layerStateText(LayerState s) {
    switch (s) {
    case LayerState::Waiting: return "Waiting";
    case LayerState::Downloading: return "Downloading";
    case LayerState::Retrying: return "Retrying";
    case LayerState::Verifying: return "Verifying Checksum";
    case LayerState::DownloadComplete: return "Download complete";
    case LayerState::Extracting: return "Extracting";
    case LayerState::PullComplete: return "Pull complete";
    case LayerState::AlreadyExists: return "Already exists";
    }
    return "";
}

} // namespace berth

namespace berth::registry {

namespace fs = std::filesystem;
using image::Digest;

namespace {

struct LayerPlan {
    size_t index = 0;
    Descriptor desc;
    Digest diffId;
    Digest chainId;
    std::optional<Digest> parent;
    bool needBlob = false;     // download the blob
    bool needExtract = false;  // make the layer directory
    fs::path blobFile;         // where the blob is read from for extraction
    fs::path storeBlob;        // where it is once committed (by us or a concurrent pull)
    fs::path prepared;         // work/layer-N (diff/ + meta.json)
    BlobStream* stream = nullptr;  // set: extracted while the blob downloads
    uint64_t size = 0;         // uncompressed
    std::string what;          // "layer 2 (a3ed95caeb02) of busybox:latest"
};

// Serialises progress callbacks coming from the fetch and extraction threads.
class Reporter {
public:
    explicit Reporter(const PullProgressFn& fn) : m_fn(fn) {}
    void layer(const std::string& id, LayerState s, uint64_t cur = 0, uint64_t total = 0,
               std::string msg = {}) {
        if (!m_fn) return;
        std::lock_guard lock(m_mutex);
        PullProgress p;
        p.kind = PullProgress::Kind::Layer;
        p.layerId = id;
        p.state = s;
        p.current = cur;
        p.total = total;
        p.message = std::move(msg);
        m_fn(p);
    }
    void message(PullProgress::Kind kind, std::string msg) {
        if (!m_fn) return;
        std::lock_guard lock(m_mutex);
        PullProgress p;
        p.kind = kind;
        p.message = std::move(msg);
        m_fn(p);
    }

private:
    const PullProgressFn& m_fn;
    std::mutex m_mutex;
};

// Extraction workers: layers are applied as soon as their blob is complete, while other
// blobs are still downloading. Each layer lands in its own directory, so order is free.
class Extractor {
public:
    Extractor(int threads, Reporter& rep, std::stop_source& stopAll, image::ApplyLimits limits)
        : m_rep(rep), m_stopAll(stopAll), m_limits(std::move(limits)) {
        for (int i = 0; i < threads; ++i) m_threads.emplace_back([this] { work(); });
    }
    ~Extractor() { finish(); }

    void push(LayerPlan* layer) {
        {
            std::lock_guard lock(m_mutex);
            m_queue.push_back(layer);
        }
        m_cv.notify_one();
    }
    // Waits for the queue to drain; the first error, if any.
    std::optional<Error> finish() {
        {
            std::lock_guard lock(m_mutex);
            m_closing = true;
        }
        m_cv.notify_all();
        for (auto& t : m_threads)
            if (t.joinable()) t.join();
        return m_error;
    }

private:
    void work() {
        for (;;) {
            LayerPlan* layer = nullptr;
            {
                std::unique_lock lock(m_mutex);
                m_cv.wait(lock, [&] { return !m_queue.empty() || m_closing; });
                if (m_queue.empty()) return;
                layer = m_queue.front();
                m_queue.pop_front();
                if (m_error) continue;  // drain without work after a failure
            }
            if (m_stopAll.stop_requested()) continue;
            auto r = extract(*layer);
            if (!r) {
                std::lock_guard lock(m_mutex);
                if (!m_error) m_error = r.error();
                m_stopAll.request_stop();
            }
        }
    }

    // Follows the blob as it downloads. Empty when the download started over (the layer is
    // then extracted again from the finished file).
    Result<std::optional<image::ApplyResult>> extractStreaming(LayerPlan& l) {
        BlobStream::Reader reader(*l.stream);
        auto applied = image::applyLayer(
            image::ByteSource([&](void* buf, size_t len) { return reader.read(buf, len); }), l.prepared / "diff",
            m_limits);
        if (applied) return std::optional<image::ApplyResult>(std::move(*applied));
        // Unverified bytes failed to extract. If the blob itself is bad, its digest mismatch
        // is the error to report (the fetcher's), so wait for the verdict; the extraction's
        // own error counts only when what it read is what verified. Bytes that were replaced
        // (a junk prefix kept from an earlier process, a restart) are extracted again.
        auto file = BERTH_TRY(l.stream->waitCompleted());
        if (!reader.outdated()) return fail(applied.error());
        BERTH_TRYV(sys::removeAll(l.prepared / "diff"));
        BERTH_TRYV(sys::makeDirs(l.prepared / "diff"));
        l.blobFile = file;
        return std::optional<image::ApplyResult>();
    }

    VoidResult extract(LayerPlan& l) {
        std::string id = l.desc.digest.shortId();
        m_rep.layer(id, LayerState::Extracting, 0, l.desc.size);
        BERTH_TRYV_CTX(sys::makeDirs(l.prepared / "diff"), l.what);
        std::optional<image::ApplyResult> streamed;
        if (l.stream) streamed = BERTH_TRY_CTX(extractStreaming(l), l.what);
        if (!streamed) {
            auto opened = sys::openFile(l.blobFile, O_RDONLY);
            // A concurrent pull of the same blob may have committed the shared partial file.
            if (!opened && opened.error().sysErrno() == ENOENT && sys::exists(l.storeBlob))
                opened = sys::openFile(l.storeBlob, O_RDONLY);
            auto fd = BERTH_TRY_CTX(std::move(opened), l.what);
            streamed = BERTH_TRY_CTX(image::applyLayer(fd.borrow(), l.prepared / "diff", m_limits), l.what);
        }
        auto& applied = *streamed;
        if (applied.diffId != l.diffId)
            return fail(Errc::Corrupt,
                        fmt::format("{}: its content hashes to {} but the image config says {}",
                                    l.what, applied.diffId.str(), l.diffId.str()));
        l.size = applied.uncompressedBytes;
        BERTH_TRYV_CTX(image::writeLayerMeta(l.prepared, image::LayerMeta{l.chainId, l.diffId, l.parent, l.size}),
                       l.what);
        m_rep.layer(id, LayerState::PullComplete, l.desc.size, l.desc.size);
        return {};
    }

    Reporter& m_rep;
    std::stop_source& m_stopAll;
    const image::ApplyLimits m_limits;  // with the engine's mode (rootless: in its user namespace)
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<LayerPlan*> m_queue;
    bool m_closing = false;
    std::optional<Error> m_error;
    std::vector<std::thread> m_threads;
};

// Creates tmp/partial/ and drops what nobody resumed for a week (unless a pull holds it).
VoidResult preparePartials(const fs::path& dir) {
    if (::mkdir(dir.c_str(), 0700) < 0 && errno != EEXIST) return failErrno("mkdir " + dir.string());
    std::error_code ec;
    auto now = fs::file_time_type::clock::now();
    for (auto& e : fs::directory_iterator(dir, ec)) {
        std::error_code tec;
        auto age = now - fs::last_write_time(e.path(), tec);
        if (tec || age < std::chrono::hours(24 * 7)) continue;
        int fd = ::open(e.path().c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0) continue;
        sys::UniqueFd guard(fd);
        if (::flock(fd, LOCK_EX | LOCK_NB) == 0) ::unlink(e.path().c_str());
    }
    return {};
}

Result<std::vector<Digest>> diffIdsOf(const std::string& configText, const std::string& what) {
    auto j = nlohmann::json::parse(configText, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return fail(Errc::Corrupt, what + ": image config is not a JSON object");
    std::vector<Digest> out;
    if (!j.contains("rootfs") || !j["rootfs"].is_object() || !j["rootfs"].contains("diff_ids") ||
        !j["rootfs"]["diff_ids"].is_array())
        return fail(Errc::Corrupt, what + ": image config has no rootfs.diff_ids");
    for (auto& d : j["rootfs"]["diff_ids"]) {
        if (!d.is_string()) return fail(Errc::Corrupt, what + ": a diff id is not a string");
        out.push_back(BERTH_TRY_CTX(Digest::parse(d.get<std::string>()), what + ": diff id"));
    }
    return out;
}

struct Resolved {
    std::unique_ptr<RegistryClient> client;
    std::string topDigestStr;  // the digest the reference resolves to
    RegistryClient::FetchedManifest manifest;  // the platform's image manifest
    Manifest parsed;
};

Result<Resolved> resolve(const image::Reference& ref, const RegistriesConfig& cfg, const PullOptions& options,
                         const ConfigSettings& config, std::stop_token stop) {
    std::string refText = ref.familiar();
    std::vector<std::string> hosts;
    if (auto it = cfg.mirrors.find(ref.registry); it != cfg.mirrors.end()) hosts = it->second;
    hosts.push_back(ref.registry);
    std::optional<Error> lastError;
    for (size_t h = 0; h < hosts.size(); ++h) {
        bool mirror = h + 1 < hosts.size();
        ClientOptions co;
        co.tlsVerify = options.tlsVerify;
        co.insecure = cfg.isInsecure(hosts[h]);
        co.plainHttp = cfg.allowsPlainHttp(hosts[h]);
        co.certDir = options.certDir;
        co.credentials = options.credentials ? options.credentials
                                             : credentialsForHost(options.credentialsByRegistry, hosts[h]);
        co.dockerConfig = options.dockerConfig;
        co.config = config;
        co.maxRetries = options.maxRetries;
        co.retryBase = options.retryBase;
        Resolved res;
        res.client = std::make_unique<RegistryClient>(hosts[h], co);
        auto attempt = [&]() -> VoidResult {
            std::string reference = ref.digest ? ref.digest->str() : ref.tag;
            auto top = BERTH_TRY(res.client->getManifest(ref.repository, reference, stop));
            res.topDigestStr = top.digest.str();
            auto type = BERTH_TRY_CTX(detectMediaType(top.bytes, top.contentType), "manifest of " + refText);
            if (isIndexMediaType(type)) {
                auto index = BERTH_TRY_CTX(parseIndex(top.bytes, top.contentType), "manifest list of " + refText);
                auto wanted = options.platform.value_or(hostPlatform());
                auto entry = BERTH_TRY(selectPlatform(index, wanted, refText));
                res.manifest = BERTH_TRY(res.client->getManifest(ref.repository, entry.digest.str(), stop));
            } else {
                res.manifest = std::move(top);
            }
            res.parsed = BERTH_TRY_CTX(parseManifest(res.manifest.bytes, res.manifest.contentType),
                                       "manifest of " + refText);
            return {};
        };
        auto r = attempt();
        if (r) return res;
        lastError = r.error();
        // A mirror that fails is skipped; the origin's error is the one reported.
        if (!mirror) break;
    }
    return fail(*lastError);
}

// The image's config: from the store when we have it, else from the registry (capped,
// verified), with its layers' diff ids. A single-platform image asked for another platform
// is refused like docker does (a manifest list was resolved to the right entry already).
struct ImageConfigText {
    std::string text;
    std::vector<Digest> diffIds;
    image::ImageConfig parsed;
};

Result<ImageConfigText> fetchConfig(const store::StoreLayout& layout, RegistryClient& client,
                                    const image::Reference& ref, const Manifest& manifest,
                                    const PullOptions& options, std::stop_token stop, const std::string& ctx) {
    const std::string refText = ref.familiar();
    ImageConfigText config;
    Digest configDigest = manifest.config.digest;
    if (image::hasBlob(layout, configDigest))
        config.text = BERTH_TRY_CTX(image::readBlob(layout, configDigest, kMaxConfigBytes), ctx);
    else
        config.text = BERTH_TRY_CTX(client.getBlob(ref.repository, configDigest, kMaxConfigBytes, stop),
                                    ctx + ": image config");
    config.diffIds = BERTH_TRY_CTX(diffIdsOf(config.text, "image " + refText), ctx);
    if (config.diffIds.size() != manifest.layers.size())
        return fail(Errc::Corrupt, fmt::format("{}: the manifest lists {} layers but the config {}",
                                               ctx, manifest.layers.size(), config.diffIds.size()));
    config.parsed = BERTH_TRY_CTX(image::parseImageConfig(config.text), ctx);
    const auto& imageConfig = config.parsed;
    std::string variant;
    if (auto cj = nlohmann::json::parse(config.text, nullptr, false); cj.is_object() && cj.contains("variant") &&
                                                                        cj["variant"].is_string())
        variant = cj["variant"].get<std::string>();
    if (options.platform && !imageConfig.architecture.empty() &&
        !platformMatches(*options.platform, Platform{imageConfig.os.empty() ? "linux" : imageConfig.os,
                                                     imageConfig.architecture, variant})) {
        return fail(Errc::NotFound,
                    fmt::format("{}: image was found but its platform ({}/{}) does not match the "
                                "requested {}", ctx, imageConfig.os, imageConfig.architecture,
                                options.platform->str()));
    }
    return config;
}

// What each layer needs (its blob downloaded? its directory made?), reported as waiting or
// already there; `byBlob` gets the layers per blob to download.
std::vector<LayerPlan> planLayers(const store::StoreLayout& layout, const Manifest& manifest,
                                  const std::vector<Digest>& diffIds, const std::string& refText,
                                  const fs::path& partials, const fs::path& work, Reporter& rep) {
    auto chains = image::chainIds(diffIds);
    std::vector<LayerPlan> plans(manifest.layers.size());
    for (size_t i = 0; i < plans.size(); ++i) {
        auto& p = plans[i];
        p.index = i;
        p.desc = manifest.layers[i];
        p.diffId = diffIds[i];
        p.chainId = chains[i];
        if (i > 0) p.parent = chains[i - 1];
        p.what = fmt::format("layer {} ({}) of {}", i + 1, p.desc.digest.shortId(), refText);
        bool haveLayer = image::layerComplete(layout, p.chainId);
        bool haveBlob = image::hasBlob(layout, p.desc.digest);
        p.needBlob = !haveBlob;
        p.needExtract = !haveLayer;
        p.storeBlob = image::blobPath(layout, p.desc.digest);
        p.blobFile = haveBlob ? p.storeBlob : partials / p.desc.digest.hex();
        p.prepared = work / fmt::format("layer-{}", i);
        if (haveLayer) {
            auto meta = image::readLayerMeta(layout, p.chainId);
            if (meta) p.size = meta->size;
        }
        rep.layer(p.desc.digest.shortId(), haveLayer && haveBlob ? LayerState::AlreadyExists
                                                                 : LayerState::Waiting,
                  0, p.desc.size);
    }
    return plans;
}

// The fetcher's callbacks: progress to the reporter, bytes to the streams that extract
// while downloading, complete blobs to the extractor.
BlobFetchCallbacks fetchCallbacks(const std::vector<LayerPlan*>& jobLayerRef,
                                  std::map<std::string, std::vector<LayerPlan*>>& byBlobRef,
                                  std::map<std::string, std::unique_ptr<BlobStream>>& streamsRef,
                                  Extractor& extractorRef, Reporter& repRef) {
    // The callbacks run on the fetcher's threads while the caller's objects live.
    auto* jobLayer = &jobLayerRef;
    auto* byBlob = &byBlobRef;
    auto* extractor = &extractorRef;
    auto* rep = &repRef;
    auto stream = [streams = &streamsRef, jobLayer](size_t id) -> BlobStream* {
        auto it = streams->find((*jobLayer)[id]->desc.digest.hex());
        return it == streams->end() ? nullptr : it->second.get();
    };
    BlobFetchCallbacks cb;
    cb.started = [=](size_t id) {
        auto* p = (*jobLayer)[id];
        rep->layer(p->desc.digest.shortId(), LayerState::Downloading, 0, p->desc.size);
        for (auto* user : (*byBlob)[p->desc.digest.hex()])
            if (user->needExtract && user->stream) extractor->push(user);
    };
    cb.opened = [=](size_t id, const fs::path& file, uint64_t have) {
        if (auto* s = stream(id)) s->opened(file, have);
    };
    cb.written = [=](size_t id, uint64_t have) {
        if (auto* s = stream(id)) s->written(have);
    };
    cb.restarted = [=](size_t id) {
        if (auto* s = stream(id)) s->restarted();
    };
    cb.progress = [=](size_t id, uint64_t have, uint64_t total) {
        rep->layer((*jobLayer)[id]->desc.digest.shortId(), LayerState::Downloading, have, total);
    };
    cb.retrying = [=](size_t id, const std::string& why) {
        rep->layer((*jobLayer)[id]->desc.digest.shortId(), LayerState::Retrying, 0, (*jobLayer)[id]->desc.size, why);
    };
    cb.completed = [=](size_t id, const fs::path& file) {
        auto* p = (*jobLayer)[id];
        auto& users = (*byBlob)[p->desc.digest.hex()];
        for (auto* user : users) user->blobFile = file;
        std::string sid = p->desc.digest.shortId();
        rep->layer(sid, LayerState::Verifying, p->desc.size, p->desc.size);
        rep->layer(sid, LayerState::DownloadComplete, p->desc.size, p->desc.size);
        if (auto* s = stream(id)) s->completed(file, p->desc.size);
        bool any = false;
        for (auto* user : users)
            if (user->needExtract) {
                if (!user->stream) extractor->push(user);
                any = true;
            }
        if (!any) rep->layer(sid, LayerState::PullComplete, p->desc.size, p->desc.size);
    };
    return cb;
}

// Downloads the blobs the plans need and extracts the layers, in parallel: a layer is
// extracted while its blob downloads (not in rootless mode: the layer helper there reads a
// file descriptor). The first failure stops everything; its error is returned.
VoidResult downloadAndExtract(RegistryClient& client, const image::Reference& ref, std::vector<LayerPlan>& plans,
                              const fs::path& work, const PullOptions& options, const EngineSettings& settings,
                              Reporter& rep, std::stop_token stop) {
    std::map<std::string, std::vector<LayerPlan*>> byBlob;  // blob hex -> layers using it
    for (auto& p : plans)
        if (p.needBlob) byBlob[p.desc.digest.hex()].push_back(&p);
    std::map<std::string, std::unique_ptr<BlobStream>> streams;  // one per downloaded blob
    if (!settings.rootless())
        for (auto& [hex, users] : byBlob) {
            auto& st = streams[hex];
            st = std::make_unique<BlobStream>();
            for (auto* user : users) user->stream = st.get();
        }

    // One stop for everything: the caller's, or the first failure of a worker.
    std::stop_source stopAll;
    std::stop_callback forward(stop, [&] { stopAll.request_stop(); });
    std::optional<Error> fetchError;
    int toExtract = int(std::count_if(plans.begin(), plans.end(), [](auto& p) { return p.needExtract; }));
    int threads = options.extractThreads > 0 ? options.extractThreads : std::clamp(toExtract, 1, 8);
    // Written data goes to the disk while the pull runs, not all at the commit's sync.
    BackgroundSync flusher(work);
    Extractor extractor(threads, rep, stopAll, image::ApplyLimits::forEngine(settings));
    for (auto& p : plans)
        if (p.needExtract && !p.needBlob) extractor.push(&p);

    std::vector<BlobJob> jobs;
    std::vector<LayerPlan*> jobLayer;
    for (auto& [hex, users] : byBlob) {
        LayerPlan* p = users.front();
        BlobJob j;
        j.id = jobs.size();
        j.repo = ref.repository;
        j.digest = p->desc.digest;
        j.size = p->desc.size;
        j.file = p->blobFile;
        j.fallbackFile = work / ("blob-" + p->desc.digest.hex());
        j.what = p->what;
        jobs.push_back(std::move(j));
        jobLayer.push_back(p);
    }
    FetchOptions fo;
    fo.parallel = std::max(1, options.parallelDownloads);
    fo.maxRetries = options.maxRetries;
    fo.retryBase = options.retryBase;
    if (!jobs.empty()) {
        auto r = fetchBlobs(client, std::move(jobs), fetchCallbacks(jobLayer, byBlob, streams, extractor, rep), fo,
                            stopAll.get_token());
        if (!r) {
            fetchError = r.error();
            stopAll.request_stop();
        }
    }
    // Readers still waiting for bytes that will not come.
    for (auto& [hex, st] : streams)
        st->aborted(fetchError ? *fetchError : Error(Errc::Cancelled, "pull cancelled"));
    auto extractError = extractor.finish();
    // An extraction failure stops the downloads; its error, not their "cancelled", is
    // the one to report.
    if (extractError && (!fetchError || (fetchError->code() == Errc::Cancelled && !stop.stop_requested())))
        fetchError = extractError;
    flusher.stop();
    if (fetchError) return std::unexpected(*fetchError);
    return {};
}

// What the pull commits: blobs (layers, config, manifest), layers, and the image record
// with its name.
Result<image::CommitSet> commitSet(const std::vector<LayerPlan>& plans, const ImageConfigText& config,
                                   const Resolved& resolved, const std::string& name,
                                   const std::string& repoDigest, const fs::path& work, const std::string& ctx) {
    image::CommitSet set;
    image::PreparedImage img;
    for (auto& p : plans) {
        if (p.needBlob &&
            std::none_of(set.blobs.begin(), set.blobs.end(), [&](auto& b) { return b.digest == p.desc.digest; }))
            set.blobs.push_back({p.desc.digest, p.blobFile});
        if (p.needExtract) set.layers.push_back({p.chainId, p.prepared});
        image::LayerRecord lr;
        lr.blob = p.desc.digest;
        lr.mediaType = p.desc.mediaType.empty() ? media::OciLayerGzip : p.desc.mediaType;
        lr.blobSize = p.desc.size;
        lr.diffId = p.diffId;
        lr.chainId = p.chainId;
        lr.size = p.size;
        img.record.layers.push_back(lr);
    }
    const Digest& configDigest = resolved.parsed.config.digest;
    BERTH_TRYV_CTX(sys::writeFileAtomic(work / "config.json", config.text), ctx);
    BERTH_TRYV_CTX(sys::writeFileAtomic(work / "manifest.json", resolved.manifest.bytes), ctx);
    set.blobs.push_back({configDigest, work / "config.json"});
    set.blobs.push_back({resolved.manifest.digest, work / "manifest.json"});
    img.record.id = configDigest;
    img.record.manifest = resolved.manifest.digest;
    img.record.created = config.parsed.created;
    img.record.added = image::nowRfc3339();
    img.record.repoDigests.push_back(repoDigest);
    if (!name.empty()) img.names.push_back(name);
    set.images.push_back(std::move(img));
    return set;
}

} // namespace

Result<PullResult> pullImage(image::ImageStore& store, std::string_view text,
                             const PullOptions& options, const PullProgressFn& progress,
                             std::stop_token stop) {
    const auto& layout = store.layout();
    auto ref = BERTH_TRY(image::Reference::parse(text));
    std::string refText = ref.familiar();
    std::string ctx = "pull " + refText;
    auto cfg = BERTH_TRY_CTX(RegistriesConfig::load(layout.root, layout.settings.config), ctx);
    Reporter rep(progress);

    auto resolved = BERTH_TRY_CTX(resolve(ref, cfg, options, layout.settings.config, stop), ctx);
    auto& client = *resolved.client;
    const Manifest& manifest = resolved.parsed;
    // docker prints the repository path: "latest: Pulling from library/busybox".
    const std::string& repoShort = ref.repository;
    rep.message(PullProgress::Kind::Resolved,
                fmt::format("{}: Pulling from {}", ref.digest ? ref.digest->str() : ref.tag, repoShort));
    auto config = BERTH_TRY(fetchConfig(layout, client, ref, manifest, options, stop, ctx));
    Digest configDigest = manifest.config.digest;

    std::string name = ref.digest ? "" : ref.str();
    std::string repoDigest = ref.name() + "@" + resolved.topDigestStr;

    // Up to date already? Same id under this name with every layer present.
    auto index = BERTH_TRY_CTX(image::readIndex(layout), ctx);
    bool present = false;
    if (auto* rec = index.find(configDigest)) {
        present = true;
        for (auto& l : rec->layers)
            present = present && image::layerComplete(layout, l.chainId) && image::hasBlob(layout, l.blob);
    }

    auto work = BERTH_TRY_CTX(image::WorkDir::create(layout, "pull"), ctx);
    // Downloads go to tmp/partial/<hex>, which outlives this process: a pull killed
    // mid-way resumes there next time (verified from byte 0 again).
    fs::path partials = image::partialDownloadsDir(layout);
    BERTH_TRYV_CTX(preparePartials(partials), ctx);
    auto plans = planLayers(layout, manifest, config.diffIds, refText, partials, work.path(), rep);
    auto fetched = downloadAndExtract(client, ref, plans, work.path(), options, layout.settings, rep, stop);
    if (stop.stop_requested()) return fail(Errc::Cancelled, ctx + ": cancelled");
    if (!fetched) return fail(fetched.error().withContext(ctx));

    auto set = BERTH_TRY(commitSet(plans, config, resolved, name, repoDigest, work.path(), ctx));
    bool nameMoves = !name.empty() && (!index.names.count(name) || index.names[name] != configDigest);
    {
        auto dfd = BERTH_TRY_CTX(sys::openFile(work.path(), O_RDONLY | O_DIRECTORY), ctx);
        if (::syncfs(dfd.get()) < 0) return failErrno(ctx + ": syncfs");
    }
    BERTH_TRYV_CTX(store.commitPrepared(work, set), ctx);

    store::Event e;
    e.type = "image";
    e.action = "pull";
    e.id = configDigest.str();
    e.name = name.empty() ? repoDigest : image::familiarName(name);
    (void)store::appendEvent(layout, std::move(e));

    PullResult result;
    result.name = name.empty() ? repoDigest : name;
    result.familiar = name.empty() ? ref.familiarName() + "@" + resolved.topDigestStr : ref.familiar();
    result.id = configDigest;
    result.digest = BERTH_TRY(Digest::parse(resolved.topDigestStr));
    result.downloaded = !present || nameMoves;
    return result;
}

} // namespace berth::registry
