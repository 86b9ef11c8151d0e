// ImageStore: history, inspect and disk usage.
#include "image/blob_store.h"
#include "sys/json_read.h"
#include "image/config_json.h"
#include "image/image_commit.h"
#include "image/image_index.h"
#include "image/image_store.h"
#include "image/layer_store.h"
#include "image/reference.h"

#include <fmt/format.h>
#include <set>

namespace berth::image {

using nlohmann::json;

Result<std::vector<HistoryRow>> ImageStore::history(const Digest& id) const {
    ImageIndex index = BERTH_TRY(readIndex(m_layout));
    const ImageRecord* rec = index.find(id);
    if (!rec) return fail(Errc::NotFound, "No such image: " + id.str());
    ImageConfig cfg = BERTH_TRY(config(id));
    std::vector<HistoryRow> rows;
    size_t layer = 0;
    if (cfg.history.empty()) {
        for (auto& l : rec->layers) rows.push_back({"<missing>", cfg.created, "", "", l.size, false});
    } else {
        for (auto& h : cfg.history) {
            HistoryRow r{"<missing>", h.created, h.createdBy, h.comment, 0, h.emptyLayer};
            if (!h.emptyLayer && layer < rec->layers.size()) r.size = rec->layers[layer++].size;
            rows.push_back(std::move(r));
        }
    }
    std::reverse(rows.begin(), rows.end());  // newest first, like docker
    if (!rows.empty()) rows.front().id = id.str();
    return rows;
}

Result<json> ImageStore::inspect(const Digest& id) const {
    ImageIndex index = BERTH_TRY(readIndex(m_layout));
    const ImageRecord* rec = index.find(id);
    if (!rec) return fail(Errc::NotFound, "No such image: " + id.str());
    std::string text = BERTH_TRY(readBlob(m_layout, id));
    json raw = json::parse(text, nullptr, false);
    if (raw.is_discarded() || !raw.is_object())
        return fail(Errc::Corrupt, "image " + id.shortId() + ": config is not JSON");
    json cfg = raw.contains("config") && raw["config"].is_object() ? raw["config"] : json::object();
    for (const char* key : {"Env", "Cmd", "Entrypoint", "ExposedPorts", "Labels", "Volumes", "OnBuild"})
        if (!cfg.contains(key)) cfg[key] = nullptr;
    for (const char* key : {"WorkingDir", "User", "Hostname", "Domainname"})
        if (!cfg.contains(key)) cfg[key] = "";

    json repoTags = json::array(), repoDigests = json::array();
    for (auto& n : index.namesOf(id)) repoTags.push_back(familiarName(n));
    // Docker shows a repo digest without a tag: "busybox@sha256:…", "127.0.0.1:5000/me/app@…".
    for (auto& d : rec->repoDigests) {
        auto ref = Reference::parse(d);
        repoDigests.push_back(ref && ref->digest ? ref->familiarName() + "@" + ref->digest->str() : d);
    }
    json layers = json::array();
    for (auto& l : rec->layers) layers.push_back(l.diffId.str());
    json out{
        {"Id", id.str()},
        {"RepoTags", repoTags},
        {"RepoDigests", repoDigests},
        {"Parent", ""},
        {"Comment", sys::jsonString(raw, "comment")},
        {"Created", sys::jsonString(raw, "created")},
        {"Author", sys::jsonString(raw, "author")},
        {"Config", cfg},
        {"Architecture", sys::jsonString(raw, "architecture")},
        {"Os", sys::jsonString(raw, "os")},
        {"Size", rec->size()},
        {"RootFS", {{"Type", "layers"}, {"Layers", layers}}},
        {"Metadata", {{"LastTagTime", rec->added}}},
        {"Descriptor", {{"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                        {"digest", rec->manifest.str()}}},
    };
    if (raw.contains("variant")) out["Variant"] = raw["variant"];
    return out;
}

Result<DiskUsage> ImageStore::diskUsage() const {
    ImageIndex index = BERTH_TRY(readIndex(m_layout));
    DiskUsage du;
    std::map<Digest, uint64_t> layerSize;
    std::map<Digest, bool> layerUsed;  // by an image in use
    const auto inUseIds = imagesInUse();
    for (auto& [_, rec] : index.images) {
        ++du.images;
        bool used = inUseIds.contains(rec.id.str());
        if (used) ++du.activeImages;
        for (auto& l : rec.layers) {
            layerSize[l.chainId] = l.size;
            layerUsed[l.chainId] = layerUsed[l.chainId] || used;
        }
    }
    for (auto& [chain, size] : layerSize) {
        du.size += size;
        if (!layerUsed[chain]) du.reclaimable += size;
    }
    std::error_code ec;
    for (auto& b : index.referencedBlobs()) {
        auto s = std::filesystem::file_size(blobPath(m_layout, b), ec);
        if (!ec) du.blobBytes += s;
    }
    return du;
}

} // namespace berth::image
