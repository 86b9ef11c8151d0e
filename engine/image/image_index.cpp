#include "image/image_index.h"

#include "berth/text.h"

#include "sys/fs.h"

#include <ctime>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <set>

namespace berth::image {

using nlohmann::json;

uint64_t ImageRecord::size() const {
    uint64_t total = 0;
    for (auto& l : layers) total += l.size;
    return total;
}

std::vector<std::string> ImageIndex::namesOf(const Digest& id) const {
    std::vector<std::string> out;
    for (auto& [name, target] : names)
        if (target == id) out.push_back(name);
    return out;
}

size_t ImageIndex::childCount(const Digest& id) const {
    size_t n = 0;
    for (auto& [_, rec] : images) n += rec.parent == id;
    return n;
}

const ImageRecord* ImageIndex::find(const Digest& id) const {
    auto it = images.find(id.hex());
    return it == images.end() ? nullptr : &it->second;
}

std::vector<Digest> ImageIndex::referencedBlobs() const {
    std::set<Digest> out;
    for (auto& [_, rec] : images) {
        out.insert(rec.id);
        out.insert(rec.manifest);
        for (auto& l : rec.layers) out.insert(l.blob);
    }
    return {out.begin(), out.end()};
}

std::vector<Digest> ImageIndex::referencedLayers() const {
    std::set<Digest> out;
    for (auto& [_, rec] : images)
        for (auto& l : rec.layers) out.insert(l.chainId);
    return {out.begin(), out.end()};
}

std::filesystem::path indexPath(const store::StoreLayout& layout) {
    return layout.images() / "index.json";
}

static Result<Digest> digestField(const json& j, const char* key) {
    if (!j.contains(key) || !j[key].is_string())
        return fail(Errc::Corrupt, fmt::format("missing field \"{}\"", key));
    return Digest::parse(j[key].get<std::string>());
}

static Result<ImageRecord> recordFromJson(const json& j) {
    ImageRecord r;
    r.id = BERTH_TRY(digestField(j, "id"));
    r.manifest = BERTH_TRY(digestField(j, "manifest"));
    r.created = j.value("created", "");
    r.added = j.value("added", "");
    if (j.contains("parent") && j["parent"].is_string()) r.parent = BERTH_TRY(digestField(j, "parent"));
    if (j.contains("repoDigests") && j["repoDigests"].is_array())
        for (auto& d : j["repoDigests"])
            if (d.is_string()) r.repoDigests.push_back(d.get<std::string>());
    if (!j.contains("layers") || !j["layers"].is_array())
        return fail(Errc::Corrupt, "missing field \"layers\"");
    for (auto& lj : j["layers"]) {
        LayerRecord l;
        l.blob = BERTH_TRY(digestField(lj, "blob"));
        l.diffId = BERTH_TRY(digestField(lj, "diffId"));
        l.chainId = BERTH_TRY(digestField(lj, "chainId"));
        l.mediaType = lj.value("mediaType", "");
        l.blobSize = lj.value("blobSize", uint64_t(0));
        l.size = lj.value("size", uint64_t(0));
        r.layers.push_back(std::move(l));
    }
    return r;
}

static json recordToJson(const ImageRecord& r) {
    json layers = json::array();
    for (auto& l : r.layers)
        layers.push_back({{"blob", l.blob.str()},
                          {"mediaType", l.mediaType},
                          {"blobSize", l.blobSize},
                          {"diffId", l.diffId.str()},
                          {"chainId", l.chainId.str()},
                          {"size", l.size}});
    json j = {{"id", r.id.str()},           {"manifest", r.manifest.str()},
              {"created", r.created},       {"added", r.added},
              {"repoDigests", r.repoDigests}, {"layers", layers}};
    if (!r.parent.empty()) j["parent"] = r.parent.str();
    return j;
}

Result<ImageIndex> readIndex(const store::StoreLayout& layout) {
    ImageIndex index;
    auto path = indexPath(layout);
    if (!sys::exists(path)) return index;
    auto text = BERTH_TRY(sys::readFile(path));
    auto j = json::parse(text, nullptr, false);
    std::string ctx = "read image index `" + path.string() + "`";
    if (j.is_discarded() || !j.is_object()) return fail(Errc::Corrupt, ctx + ": not valid JSON");
    if (j.contains("images") && j["images"].is_object())
        for (auto& [key, rj] : j["images"].items()) {
            auto rec = recordFromJson(rj);
            if (!rec) return fail(rec.error().withContext(ctx + ": image " + key));
            index.images[rec->id.hex()] = std::move(*rec);
        }
    if (j.contains("names") && j["names"].is_object())
        for (auto& [name, target] : j["names"].items()) {
            if (!target.is_string()) return fail(Errc::Corrupt, ctx + ": name " + name);
            auto d = Digest::parse(target.get<std::string>());
            if (!d) return fail(d.error().withContext(ctx + ": name " + name));
            index.names[name] = *d;
        }
    return index;
}

VoidResult writeIndex(const store::StoreLayout& layout, const ImageIndex& index) {
    json images = json::object();
    for (auto& [hex, rec] : index.images) images[hex] = recordToJson(rec);
    json names = json::object();
    for (auto& [name, id] : index.names) names[name] = id.str();
    json j{{"version", 1}, {"names", names}, {"images", images}};
    BERTH_TRYV_CTX(sys::writeFileAtomic(indexPath(layout), j.dump(1) + "\n"),
                   "write image index");
    return {};
}

std::vector<Digest> chainIds(const std::vector<Digest>& diffIds) {
    std::vector<Digest> out;
    for (size_t i = 0; i < diffIds.size(); ++i) {
        if (i == 0)
            out.push_back(diffIds[0]);
        else
            out.push_back(Digest::ofBytes(out.back().str() + " " + diffIds[i].str()));
    }
    return out;
}

std::string nowRfc3339() { return formatTimeNano(nowNano()); }

} // namespace berth::image
