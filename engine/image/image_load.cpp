// ImageStore::load: docker-archive (manifest.json) and OCI image layout archives.
#include "image/archive_contents.h"
#include "sys/json_read.h"
#include "image/blob_store.h"
#include "image/config_json.h"
#include "image/image_commit.h"
#include "image/image_store.h"
#include "image/layer_apply.h"
#include "image/layer_store.h"
#include "image/layer_stream.h"
#include "image/work_dir.h"
#include "store/events.h"
#include "sys/fs.h"

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>
#include <map>
#include <set>

namespace berth::image {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr std::string_view kOciIndex = "application/vnd.oci.image.index.v1+json";
constexpr std::string_view kDockerList = "application/vnd.docker.distribution.manifest.list.v2+json";
constexpr std::string_view kOciManifest = "application/vnd.oci.image.manifest.v1+json";
constexpr std::string_view kOciConfig = "application/vnd.oci.image.config.v1+json";

struct CandidateLayer {
    std::string entry;  // archive path, for messages
    const ArchiveFile* file = nullptr;
    std::string mediaType;
};

struct Candidate {
    std::string configEntry;
    const ArchiveFile* config = nullptr;
    std::vector<CandidateLayer> layers;
    std::string manifestEntry;              // OCI: the manifest blob
    const ArchiveFile* manifest = nullptr;  // OCI only
    std::vector<std::string> names;         // full references
};

std::string layerMediaTypeFor(const fs::path& file) {
    std::string c = sniffCompression(file);
    if (c == "gzip") return "application/vnd.oci.image.layer.v1.tar+gzip";
    if (c == "zstd") return "application/vnd.oci.image.layer.v1.tar+zstd";
    return "application/vnd.oci.image.layer.v1.tar";
}

// "blobs/sha256/<hex>" or "<hex>.json" claim a digest; check the content has it.
VoidResult checkClaimedDigest(const std::string& entry, const ArchiveFile& f) {
    fs::path p(entry);
    std::string stem = p.filename().string();
    if (stem.ends_with(".json")) stem.resize(stem.size() - 5);
    bool claims = p.parent_path().filename() == "sha256" || (p.extension() == ".json" && Digest::isHex(stem));
    if (claims && Digest::isHex(stem) && stem != f.digest.hex())
        return fail(Errc::Corrupt, fmt::format("archive entry `{}`: digest mismatch: content is {}",
                                               entry, f.digest.str()));
    return {};
}

Result<std::vector<Candidate>> dockerCandidates(const ArchiveContents& c) {
    auto text = BERTH_TRY(c.readText("manifest.json"));
    auto j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_array())
        return fail(Errc::Corrupt, "manifest.json is not a JSON array");
    std::vector<Candidate> out;
    for (auto& m : j) {
        if (!m.is_object() || !m.contains("Config") || !m["Config"].is_string() ||
            !m.contains("Layers") || !m["Layers"].is_array())
            return fail(Errc::Corrupt, "manifest.json: an entry lacks Config or Layers");
        Candidate cand;
        cand.configEntry = m["Config"].get<std::string>();
        cand.config = BERTH_TRY_CTX(c.find(cand.configEntry), "manifest.json");
        BERTH_TRYV(checkClaimedDigest(cand.configEntry, *cand.config));
        for (auto& l : m["Layers"]) {
            if (!l.is_string()) return fail(Errc::Corrupt, "manifest.json: a layer is not a path");
            CandidateLayer cl;
            cl.entry = l.get<std::string>();
            cl.file = BERTH_TRY_CTX(c.find(cl.entry), "manifest.json");
            BERTH_TRYV(checkClaimedDigest(cl.entry, *cl.file));
            cl.mediaType = layerMediaTypeFor(cl.file->stored);
            cand.layers.push_back(std::move(cl));
        }
        if (m.contains("RepoTags") && m["RepoTags"].is_array())
            for (auto& t : m["RepoTags"]) {
                if (!t.is_string()) continue;
                auto name = canonicalName(t.get<std::string>());
                if (!name) return fail(name.error().withContext("manifest.json: RepoTags"));
                cand.names.push_back(*name);
            }
        out.push_back(std::move(cand));
    }
    return out;
}

