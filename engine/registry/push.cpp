#include "registry/push.h"

#include "image/blob_store.h"
#include "image/image_commit.h"
#include "image/image_index.h"
#include "image/reference.h"
#include "image/work_dir.h"
#include "registry/manifest.h"
#include "registry/registries_config.h"
#include "registry/registry_client.h"
#include "store/events.h"
#include "sys/fs.h"

#include <fmt/format.h>

#include <fcntl.h>
#include <algorithm>
#include <sys/stat.h>

namespace berth::registry {

using image::Digest;

namespace {

struct PushBlob {
    Digest digest;
    uint64_t size = 0;
    bool isConfig = false;
};

} // namespace

Result<PushResult> pushImage(image::ImageStore& store, std::string_view text,
                             const PushOptions& options, const PushProgressFn& progress,
                             std::stop_token stop) {
    const auto& layout = store.layout();
    auto ref = BERTH_TRY(image::Reference::parse(text));
    std::string ctx = "push " + ref.familiar();
    auto summary = BERTH_TRY_CTX(store.resolve(text), ctx);
    auto index = BERTH_TRY_CTX(image::readIndex(layout), ctx);
    const image::ImageRecord* rec = index.find(summary.id);
    if (!rec) return fail(Errc::NotFound, ctx + ": image " + summary.id.str() + " is not in the index");

    // The manifest as stored: its bytes are what the registry gets, so the digest a later
    // pull sees is the one we print.
    std::string manifestBytes = BERTH_TRY_CTX(image::readBlob(layout, rec->manifest, kMaxManifestBytes),
                                              ctx + ": manifest");
    auto mediaType = BERTH_TRY_CTX(detectMediaType(manifestBytes, ""), ctx);
    auto manifest = BERTH_TRY_CTX(parseManifest(manifestBytes, mediaType), ctx);

    std::vector<PushBlob> blobs;
    for (auto& l : manifest.layers) blobs.push_back({l.digest, l.size, false});
    blobs.push_back({manifest.config.digest, manifest.config.size, true});
    for (auto& b : blobs)
        if (!image::hasBlob(layout, b.digest))
            return fail(Errc::NotFound, fmt::format("{}: blob {} is missing from the store (run `berth "
                                                    "system check`)", ctx, b.digest.str()));

    auto cfg = BERTH_TRY_CTX(RegistriesConfig::load(layout.root, layout.settings.config), ctx);
    ClientOptions co;
    co.tlsVerify = options.tlsVerify;
    co.insecure = cfg.isInsecure(ref.registry);
    co.plainHttp = cfg.allowsPlainHttp(ref.registry);
    co.certDir = options.certDir;
    co.credentials = options.credentials;
    co.dockerConfig = options.dockerConfig;
    co.config = layout.settings.config;
    co.maxRetries = options.maxRetries;
    RegistryClient client(ref.registry, co);
    BERTH_TRYV_CTX(client.ping(stop), ctx);

    // A repository of the same registry this image came from: blobs can be mounted.
    std::optional<std::string> mountFrom;
    for (auto& rd : rec->repoDigests) {
        auto at = rd.find('@');
        auto other = image::Reference::parse(rd.substr(0, at));
        if (other && other->registry == ref.registry && other->repository != ref.repository) {
            mountFrom = other->repository;
            break;
        }
    }

    auto report = [&](const PushBlob& b, std::string status, uint64_t cur = 0) {
        if (!progress || b.isConfig) return;
        progress(PushProgress{b.digest.shortId(), std::move(status), cur, b.size});
    };
    for (auto& b : blobs) report(b, "Preparing");
    for (auto& b : blobs) {
        std::string what = fmt::format("{} {}", b.isConfig ? "config" : "layer", b.digest.shortId());
        auto have = BERTH_TRY_CTX(client.blobSize(ref.repository, b.digest, stop), ctx + ": " + what);
        if (have) {
            report(b, "Layer already exists", b.size);
            continue;
        }
        if (mountFrom) {
            auto mounted = BERTH_TRY_CTX(client.mountBlob(ref.repository, b.digest, *mountFrom, stop),
                                         ctx + ": " + what);
            if (mounted) {
                report(b, "Mounted from " + *mountFrom, b.size);
                continue;
            }
        }
        auto path = image::blobPath(layout, b.digest);
        auto fd = BERTH_TRY_CTX(sys::openFile(path, O_RDONLY), ctx);
        struct stat st{};
        if (::fstat(fd.get(), &st) < 0) return failErrno(ctx + ": stat " + path.string());
        uint64_t size = uint64_t(st.st_size);
        report(b, "Pushing", 0);
        BERTH_TRYV_CTX(client.uploadBlob(ref.repository, b.digest, fd.get(), size,
                                         [&](uint64_t sent) { report(b, "Pushing", sent); }, stop,
                                         options.chunkSize),
                       ctx);
        report(b, "Pushed", b.size);
    }

    std::string reference = ref.digest ? ref.digest->str() : ref.tag;
    if (ref.digest && *ref.digest != rec->manifest)
        return fail(Errc::InvalidArgument,
                    fmt::format("{}: the image's manifest is {}, not the digest given", ctx, rec->manifest.str()));
    auto digest = BERTH_TRY_CTX(client.putManifest(ref.repository, reference, manifestBytes, mediaType, stop), ctx);

    PushResult out;
    // Like docker, the image now knows its digest in that repository: RepoDigests gets
    // "registry/repo@sha256:…" (no tag). The push itself is done whatever happens here.
    std::string repoDigest = ref.name() + "@" + digest.str();
    if (std::find(rec->repoDigests.begin(), rec->repoDigests.end(), repoDigest) == rec->repoDigests.end()) {
        auto recorded = [&]() -> VoidResult {
            auto work = BERTH_TRY(image::WorkDir::create(layout, "push"));
            image::CommitSet set;
            image::PreparedImage img;
            img.record = *rec;  // commit keeps the stored record and only adds the digest
            img.record.repoDigests = {repoDigest};
            set.images.push_back(std::move(img));
            return store.commitPrepared(work, set);
        }();
        if (!recorded)
            out.warning = fmt::format("pushed, but the repo digest {} was not recorded: {}", repoDigest,
                                      recorded.error().message());
    }

    store::Event e;
    e.type = "image";
    e.action = "push";
    e.id = summary.id.str();
    e.name = ref.familiar();
    (void)store::appendEvent(layout, std::move(e));

    out.tag = reference;
    out.name = ref.str();
    out.digest = digest;
    out.size = manifestBytes.size();
    return out;
}

} // namespace berth::registry
