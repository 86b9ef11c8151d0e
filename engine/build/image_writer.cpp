#include "build/image_writer.h"

#include "image/blob_store.h"
#include "image/config_json.h"
#include "image/image_commit.h"
#include "image/layer_apply.h"
#include "image/layer_store.h"
#include "image/layer_write.h"
#include "image/work_dir.h"
#include "sys/fs.h"

#include <fcntl.h>
#include <unistd.h>

namespace berth::build {

namespace fs = std::filesystem;
using nlohmann::json;

Result<ImageState> loadImageState(image::ImageStore& images, const image::Digest& id) {
    auto index = BERTH_TRY(image::readIndex(images.layout()));
    const auto* rec = index.find(id);
    if (!rec) return fail(Errc::NotFound, "No such image: " + id.str());
    ImageState st;
    st.id = id;
    st.layers = rec->layers;
    auto text = BERTH_TRY(image::readBlob(images.layout(), id));
    st.config = json::parse(text, nullptr, false);
    if (st.config.is_discarded() || !st.config.is_object())
        return fail(Errc::Corrupt, "image " + id.shortId() + ": config is not a JSON object");
    // The builder reads and edits these without checking each time.
    if (!st.config["config"].is_object()) st.config["config"] = json::object();
    if (!st.config["history"].is_array()) st.config["history"] = json::array();
    for (auto& l : st.layers)
        if (!image::layerComplete(images.layout(), l.chainId))
            return fail(Errc::Corrupt, "image " + id.shortId() + ": layer " + l.chainId.str() + " is missing");
    return st;
}

ImageState scratchState() {
    ImageState st;
    st.config = json{{"architecture", image::hostArchitecture()},
                     {"os", "linux"},
                     {"config", json::object()},
                     {"rootfs", {{"type", "layers"}, {"diff_ids", json::array()}}},
                     {"history", json::array()}};
    return st;
}

std::vector<fs::path> layerDirs(const store::StoreLayout& layout, const ImageState& state) {
    std::vector<fs::path> out;
    for (auto& l : state.layers) out.push_back(image::layerDiffDir(layout, l.chainId));
    return out;
}

Result<ImageState> commitImageState(image::ImageStore& images, json config, std::vector<image::LayerRecord> layers,
                                    const std::optional<fs::path>& newLayerDir, const std::vector<std::string>& names,
                                    const image::Digest& parent, bool adoptLayerDir) {
    const auto& layout = images.layout();
    auto work = BERTH_TRY_CTX(image::WorkDir::create(layout, "build"), "commit build step");
    image::CommitSet set;

    if (newLayerDir) {
        fs::path tarFile = work.path() / "layer.tar";
        image::ApplyResult written;
        {
            auto out = BERTH_TRY(sys::openFile(tarFile, O_WRONLY | O_CREAT | O_EXCL, 0644));
            written = BERTH_TRY_CTX(image::writeLayerTar(*newLayerDir, out.borrow(), false, layout.settings), "write the layer");
            if (::fdatasync(out.get()) < 0) return failErrno("fsync the layer");
        }
        image::LayerRecord lr;
        lr.diffId = written.diffId;
        lr.blob = written.diffId;  // uncompressed: the blob is the tar itself
        lr.blobSize = written.compressedBytes;
        lr.mediaType = "application/vnd.oci.image.layer.v1.tar";
        lr.size = written.uncompressedBytes;
        std::vector<image::Digest> diffIds;
        for (auto& l : layers) diffIds.push_back(l.diffId);
        diffIds.push_back(lr.diffId);
        auto chain = image::chainIds(diffIds);
        lr.chainId = chain.back();
        std::optional<image::Digest> parent;
        if (chain.size() > 1) parent = chain[chain.size() - 2];
        if (!image::layerComplete(layout, lr.chainId)) {
            fs::path prep = work.path() / "layer";
            BERTH_TRYV(sys::makeDirs(prep));
            // An overlay upper dir already is a layer in the store's form (whiteouts as 0/0
            // devices, opaque xattrs): adopt it instead of extracting the tar again. Only
            // when it is on the store's file system; else extract.
            if (!adoptLayerDir || ::rename(newLayerDir->c_str(), (prep / "diff").c_str()) != 0) {
                BERTH_TRYV(sys::makeDirs(prep / "diff"));
                auto in = BERTH_TRY(sys::openFile(tarFile, O_RDONLY));
                BERTH_TRY_CTX(image::applyLayer(in.borrow(), prep / "diff", image::ApplyLimits::forEngine(layout.settings)), "extract the new layer");
            }
            BERTH_TRYV(image::writeLayerMeta(prep, image::LayerMeta{lr.chainId, lr.diffId, parent, lr.size}));
            set.layers.push_back({lr.chainId, prep});
        }
        set.blobs.push_back({lr.blob, tarFile});
        layers.push_back(lr);
    }

    json diffIds = json::array();
    for (auto& l : layers) diffIds.push_back(l.diffId.str());
    config["rootfs"] = {{"type", "layers"}, {"diff_ids", diffIds}};
    if (!config.contains("created") || !config["created"].is_string()) config["created"] = image::nowRfc3339();
    std::string cfgText = config.dump();
    auto cfgDigest = image::Digest::ofBytes(cfgText);
    BERTH_TRYV(sys::writeFileAtomic(work.path() / "config.json", cfgText));
    json mLayers = json::array();
    for (auto& l : layers) mLayers.push_back({{"mediaType", l.mediaType}, {"digest", l.blob.str()}, {"size", l.blobSize}});
    json manifest{{"schemaVersion", 2},
                  {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                  {"config", {{"mediaType", "application/vnd.oci.image.config.v1+json"},
                              {"digest", cfgDigest.str()}, {"size", cfgText.size()}}},
                  {"layers", mLayers}};
    std::string mText = manifest.dump();
    auto mDigest = image::Digest::ofBytes(mText);
    BERTH_TRYV(sys::writeFileAtomic(work.path() / "manifest.json", mText));
    set.blobs.push_back({cfgDigest, work.path() / "config.json"});
    set.blobs.push_back({mDigest, work.path() / "manifest.json"});

    image::PreparedImage img;
    img.record.id = cfgDigest;
    img.record.manifest = mDigest;
    img.record.created = config["created"].get<std::string>();
    img.record.added = image::nowRfc3339();
    img.record.layers = layers;
    if (parent != cfgDigest) img.record.parent = parent;
    img.names = names;
    set.images.push_back(std::move(img));
    {
        auto dfd = BERTH_TRY(sys::openFile(work.path(), O_RDONLY | O_DIRECTORY));
        if (::syncfs(dfd.get()) < 0) return failErrno("syncfs");
    }
    BERTH_TRYV_CTX(images.commitPrepared(work, set), "commit the image");

    ImageState st;
    st.id = cfgDigest;
    st.config = std::move(config);
    st.layers = std::move(layers);
    return st;
}

} // namespace berth::build