// An OCI descriptor's blob, checked against the descriptor's digest and size.
Result<std::pair<std::string, const ArchiveFile*>> ociBlob(const ArchiveContents& c, const json& desc) {
    if (!desc.is_object() || !desc.contains("digest") || !desc["digest"].is_string())
        return fail(Errc::Corrupt, "descriptor without a digest");
    auto d = BERTH_TRY(Digest::parse(desc["digest"].get<std::string>()));
    std::string entry = "blobs/sha256/" + d.hex();
    const ArchiveFile* f = BERTH_TRY(c.find(entry));
    if (f->digest != d)
        return fail(Errc::Corrupt, fmt::format("archive entry `{}`: digest mismatch: content is {}",
                                               entry, f->digest.str()));
    if (desc.contains("size") && desc["size"].is_number_unsigned() && desc["size"].get<uint64_t>() != f->size)
        return fail(Errc::Corrupt, fmt::format("archive entry `{}`: size {} but the descriptor says {}",
                                               entry, f->size, desc["size"].get<uint64_t>()));
    return std::make_pair(entry, f);
}

Result<json> ociJson(const ArchiveContents& c, const std::string& entry) {
    auto text = BERTH_TRY(c.readText(entry));
    auto j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return fail(Errc::Corrupt, fmt::format("archive entry `{}` is not a JSON object", entry));
    return j;
}

// Follows nested indexes (multi-platform) down to the manifest for this host.
Result<std::pair<std::string, const ArchiveFile*>> ociManifestFor(const ArchiveContents& c,
                                                                  const json& desc, int depth) {
    if (depth > 4) return fail(Errc::Corrupt, "image indexes nested too deeply");
    auto [entry, file] = BERTH_TRY(ociBlob(c, desc));
    std::string mt = sys::jsonString(desc, "mediaType");
    if (mt != kOciIndex && mt != kDockerList) return std::make_pair(entry, file);
    json idx = BERTH_TRY(ociJson(c, entry));
    if (!idx.contains("manifests") || !idx["manifests"].is_array() || idx["manifests"].empty())
        return fail(Errc::Corrupt, fmt::format("index `{}` lists no manifests", entry));
    const json* pick = nullptr;
    for (auto& m : idx["manifests"]) {
        const json& p = sys::jsonObject(m, "platform");
        if (sys::jsonString(p, "os") == "linux" && sys::jsonString(p, "architecture") == hostArchitecture()) {
            pick = &m;
            break;
        }
    }
    if (!pick) pick = &idx["manifests"][0];
    return ociManifestFor(c, *pick, depth + 1);
}

Result<std::vector<Candidate>> ociCandidates(const ArchiveContents& c) {
    auto layoutText = BERTH_TRY(c.readText("oci-layout"));
    auto layoutJ = json::parse(layoutText, nullptr, false);
    if (layoutJ.is_discarded() || !layoutJ.is_object() || !layoutJ.contains("imageLayoutVersion"))
        return fail(Errc::Corrupt, "oci-layout is not an OCI layout file");
    json index = BERTH_TRY(ociJson(c, "index.json"));
    if (!index.contains("manifests") || !index["manifests"].is_array())
        return fail(Errc::Corrupt, "index.json lists no manifests");
    std::vector<Candidate> out;
    for (auto& desc : index["manifests"]) {
        Candidate cand;
        auto [mEntry, mFile] = BERTH_TRY_CTX(ociManifestFor(c, desc, 0), "index.json");
        cand.manifestEntry = mEntry;
        cand.manifest = mFile;
        json manifest = BERTH_TRY(ociJson(c, mEntry));
        std::string ctx = fmt::format("manifest `{}`", mEntry);
        if (!manifest.contains("config") || !manifest.contains("layers") || !manifest["layers"].is_array())
            return fail(Errc::Corrupt, ctx + ": no config or layers");
        auto [cEntry, cFile] = BERTH_TRY_CTX(ociBlob(c, manifest["config"]), ctx + ": config");
        cand.configEntry = cEntry;
        cand.config = cFile;
        for (auto& l : manifest["layers"]) {
            auto [lEntry, lFile] = BERTH_TRY_CTX(ociBlob(c, l), ctx + ": layer");
            std::string mt = sys::jsonString(l, "mediaType");
            if (mt.find("nondistributable") != std::string::npos || mt.find("foreign") != std::string::npos)
                return fail(Errc::Unsupported, ctx + ": foreign layer " + lEntry);
            cand.layers.push_back({lEntry, lFile, mt.empty() ? layerMediaTypeFor(lFile->stored) : mt});
        }
        const json& ann = sys::jsonObject(desc, "annotations");
        std::string refName = sys::jsonString(ann, "io.containerd.image.name");
        if (refName.empty()) refName = sys::jsonString(ann, "org.opencontainers.image.ref.name");
        // A bare tag ("latest") names no repository: such images load untagged.
        if (!refName.empty() && (refName.find('/') != std::string::npos || refName.find(':') != std::string::npos)) {
            auto name = canonicalName(refName);
            if (!name) return fail(name.error().withContext("index.json: ref.name"));
            cand.names.push_back(*name);
        }
        out.push_back(std::move(cand));
    }
    return out;
}

