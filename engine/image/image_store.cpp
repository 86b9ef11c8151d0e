#include "image/image_store.h"

#include "image/blob_store.h"
#include "image/config_json.h"
#include "image/image_commit.h"
#include "image/image_index.h"
#include "image/layer_store.h"
#include "image/work_dir.h"
#include "store/events.h"
#include "sys/fs.h"

#include <unistd.h>

#include <algorithm>
#include <set>
#include <fmt/format.h>

namespace berth::image {

namespace fs = std::filesystem;

ImageStore::ImageStore(store::StoreLayout layout) : m_layout(std::move(layout)) {}
ImageStore::~ImageStore() = default;

static ImageSummary summarize(const ImageIndex& index, const ImageRecord& rec) {
    ImageSummary s;
    s.id = rec.id;
    s.manifestDigest = rec.manifest;
    for (auto& n : index.namesOf(rec.id)) {
        auto ref = Reference::parse(n);
        if (ref && !ref->digest) s.repoTags.push_back(ref->familiar());
    }
    s.repoDigests = rec.repoDigests;
    s.created = rec.created;
    s.size = rec.size();
    s.layerCount = rec.layers.size();
    s.intermediate = s.repoTags.empty() && index.childCount(rec.id) > 0;
    return s;
}

Result<std::vector<ImageSummary>> ImageStore::list(bool all) const {
    ImageIndex index = BERTH_TRY(readIndex(m_layout));
    std::vector<ImageSummary> out;
    for (auto& [_, rec] : index.images) {
        auto s = summarize(index, rec);
        if (all || !s.intermediate) out.push_back(std::move(s));
    }
    // Newest first, like docker.
    std::stable_sort(out.begin(), out.end(),
                     [](const ImageSummary& a, const ImageSummary& b) { return a.created > b.created; });
    return out;
}

static bool allHex(std::string_view s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

static Result<Digest> resolveIn(const ImageIndex& index, std::string_view text) {
    if (text.empty()) return fail(Errc::InvalidArgument, "empty image name");
    std::string_view hex = text;
    if (hex.starts_with("sha256:")) hex.remove_prefix(7);
    if (hex.size() == 64 && allHex(hex)) {
        if (index.images.count(std::string(hex))) return Digest::fromHex(std::string(hex));
        if (text.starts_with("sha256:"))
            return fail(Errc::NotFound, "No such image: " + std::string(text));
    }
    auto ref = Reference::parse(text);
    if (ref) {
        if (ref->digest) {
            // name@sha256:… matches by manifest digest or a recorded repo digest.
            std::string repoDigest = ref->name() + "@" + ref->digest->str();
            for (auto& [_, rec] : index.images)
                if (rec.manifest == *ref->digest ||
                    std::find(rec.repoDigests.begin(), rec.repoDigests.end(), repoDigest) !=
                        rec.repoDigests.end())
                    return rec.id;
        } else if (auto it = index.names.find(ref->str()); it != index.names.end()) {
            return it->second;
        }
    }
    if (hex.size() >= 4 && hex.size() <= 64 && allHex(hex)) {
        std::optional<Digest> found;
        for (auto& [key, rec] : index.images)
            if (key.starts_with(hex)) {
                if (found)
                    return fail(Errc::InvalidArgument,
                                fmt::format("image id prefix \"{}\" is ambiguous", hex));
                found = rec.id;
            }
        if (found) return *found;
    }
    if (!ref && !(hex.size() >= 4 && allHex(hex))) return fail(ref.error());
    return fail(Errc::NotFound, "No such image: " + std::string(text));
}

Result<Digest> ImageStore::resolveId(std::string_view nameOrId) const {
    ImageIndex index = BERTH_TRY(readIndex(m_layout));
    return resolveIn(index, nameOrId);
}

Result<ImageSummary> ImageStore::resolve(std::string_view nameOrId) const {
    ImageIndex index = BERTH_TRY(readIndex(m_layout));
    Digest id = BERTH_TRY(resolveIn(index, nameOrId));
    return summarize(index, *index.find(id));
}

Result<ImageConfig> ImageStore::config(const Digest& id) const {
    ImageIndex index = BERTH_TRY(readIndex(m_layout));
    if (!index.find(id)) return fail(Errc::NotFound, "No such image: " + id.str());
    auto text = BERTH_TRY(readBlob(m_layout, id));
    return BERTH_TRY_CTX(parseImageConfig(text), "image " + id.shortId());
}

Result<std::vector<fs::path>> ImageStore::layerPaths(const Digest& id) const {
    ImageIndex index = BERTH_TRY(readIndex(m_layout));
    const ImageRecord* rec = index.find(id);
    if (!rec) return fail(Errc::NotFound, "No such image: " + id.str());
    std::vector<fs::path> out;
    for (auto& l : rec->layers) {
        if (!layerComplete(m_layout, l.chainId))
            return fail(Errc::Corrupt, fmt::format("image {}: layer {} is missing or incomplete "
                                                   "(run `berth system check --repair`)",
                                                   id.shortId(), l.chainId.str()));
        out.push_back(layerDiffDir(m_layout, l.chainId));
    }
    return out;
}

Result<std::vector<LayerRecord>> ImageStore::layerRecords(const Digest& id) const {
    ImageIndex index = BERTH_TRY(readIndex(m_layout));
    const ImageRecord* rec = index.find(id);
    if (!rec) return fail(Errc::NotFound, "No such image: " + id.str());
    return rec->layers;
}

Result<sys::FileLock> ImageStore::lockForMutation() {
    auto lock = BERTH_TRY(sys::FileLock::acquire(m_layout.lockFile(), sys::FileLock::Mode::Exclusive));
    BERTH_TRYV(recoverLocked());
    return lock;
}

Result<size_t> ImageStore::recoverLocked() {
    ImageIndex index = BERTH_TRY_CTX(readIndex(m_layout),
                                     "image index unreadable (run `berth system check --repair`)");
    size_t n = BERTH_TRY(recoverWorkDirs(m_layout, index));
    // Layer installs and removals happen under this lock, so a layer without its marker
    // now is one whose writer died. One the index references lost its marker some other
    // way: that is damage for `check` to report, not a leftover.
    auto referenced = index.referencedLayers();
    std::error_code ec;
    for (auto& e : fs::directory_iterator(m_layout.layers(), ec)) {
        auto d = Digest::parse("sha256:" + e.path().filename().string());
        if (d && !layerComplete(m_layout, *d) &&
            std::find(referenced.begin(), referenced.end(), *d) == referenced.end()) {
            (void)removeLayer(m_layout, *d);
            ++n;
        }
    }
    for (auto& e : fs::directory_iterator(m_layout.images(), ec))
        if (e.path().filename().string().starts_with(".tmp-")) {
            ::unlink(e.path().c_str());
            ++n;
        }
    return n;
}

static void emit(const store::StoreLayout& layout, const char* action, const Digest& id,
                 const std::string& name) {
    store::Event e;
    e.type = "image";
    e.action = action;
    e.id = id.str();
    e.name = name;
    (void)store::appendEvent(layout, std::move(e));  // the journal is advisory
}

VoidResult ImageStore::tag(std::string_view source, std::string_view target) {
    auto ref = BERTH_TRY(Reference::parse(target));
    if (ref.digest)
        return fail(Errc::InvalidArgument, "refusing to create a tag with a digest reference");
    auto lock = BERTH_TRY(lockForMutation());
    ImageIndex index = BERTH_TRY(readIndex(m_layout));
    Digest id = BERTH_TRY(resolveIn(index, source));
    index.names[ref.str()] = id;
    BERTH_TRYV(writeIndex(m_layout, index));
    emit(m_layout, "tag", id, ref.familiar());
    return {};
}

Result<RemoveReport> ImageStore::remove(std::string_view text, bool force) {
    auto lock = BERTH_TRY(lockForMutation());
    ImageIndex index = BERTH_TRY(readIndex(m_layout));
    RemoveReport report;
    std::optional<std::string> name;
    if (auto ref = Reference::parse(text); ref && !ref->digest && index.names.count(ref->str()))
        name = ref->str();
    Digest id = name ? index.names[*name] : BERTH_TRY(resolveIn(index, text));
    auto names = index.namesOf(id);
    const auto inUseIds = imagesInUse();
    bool used = inUseIds.contains(id.str());

    if (name) {
        if (used && names.size() == 1 && !force)
            return fail(Errc::Conflict,
                        fmt::format("conflict: unable to remove repository reference \"{}\" (must "
                                    "force) - a container is using its referenced image {}",
                                    text, id.shortId()));
        index.names.erase(*name);
        report.untagged.push_back(familiarName(*name));
        names.erase(std::find(names.begin(), names.end(), *name));
    } else {
        if (used)
            return fail(Errc::Conflict, fmt::format("conflict: unable to delete {} (cannot be forced) "
                                                    "- image is being used by a container",
                                                    id.shortId()));
        if (names.size() > 1 && !force)
            return fail(Errc::Conflict, fmt::format("conflict: unable to delete {} (must be forced) - "
                                                    "image is referenced in multiple repositories",
                                                    id.shortId()));
        for (auto& n : names) {
            index.names.erase(n);
            report.untagged.push_back(familiarName(n));
        }
        names.clear();
    }
    if (names.empty() && !used) {
        // The parent chain of build steps goes with it while nothing else needs it.
        std::vector<Digest> victims{id};
        for (const ImageRecord* rec = index.find(id); rec && !rec->parent.empty();) {
            const ImageRecord* parent = index.find(rec->parent);
            if (!parent || !index.namesOf(parent->id).empty() || inUseIds.contains(parent->id.str()) || index.childCount(parent->id) != 1)
                break;
            victims.push_back(parent->id);
            rec = parent;
        }
        BERTH_TRYV(deleteImagesLocked(m_layout, index, victims, report.deleted));
    } else {
        BERTH_TRYV(writeIndex(m_layout, index));
    }
    for (auto& n : report.untagged) emit(m_layout, "untag", id, n);
    if (!report.deleted.empty()) emit(m_layout, "delete", id, "");
    return report;
}

Result<PruneReport> ImageStore::prune(bool all) {
    auto lock = BERTH_TRY(lockForMutation());
    ImageIndex index = BERTH_TRY(readIndex(m_layout));
    PruneReport report;
    std::vector<Digest> victims;
    const auto inUseIds = imagesInUse();
    for (auto& [_, rec] : index.images) {
        if (inUseIds.contains(rec.id.str())) continue;
        auto names = index.namesOf(rec.id);
        if (!names.empty() && !all) continue;
        for (auto& n : names) report.removed.untagged.push_back(familiarName(n));
        victims.push_back(rec.id);
    }
    if (!all) {
        // Dangling = untagged without children: intermediate build images below a kept image
        // stay (they are its build cache); those left without a child go too.
        std::set<std::string> keep;
        for (bool changed = true; changed;) {
            changed = false;
            for (auto& v : victims) {
                if (keep.contains(v.hex())) continue;
                bool hasChild = false;
                for (auto& [_, rec] : index.images)
                    if (rec.parent == v && (!std::count(victims.begin(), victims.end(), rec.id) || keep.contains(rec.id.hex())))
                        hasChild = true;
                if (hasChild) {
                    keep.insert(v.hex());
                    changed = true;
                }
            }
        }
        std::erase_if(victims, [&](const Digest& d) { return keep.contains(d.hex()); });
    }
    if (victims.empty()) return report;
    uint64_t before = 0, after = 0;
    std::error_code ec;
    auto measure = [&] {
        uint64_t total = 0;
        ImageIndex cur = readIndex(m_layout).value_or(ImageIndex{});
        for (auto& l : cur.referencedLayers())
            if (auto m = readLayerMeta(m_layout, l)) total += m->size;
        return total;
    };
    before = measure();
    BERTH_TRYV(deleteImagesLocked(m_layout, index, victims, report.removed.deleted));
    after = measure();
    report.reclaimed = before > after ? before - after : 0;
    for (auto& id : victims) emit(m_layout, "delete", id, "");
    return report;
}

} // namespace berth::image
