#pragma once
// Commits what a build step made into the image store: optionally a new layer (a directory
// in overlayfs form, e.g. an overlay upper dir, written out as a tar by layer_write and
// extracted into the layer store), plus a config JSON and a manifest, as one image. Each
// step's result is such an image (untagged), so RUN can start a container from it and the
// cache can point at it; the final image is the same with its names.

#include "image/image_index.h"
#include "image/image_store.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace berth::build {

struct ImageState {
    image::Digest id;                       // empty for scratch before any layer
    nlohmann::json config;                  // the whole config blob (architecture, config, rootfs, history)
    std::vector<image::LayerRecord> layers;  // bottom first
};

// The state of an image in the store.
Result<ImageState> loadImageState(image::ImageStore& images, const image::Digest& id);
// The empty state FROM scratch starts with.
ImageState scratchState();

// Writes `config` (rootfs.diff_ids filled in here) with `layers` plus, when `newLayerDir`
// is set, a layer made from that directory (which is moved into the layer store: the
// caller must not need it afterwards); commits it under `names` (full reference strings,
// may be empty). `parent` is the image the step started from: untagged step images with a
// child are intermediate (hidden by `images`, kept by `image prune`). With `adoptLayerDir`
// false, `newLayerDir` is only read (a live container's upper directory): the layer store
// gets its own copy, extracted from the tar. Returns the new state.
Result<ImageState> commitImageState(image::ImageStore& images, nlohmann::json config,
                                    std::vector<image::LayerRecord> layers,
                                    const std::optional<std::filesystem::path>& newLayerDir,
                                    const std::vector<std::string>& names, const image::Digest& parent = {},
                                    bool adoptLayerDir = true);

// The extracted layer directories (overlay lowerdirs) of a state, bottom first.
std::vector<std::filesystem::path> layerDirs(const store::StoreLayout& layout, const ImageState& state);

} // namespace berth::build