// A layer the store (or this load) has extracted already: its size, once this blob is
// checked to really be that layer.
Result<uint64_t> extractedLayerSize(const store::StoreLayout& layout, const LayerRecord& lr, const ArchiveFile& file,
                                    const std::map<Digest, uint64_t>& preparedSizes, const std::string& lctx) {
    if (lr.blob != lr.diffId) {
        Digest actual = BERTH_TRY_CTX(uncompressedDigest(file.stored), lctx);
        if (actual != lr.diffId)
            return fail(Errc::Corrupt, fmt::format("{}: content is {} but the config says {}",
                                                   lctx, actual.str(), lr.diffId.str()));
    }
    if (auto it = preparedSizes.find(lr.chainId); it != preparedSizes.end()) return it->second;
    auto meta = BERTH_TRY_CTX(readLayerMeta(layout, lr.chainId), lctx);
    return meta.size;
}

// The OCI manifest of an image whose archive has none (docker-archive).
std::string ociManifestText(const std::vector<LayerRecord>& layerRecords, const ArchiveFile& config) {
    json layers = json::array();
    for (auto& l : layerRecords)
        layers.push_back({{"mediaType", l.mediaType}, {"digest", l.blob.str()}, {"size", l.blobSize}});
    json m{{"schemaVersion", 2},
           {"mediaType", kOciManifest},
           {"config", {{"mediaType", kOciConfig}, {"digest", config.digest.str()}, {"size", config.size}}},
           {"layers", layers}};
    return m.dump();
}

} // namespace

