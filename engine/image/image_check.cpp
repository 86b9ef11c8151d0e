// ImageStore::check: verifies every blob digest, every reference from the index to blobs
// and layers, and looks for orphans, half layers and leftovers. With repair, removes what is
// broken (bad blobs, half layers, images that lost a part, dangling names, orphans) and
// nothing that is sound.
#include "image/blob_store.h"
#include "image/image_commit.h"
#include "image/image_index.h"
#include "image/image_store.h"
#include "image/layer_store.h"
#include "image/work_dir.h"
#include "sys/fs.h"

#include <unistd.h>

#include <fmt/format.h>
#include <set>

namespace berth::image {

namespace fs = std::filesystem;

namespace {

// One check run: the report it fills and whether it repairs.
struct Checker {
    const store::StoreLayout& layout;
    bool repair;
    CheckReport report;

    CheckProblem& problem(std::string kind, std::string what, std::string detail) {
        report.problems.push_back({std::move(kind), std::move(what), std::move(detail), false});
        return report.problems.back();
    }

    // A file under blobs/ or layers/ whose name is not a digest's hex.
    bool strayName(const fs::path& path, const std::string& dir, const char* what) {
        std::string name = path.filename().string();
        if (Digest::isHex(name)) return false;
        auto& p = problem("stray-file", dir + name, std::string("not a ") + what + " name");
        if (repair) p.repaired = sys::removeAll(path).has_value();
        return true;
    }

    // Every blob's digest; orphans when the index could be read. Returns the corrupt ones.
    std::set<Digest> blobs(const std::set<Digest>& referenced, bool indexOk) {
        std::set<Digest> bad;
        std::error_code ec;
        for (auto& e : fs::directory_iterator(layout.blobs(), ec)) {
            if (strayName(e.path(), "blobs/sha256/", "blob")) continue;
            ++report.blobs;
            Digest d = Digest::fromHex(e.path().filename().string());
            auto actual = hashFile(e.path());
            if (!actual || *actual != d) {
                bad.insert(d);
                auto& p = problem("digest-mismatch", "blob " + d.str(),
                                  actual ? "content is " + actual->str() : actual.error().message());
                if (repair) p.repaired = ::unlink(e.path().c_str()) == 0;
            } else if (indexOk && !referenced.count(d)) {
                auto& p = problem("orphan-blob", "blob " + d.str(), "no image references it");
                if (repair) p.repaired = ::unlink(e.path().c_str()) == 0;
            }
        }
        return bad;
    }

    // Every layer's completion marker and meta.json; orphans when the index could be read.
    // Returns the broken ones.
    std::set<Digest> layers(const std::set<Digest>& referenced, bool indexOk) {
        std::set<Digest> bad;
        std::error_code ec;
        for (auto& e : fs::directory_iterator(layout.layers(), ec)) {
            if (strayName(e.path(), "layers/", "layer")) continue;
            ++report.layers;
            Digest chain = Digest::fromHex(e.path().filename().string());
            std::string what = "layer " + chain.str();
            CheckProblem* p = nullptr;
            if (!layerComplete(layout, chain)) {
                bad.insert(chain);
                p = &problem("half-layer", what, "extraction never finished (no completion marker)");
            } else if (auto meta = readLayerMeta(layout, chain); !meta || meta->chainId != chain) {
                bad.insert(chain);
                p = &problem("bad-layer-meta", what, meta ? "meta.json names another layer" : meta.error().message());
            } else if (indexOk && !referenced.count(chain)) {
                p = &problem("orphan-layer", what, "no image references it");
            }
            if (p && repair) p->repaired = removeLayer(layout, chain).has_value();
        }
        return bad;
    }

    // The images that lost a part (a corrupt or missing blob, a broken layer).
    std::vector<Digest> brokenImages(const ImageIndex& index, const std::set<Digest>& badBlobs,
                                     const std::set<Digest>& badLayers) {
        std::vector<Digest> broken;
        for (auto& [hex, rec] : index.images) {
            ++report.images;
            std::vector<std::string> why;
            auto blobOk = [&](const Digest& d, const char* role) {
                if (badBlobs.count(d)) why.push_back(fmt::format("{} blob {} is corrupt", role, d.str()));
                else if (!hasBlob(layout, d)) why.push_back(fmt::format("{} blob {} is missing", role, d.str()));
            };
            blobOk(rec.id, "config");
            blobOk(rec.manifest, "manifest");
            for (auto& l : rec.layers) {
                blobOk(l.blob, "layer");
                if (badLayers.count(l.chainId) || !layerComplete(layout, l.chainId))
                    why.push_back(fmt::format("layer {} is missing or incomplete", l.chainId.str()));
            }
            if (why.empty()) continue;
            std::string detail;
            for (auto& w : why) detail += (detail.empty() ? "" : "; ") + w;
            problem("broken-image", "image " + rec.id.str(), detail);
            broken.push_back(rec.id);
        }
        return broken;
    }
};

} // namespace

Result<CheckReport> ImageStore::check(bool repair) {
    auto lock = BERTH_TRY(sys::FileLock::acquire(m_layout.lockFile(), sys::FileLock::Mode::Exclusive));
    Checker c{m_layout, repair, {}};

    auto indexRead = readIndex(m_layout);
    bool indexOk = indexRead.has_value();
    ImageIndex index;
    if (indexOk) {
        index = std::move(*indexRead);
        c.report.recovered = BERTH_TRY(recoverLocked());
    } else {
        auto& p = c.problem("index-corrupt", indexPath(m_layout).string(), indexRead.error().message());
        if (repair) {
            // Keep the broken file for a human; start from an empty index. Blobs and layers
            // are left alone (they are not orphans, only unindexed).
            fs::path aside = indexPath(m_layout).string() + ".corrupt-" + sys::randomHex(4);
            BERTH_TRYV(sys::renamePath(indexPath(m_layout), aside));
            p.repaired = true;
            p.detail += "; moved to " + aside.string();
        }
    }
    std::set<Digest> refBlobs, refLayers;
    for (auto& b : index.referencedBlobs()) refBlobs.insert(b);
    for (auto& l : index.referencedLayers()) refLayers.insert(l);

    const std::set<Digest> badBlobs = c.blobs(refBlobs, indexOk);
    const std::set<Digest> badLayers = c.layers(refLayers, indexOk);
    const std::vector<Digest> brokenImages = c.brokenImages(index, badBlobs, badLayers);
    std::vector<std::string> danglingNames;
    for (auto& [name, id] : index.names)
        if (!index.find(id)) {
            c.problem("dangling-name", name, "points at missing image " + id.str());
            danglingNames.push_back(name);
        }
    for (auto& name : unknownTmpEntries(m_layout)) {
        auto& p = c.problem("tmp-leftover", "tmp/" + name, "left by an interrupted operation");
        if (repair) p.repaired = sys::removeAll(m_layout.tmp() / name).has_value();
    }

    if (repair && indexOk && (!brokenImages.empty() || !danglingNames.empty())) {
        for (auto& n : danglingNames) index.names.erase(n);
        std::vector<Digest> deleted;
        if (!brokenImages.empty()) {
            BERTH_TRYV(deleteImagesLocked(m_layout, index, brokenImages, deleted));
        } else {
            BERTH_TRYV(writeIndex(m_layout, index));
        }
        for (auto& p : c.report.problems)
            if (p.kind == "broken-image" || p.kind == "dangling-name") p.repaired = true;
    }
    return std::move(c.report);
}

} // namespace berth::image
