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

Result<CheckReport> ImageStore::check(bool repair) {
    auto lock = BERTH_TRY(sys::FileLock::acquire(m_layout.lockFile(), sys::FileLock::Mode::Exclusive));
    CheckReport report;
    auto problem = [&](std::string kind, std::string what, std::string detail) -> CheckProblem& {
        report.problems.push_back({std::move(kind), std::move(what), std::move(detail), false});
        return report.problems.back();
    };

    auto indexRead = readIndex(m_layout);
    bool indexOk = indexRead.has_value();
    ImageIndex index;
    if (indexOk) {
        index = std::move(*indexRead);
        report.recovered = BERTH_TRY(recoverLocked());
    } else {
        auto& p = problem("index-corrupt", indexPath(m_layout).string(), indexRead.error().message());
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

    // Blobs.
    std::set<Digest> badBlobs;
    std::error_code ec;
    for (auto& e : fs::directory_iterator(m_layout.blobs(), ec)) {
        std::string name = e.path().filename().string();
        if (!Digest::isHex(name)) {
            auto& p = problem("stray-file", "blobs/sha256/" + name, "not a blob name");
            if (repair) p.repaired = sys::removeAll(e.path()).has_value();
            continue;
        }
        ++report.blobs;
        Digest d = Digest::fromHex(name);
        auto actual = hashFile(e.path());
        if (!actual || *actual != d) {
            badBlobs.insert(d);
            auto& p = problem("digest-mismatch", "blob " + d.str(),
                              actual ? "content is " + actual->str() : actual.error().message());
            if (repair) p.repaired = ::unlink(e.path().c_str()) == 0;
        } else if (indexOk && !refBlobs.count(d)) {
            auto& p = problem("orphan-blob", "blob " + d.str(), "no image references it");
            if (repair) p.repaired = ::unlink(e.path().c_str()) == 0;
        }
    }

    // Layers.
    std::set<Digest> badLayers;
    for (auto& e : fs::directory_iterator(m_layout.layers(), ec)) {
        std::string name = e.path().filename().string();
        if (!Digest::isHex(name)) {
            auto& p = problem("stray-file", "layers/" + name, "not a layer name");
            if (repair) p.repaired = sys::removeAll(e.path()).has_value();
            continue;
        }
        ++report.layers;
        Digest chain = Digest::fromHex(name);
        std::string what = "layer " + chain.str();
        if (!layerComplete(m_layout, chain)) {
            badLayers.insert(chain);
            auto& p = problem("half-layer", what, "extraction never finished (no completion marker)");
            if (repair) p.repaired = removeLayer(m_layout, chain).has_value();
        } else if (auto meta = readLayerMeta(m_layout, chain); !meta || meta->chainId != chain) {
            badLayers.insert(chain);
            auto& p = problem("bad-layer-meta", what, meta ? "meta.json names another layer" : meta.error().message());
            if (repair) p.repaired = removeLayer(m_layout, chain).has_value();
        } else if (indexOk && !refLayers.count(chain)) {
            auto& p = problem("orphan-layer", what, "no image references it");
            if (repair) p.repaired = removeLayer(m_layout, chain).has_value();
        }
    }

    // Images and names.
    std::vector<Digest> brokenImages;
    for (auto& [hex, rec] : index.images) {
        ++report.images;
        std::vector<std::string> why;
        auto blobOk = [&](const Digest& d, const char* role) {
            if (badBlobs.count(d)) why.push_back(fmt::format("{} blob {} is corrupt", role, d.str()));
            else if (!hasBlob(m_layout, d)) why.push_back(fmt::format("{} blob {} is missing", role, d.str()));
        };
        blobOk(rec.id, "config");
        blobOk(rec.manifest, "manifest");
        for (auto& l : rec.layers) {
            blobOk(l.blob, "layer");
            if (badLayers.count(l.chainId) || !layerComplete(m_layout, l.chainId))
                why.push_back(fmt::format("layer {} is missing or incomplete", l.chainId.str()));
        }
        if (why.empty()) continue;
        std::string detail;
        for (auto& w : why) detail += (detail.empty() ? "" : "; ") + w;
        problem("broken-image", "image " + rec.id.str(), detail);
        brokenImages.push_back(rec.id);
    }
    std::vector<std::string> danglingNames;
    for (auto& [name, id] : index.names)
        if (!index.find(id)) {
            problem("dangling-name", name, "points at missing image " + id.str());
            danglingNames.push_back(name);
        }
    for (auto& name : unknownTmpEntries(m_layout)) {
        auto& p = problem("tmp-leftover", "tmp/" + name, "left by an interrupted operation");
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
        for (auto& p : report.problems)
            if (p.kind == "broken-image" || p.kind == "dangling-name") p.repaired = true;
    }
    return report;
}

} // namespace berth::image
