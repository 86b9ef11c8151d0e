#include "image/image_commit.h"

#include "image/blob_store.h"
#include "image/layer_store.h"
#include "image/reference.h"
#include "store/events.h"
#include "sys/fs.h"

#include <unistd.h>

#include <algorithm>
#include <set>

namespace berth::image {

Result<CommitOutcome> commitImages(const store::StoreLayout& layout, WorkDir& work,
                                   CommitSet& set) {
    ImageIndex index = BERTH_TRY(readIndex(layout));
    // An image already here (same config digest) keeps its record, blobs and layers; the
    // commit only adds names and repo digests. Otherwise the new copy's blobs (perhaps
    // compressed differently) would replace and orphan the old ones.
    std::set<Digest> neededBlobs, neededLayers;
    for (auto& img : set.images) {
        if (auto it = index.images.find(img.record.id.hex()); it != index.images.end()) {
            auto digests = img.record.repoDigests;
            img.record = it->second;
            for (auto& d : digests)
                if (std::find(img.record.repoDigests.begin(), img.record.repoDigests.end(), d) ==
                    img.record.repoDigests.end())
                    img.record.repoDigests.push_back(d);
            continue;
        }
        neededBlobs.insert(img.record.id);
        neededBlobs.insert(img.record.manifest);
        for (auto& l : img.record.layers) {
            neededBlobs.insert(l.blob);
            neededLayers.insert(l.chainId);
        }
    }
    std::erase_if(set.blobs, [&](const PreparedBlob& b) { return !neededBlobs.count(b.digest); });
    std::erase_if(set.layers, [&](const PreparedLayer& l) { return !neededLayers.count(l.chainId); });
    // Journal first: whatever we add before the index is written is rolled back if we die.
    std::vector<Digest> newBlobs, newLayers;
    for (auto& b : set.blobs)
        if (!hasBlob(layout, b.digest)) newBlobs.push_back(b.digest);
    for (auto& l : set.layers)
        if (!layerComplete(layout, l.chainId)) newLayers.push_back(l.chainId);
    BERTH_TRYV_CTX(work.writeJournal(newBlobs, newLayers), "write journal");

    for (auto& b : set.blobs) BERTH_TRYV_CTX(adoptBlob(layout, b.file, b.digest), "store blob " + b.digest.str());
    BERTH_TRYV(sys::fsyncDir(layout.blobs()));
    for (auto& l : set.layers)
        BERTH_TRYV_CTX(installLayer(layout, l.dir, l.chainId), "store layer " + l.chainId.str());

    CommitOutcome outcome;
    for (auto& img : set.images) {
        for (auto& l : img.record.layers) {
            if (!hasBlob(layout, l.blob))
                return fail(Errc::Internal, "commit: blob " + l.blob.str() + " was not stored");
            if (!layerComplete(layout, l.chainId))
                return fail(Errc::Internal, "commit: layer " + l.chainId.str() + " was not stored");
        }
        index.images[img.record.id.hex()] = img.record;
        for (auto& name : img.names) {
            auto it = index.names.find(name);
            if (it != index.names.end() && it->second != img.record.id)
                outcome.movedNames.emplace_back(name, it->second);
            index.names[name] = img.record.id;
        }
    }
    BERTH_TRYV(writeIndex(layout, index));  // the commit point
    return outcome;
}

VoidResult deleteImagesLocked(const store::StoreLayout& layout, ImageIndex& index,
                              const std::vector<Digest>& ids, std::vector<Digest>& deleted) {
    std::set<Digest> blobsBefore, layersBefore;
    for (auto& id : ids) {
        const ImageRecord* rec = index.find(id);
        if (!rec) continue;
        blobsBefore.insert(rec->id);
        blobsBefore.insert(rec->manifest);
        for (auto& l : rec->layers) {
            blobsBefore.insert(l.blob);
            layersBefore.insert(l.chainId);
        }
    }
    for (auto& id : ids) {
        index.images.erase(id.hex());
        for (auto it = index.names.begin(); it != index.names.end();)
            it = it->second == id ? index.names.erase(it) : std::next(it);
    }
    auto stillBlobs = index.referencedBlobs();
    auto stillLayers = index.referencedLayers();
    std::vector<Digest> goneBlobs, goneLayers;
    for (auto& b : blobsBefore)
        if (std::find(stillBlobs.begin(), stillBlobs.end(), b) == stillBlobs.end()) goneBlobs.push_back(b);
    for (auto& l : layersBefore)
        if (std::find(stillLayers.begin(), stillLayers.end(), l) == stillLayers.end()) goneLayers.push_back(l);

    // The journal names what goes; if we die after the index is written, recovery
    // finishes the deletion (it removes journaled objects the index no longer references).
    auto work = BERTH_TRY(WorkDir::create(layout, "rm"));
    BERTH_TRYV(work.writeJournal(goneBlobs, goneLayers));
    BERTH_TRYV(writeIndex(layout, index));
    for (auto& l : goneLayers) BERTH_TRYV_CTX(removeLayer(layout, l), "remove layer " + l.str());
    for (auto& b : goneBlobs) ::unlink(blobPath(layout, b).c_str());
    for (auto& id : ids) deleted.push_back(id);
    for (auto& l : goneLayers) deleted.push_back(l);
    return {};
}

Result<std::string> canonicalName(std::string_view text) {
    auto ref = BERTH_TRY(Reference::parse(text));
    return ref.str();
}

std::string familiarName(const std::string& canonical) {
    auto ref = Reference::parse(canonical);
    return ref ? ref->familiar() : canonical;
}

} // namespace berth::image