Result<LoadResult> ImageStore::load(const fs::path& archive, const LoadOptions& options) {
    std::string ctx = "load `" + archive.string() + "`";
    auto progress = [&](const std::string& m) {
        if (options.progress) options.progress(m);
    };
    {
        auto lock = BERTH_TRY_CTX(lockForMutation(), ctx);  // clean what a dead load left
    }
    auto work = BERTH_TRY_CTX(WorkDir::create(m_layout, "load"), ctx);
    BERTH_TRYV_CTX(sys::makeDirs(work.path() / "archive"), ctx);
    BERTH_TRYV_CTX(sys::makeDirs(work.path() / "layers"), ctx);
    progress("Reading archive");
    auto contents = BERTH_TRY_CTX(
        ArchiveContents::extract(archive, work.path() / "archive", options.limits, options.stop), ctx);

    std::vector<Candidate> cands;
    if (contents.has("manifest.json"))
        cands = BERTH_TRY_CTX(dockerCandidates(contents), ctx);
    else if (contents.has("index.json"))
        cands = BERTH_TRY_CTX(ociCandidates(contents), ctx);
    else
        return fail(Errc::Corrupt, ctx + ": not an image archive (no manifest.json or index.json)");
    if (cands.empty()) return fail(Errc::Corrupt, ctx + ": the archive holds no images");

    CommitSet set;
    std::map<Digest, uint64_t> preparedSizes;  // chain id -> size, layers prepared here
    int manifestCount = 0;
    for (auto& cand : cands) {
        PreparedImage img;
        img.names = cand.names;
        std::string cfgText = BERTH_TRY_CTX(contents.readText(cand.configEntry), ctx);
        ImageConfig cfg = BERTH_TRY_CTX(parseImageConfig(cfgText), ctx + ": config `" + cand.configEntry + "`");
        if (cfg.diffIds.size() != cand.layers.size())
            return fail(Errc::Corrupt, fmt::format("{}: config `{}` lists {} layers but the manifest {}",
                                                   ctx, cand.configEntry, cfg.diffIds.size(),
                                                   cand.layers.size()));
        std::vector<Digest> diffIds;
        for (auto& d : cfg.diffIds) diffIds.push_back(*Digest::parse(d));
        auto chains = chainIds(diffIds);
        img.record.id = cand.config->digest;
        img.record.created = cfg.created;
        img.record.added = nowRfc3339();
        set.blobs.push_back({cand.config->digest, cand.config->stored});

        for (size_t i = 0; i < cand.layers.size(); ++i) {
            if (options.stop.stop_requested()) return fail(Errc::Cancelled, ctx + ": cancelled");
            auto& cl = cand.layers[i];
            std::string lctx = fmt::format("{}: layer {} (`{}`)", ctx, i + 1, cl.entry);
            LayerRecord lr;
            lr.blob = cl.file->digest;
            lr.blobSize = cl.file->size;
            lr.mediaType = cl.mediaType;
            lr.diffId = diffIds[i];
            lr.chainId = chains[i];
            if (preparedSizes.count(lr.chainId) > 0 || layerComplete(m_layout, lr.chainId)) {
                lr.size = BERTH_TRY(extractedLayerSize(m_layout, lr, *cl.file, preparedSizes, lctx));
            } else {
                progress(fmt::format("Extracting layer {}/{} {}", i + 1, cand.layers.size(),
                                     lr.diffId.shortId()));
                fs::path dir = work.path() / "layers" / lr.chainId.hex();
                BERTH_TRYV_CTX(sys::makeDirs(dir / "diff"), lctx);
                auto fd = BERTH_TRY_CTX(sys::openFile(cl.file->stored, O_RDONLY), lctx);
                auto applied = BERTH_TRY_CTX(applyLayer(fd.borrow(), dir / "diff", ApplyLimits::forEngine(m_layout.settings)), lctx);
                if (applied.diffId != lr.diffId)
                    return fail(Errc::Corrupt, fmt::format("{}: content is {} but the config says {}",
                                                           lctx, applied.diffId.str(), lr.diffId.str()));
                lr.size = applied.uncompressedBytes;
                LayerMeta meta{lr.chainId, lr.diffId,
                               i > 0 ? std::optional<Digest>(chains[i - 1]) : std::nullopt, lr.size};
                BERTH_TRYV_CTX(writeLayerMeta(dir, meta), lctx);
                set.layers.push_back({lr.chainId, dir});
                preparedSizes[lr.chainId] = lr.size;
            }
            set.blobs.push_back({lr.blob, cl.file->stored});
            img.record.layers.push_back(std::move(lr));
        }

        if (cand.manifest) {
            img.record.manifest = cand.manifest->digest;
            set.blobs.push_back({cand.manifest->digest, cand.manifest->stored});
        } else {
            // docker-archive has no manifest: make the OCI manifest a registry would serve.
            std::string text = ociManifestText(img.record.layers, *cand.config);
            fs::path file = work.path() / fmt::format("manifest-{}.json", manifestCount++);
            BERTH_TRYV_CTX(sys::writeFileAtomic(file, text), ctx);
            img.record.manifest = Digest::ofBytes(text);
            set.blobs.push_back({img.record.manifest, file});
        }
        set.images.push_back(std::move(img));
    }

    // Extracted files reach the disk before any marker says the layer is whole.
    {
        auto fd = BERTH_TRY_CTX(sys::openFile(work.path(), O_RDONLY | O_DIRECTORY), ctx);
        if (::syncfs(fd.get()) < 0) return failErrno(ctx + ": syncfs");
    }
    if (options.stop.stop_requested()) return fail(Errc::Cancelled, ctx + ": cancelled");

    LoadResult result;
    CommitOutcome outcome;
    {
        auto lock = BERTH_TRY_CTX(lockForMutation(), ctx);
        outcome = BERTH_TRY_CTX(commitImages(m_layout, work, set), ctx);
    }
    for (auto& img : set.images) {
        LoadResult::Loaded l;
        l.id = img.record.id;
        for (auto& n : img.names) l.names.push_back(familiarName(n));
        store::Event e;
        e.type = "image";
        e.action = "load";
        e.id = l.id.str();
        e.name = l.names.empty() ? "" : l.names.front();
        (void)store::appendEvent(m_layout, std::move(e));
        result.images.push_back(std::move(l));
    }
    return result;
}

} // namespace berth::image
