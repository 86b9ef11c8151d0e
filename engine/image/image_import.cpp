// ImageStore::importRootfs: a one-layer image from a root file system tarball.
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

namespace berth::image {

namespace fs = std::filesystem;
using nlohmann::json;

Result<Digest> ImageStore::importRootfs(const fs::path& tarPath, std::string_view ref,
                                        const std::string& message) {
    std::string ctx = "import `" + tarPath.string() + "`";
    std::vector<std::string> names;
    if (!ref.empty()) {
        auto r = BERTH_TRY(Reference::parse(ref));
        if (r.digest) return fail(Errc::InvalidArgument, "import: the name may not carry a digest");
        names.push_back(r.str());
    }
    {
        auto lock = BERTH_TRY_CTX(lockForMutation(), ctx);
    }
    auto work = BERTH_TRY_CTX(WorkDir::create(m_layout, "import"), ctx);

    // Keep the tarball as the layer blob (it may be plain, gzip or zstd).
    fs::path blobFile = work.path() / "layer.blob";
    Digest blobDigest;
    uint64_t blobSize = 0;
    {
        auto in = BERTH_TRY_CTX(sys::openFile(tarPath, O_RDONLY), ctx);
        auto out = BERTH_TRY_CTX(sys::openFile(blobFile, O_WRONLY | O_CREAT | O_EXCL, 0644), ctx);
        Sha256 h;
        std::string buf(1 << 18, '\0');
        for (;;) {
            ssize_t n = ::read(in.get(), buf.data(), buf.size());
            if (n < 0) {
                if (errno == EINTR) continue;
                return failErrno(ctx + ": read");
            }
            if (n == 0) break;
            h.update(buf.data(), size_t(n));
            blobSize += uint64_t(n);
            BERTH_TRYV_CTX(sys::writeAll(out.borrow(), std::string_view(buf.data(), size_t(n))), ctx);
        }
        blobDigest = h.finish();
    }

    fs::path layerPrep = work.path() / "layer";
    BERTH_TRYV_CTX(sys::makeDirs(layerPrep / "diff"), ctx);
    auto fd = BERTH_TRY_CTX(sys::openFile(blobFile, O_RDONLY), ctx);
    auto applied = BERTH_TRY_CTX(applyLayer(fd.borrow(), layerPrep / "diff", ApplyLimits::forEngine(m_layout.settings)), ctx);
    fd.reset();

    LayerRecord lr;
    lr.blob = blobDigest;
    lr.blobSize = blobSize;
    std::string comp = sniffCompression(blobFile);
    lr.mediaType = "application/vnd.oci.image.layer.v1.tar" +
                   std::string(comp == "gzip" ? "+gzip" : comp == "zstd" ? "+zstd" : "");
    lr.diffId = applied.diffId;
    lr.chainId = applied.diffId;
    lr.size = applied.uncompressedBytes;
    BERTH_TRYV_CTX(writeLayerMeta(layerPrep, LayerMeta{lr.chainId, lr.diffId, std::nullopt, lr.size}), ctx);

    std::string created = nowRfc3339();
    std::string cfgText = makeImportConfig(lr.diffId, created, message).dump();
    Digest cfgDigest = Digest::ofBytes(cfgText);
    BERTH_TRYV_CTX(sys::writeFileAtomic(work.path() / "config.json", cfgText), ctx);
    json manifest{{"schemaVersion", 2},
                  {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                  {"config", {{"mediaType", "application/vnd.oci.image.config.v1+json"},
                              {"digest", cfgDigest.str()}, {"size", cfgText.size()}}},
                  {"layers", json::array({{{"mediaType", lr.mediaType}, {"digest", lr.blob.str()},
                                           {"size", lr.blobSize}}})}};
    std::string mText = manifest.dump();
    BERTH_TRYV_CTX(sys::writeFileAtomic(work.path() / "manifest.json", mText), ctx);

    CommitSet set;
    set.blobs.push_back({cfgDigest, work.path() / "config.json"});
    set.blobs.push_back({Digest::ofBytes(mText), work.path() / "manifest.json"});
    set.blobs.push_back({lr.blob, blobFile});
    set.layers.push_back({lr.chainId, layerPrep});
    PreparedImage img;
    img.record.id = cfgDigest;
    img.record.manifest = Digest::ofBytes(mText);
    img.record.created = created;
    img.record.added = created;
    img.record.layers.push_back(lr);
    img.names = names;
    set.images.push_back(std::move(img));
    {
        auto dfd = BERTH_TRY_CTX(sys::openFile(work.path(), O_RDONLY | O_DIRECTORY), ctx);
        if (::syncfs(dfd.get()) < 0) return failErrno(ctx + ": syncfs");
    }
    {
        auto lock = BERTH_TRY_CTX(lockForMutation(), ctx);
        BERTH_TRY_CTX(commitImages(m_layout, work, set), ctx);
    }
    store::Event e;
    e.type = "image";
    e.action = "import";
    e.id = cfgDigest.str();
    e.name = names.empty() ? "" : familiarName(names.front());
    (void)store::appendEvent(m_layout, std::move(e));
    return cfgDigest;
}

} // namespace berth::image
