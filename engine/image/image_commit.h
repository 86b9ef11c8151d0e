#pragma once
// The commit step shared by load and import (and later pull/build): moves prepared blobs
// and layers from a work dir into the store and writes the new index, under the store
// lock, journaled so that a crash at any point is rolled back by the next mutation.
// Also the delete step shared by rmi, prune and check --repair.

#include "image/image_index.h"
#include "image/image_store.h"
#include "image/work_dir.h"

#include <filesystem>
#include <string>
#include <vector>

namespace berth::image {

struct PreparedBlob {
    Digest digest;
    std::filesystem::path file;  // in the work dir; hashed to `digest`
};

struct PreparedLayer {
    Digest chainId;
    std::filesystem::path dir;  // in the work dir: diff/ and meta.json
};

struct PreparedImage {
    ImageRecord record;
    std::vector<std::string> names;  // full reference strings
};

struct CommitSet {
    std::vector<PreparedBlob> blobs;
    std::vector<PreparedLayer> layers;
    std::vector<PreparedImage> images;
};

struct CommitOutcome {
    // Names that moved from an older image to a new one, with the older image's id.
    std::vector<std::pair<std::string, Digest>> movedNames;
};

// Call with the store lock held.
Result<CommitOutcome> commitImages(const store::StoreLayout& layout, WorkDir& work,
                                   CommitSet& set);

// Call with the store lock held: removes the images (and their names) from `index`,
// writes it, then deletes the blobs and layers nothing references any more. Appends the
// removed image ids and layer chain ids to `deleted`.
VoidResult deleteImagesLocked(const store::StoreLayout& layout, ImageIndex& index,
                              const std::vector<Digest>& ids, std::vector<Digest>& deleted);

// Full reference string and familiar form of a name the user typed.
Result<std::string> canonicalName(std::string_view text);
std::string familiarName(const std::string& canonical);

} // namespace berth::image
