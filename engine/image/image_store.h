#pragma once
// ImageStore: the images of one store: content-addressed blobs, extracted layers (one
// directory per chain id), and the index of names to manifests. Thread-safe; mutations take
// the store's flock so several processes can share the store.
//
// The methods below list()…layerPaths() are the contract other layers (container/, api/,
// ui/) rely on; the rest (load, save, import, tag, remove, check...) is the image CLI's.
//
// Crash safety: every mutation first prepares its work in a private directory under tmp/
// (marked by an flock its owner holds), then commits under the store lock in an order that
// a crash at any point leaves either the old or the new state plus leftovers that the next
// mutation (or `check`) recognises and removes.

#include "berth/system.h"
#include "image/digest.h"
#include "image/image_config.h"
#include "image/image_index.h"
#include "image/reference.h"
#include "store/layout.h"
#include "sys/error.h"
#include "sys/file_lock.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <stop_token>
#include <string>
#include <vector>

namespace berth::image {

class WorkDir;
struct CommitSet;

struct ImageSummary {
    Digest id;                          // config digest; "IMAGE ID" is id.shortId()
    Digest manifestDigest;
    std::vector<std::string> repoTags;  // familiar form, e.g. "busybox:latest"
    std::vector<std::string> repoDigests;  // "docker.io/library/busybox@sha256:…"
    std::string created;                // RFC 3339, from the config
    uint64_t size = 0;                  // sum of uncompressed layer sizes
    size_t layerCount = 0;
    bool intermediate = false;          // untagged parent of another image (a build step)
};

// Limits for reading an outer image archive (docker save / OCI archive).
struct ArchiveLimits {
    uint64_t maxBytes = uint64_t(64) << 30;  // total bytes of all entries
    uint64_t maxEntries = 200'000;
    // Decompressed:compressed ratio beyond which a compressed archive is a bomb, checked
    // once more than ratioFloor bytes came out.
    uint64_t maxRatio = 500;
    uint64_t ratioFloor = uint64_t(64) << 20;
};

using ProgressFn = std::function<void(const std::string&)>;

struct LoadOptions {
    ProgressFn progress;
    std::stop_token stop;
    ArchiveLimits limits;
};

struct LoadResult {
    struct Loaded {
        Digest id;
        std::vector<std::string> names;  // familiar names it was tagged with
    };
    std::vector<Loaded> images;
};

struct RemoveReport {
    std::vector<std::string> untagged;  // familiar names
    std::vector<Digest> deleted;        // the image id, then removed layers' chain ids
};

using HistoryRow = berth::ImageHistoryRow;
using DiskUsage = berth::ImageDiskUsage;
using CheckProblem = berth::StoreCheckProblem;
using CheckReport = berth::StoreCheckReport;

struct PruneReport {
    RemoveReport removed;
    uint64_t reclaimed = 0;
};

class ImageStore {
public:
    explicit ImageStore(store::StoreLayout layout);
    ~ImageStore();

    // Without `all`, intermediate build images are left out (docker images vs images -a).
    Result<std::vector<ImageSummary>> list(bool all = false) const;
    // A name ("busybox", "busybox:1", "docker.io/library/busybox:latest"), a full id
    // ("sha256:…" or 64 hex) or a unique id prefix (at least 4 hex chars).
    Result<ImageSummary> resolve(std::string_view nameOrId) const;
    Result<ImageConfig> config(const Digest& id) const;
    // The extracted layer directories, bottom layer first: overlayfs lowerdirs.
    Result<std::vector<std::filesystem::path>> layerPaths(const Digest& id) const;
    // The image's layers as the index records them (diff id, size), bottom first.
    Result<std::vector<LayerRecord>> layerRecords(const Digest& id) const;

    const store::StoreLayout& layout() const { return m_layout; }

    // Loads a `docker save` archive or an OCI image-layout archive (plain or compressed).
    // All or nothing: on any error the store is as it was.
    Result<LoadResult> load(const std::filesystem::path& archive, const LoadOptions& options = {});
    // Writes a docker-archive (manifest.json + blobs/sha256/…, uncompressed layers) that
    // docker/podman load and skopeo read. `refs` are names or ids.
    VoidResult save(const std::vector<std::string>& refs, const std::filesystem::path& out,
                    const ProgressFn& progress = {});
    // A one-layer image from a root file system tarball (plain, gzip or zstd).
    Result<Digest> importRootfs(const std::filesystem::path& tarPath, std::string_view ref,
                                const std::string& message = {});
    VoidResult tag(std::string_view source, std::string_view target);
    // docker rmi: a name untags (and deletes the image with its last name); an id deletes
    // (refused when it has several names, unless force). Images in use are never deleted.
    // A deleted image takes its untagged, unused parents with no other child along.
    Result<RemoveReport> remove(std::string_view ref, bool force);
    // docker image prune: dangling images (untagged, no child; with them the parents they
    // leave childless), or every unused image with `all`.
    Result<PruneReport> prune(bool all);
    Result<std::vector<HistoryRow>> history(const Digest& id) const;
    // Like `docker image inspect`.
    Result<nlohmann::json> inspect(const Digest& id) const;
    Result<DiskUsage> diskUsage() const;
    Result<CheckReport> check(bool repair);
    // For pull (engine/registry): under the store lock, after rolling back what dead
    // processes left, commits what `work` prepared. In image_store_registry.cpp.
    VoidResult commitPrepared(WorkDir& work, CommitSet& set);

    // Set by the container layer: the ids ("sha256:…") of the images containers (in any
    // state) were created from. Such images are never deleted. One read of the containers per
    // call: a loop over images asks once (imagesInUse) and looks each up.
    void setInUseCheck(std::function<std::set<std::string>()> imagesInUse) { m_imagesInUse = std::move(imagesInUse); }
    std::set<std::string> imagesInUse() const { return m_imagesInUse ? m_imagesInUse() : std::set<std::string>{}; }
    bool inUse(const Digest& id) const { return imagesInUse().contains(id.str()); }

private:
    // The store lock (exclusive) after rolling back whatever a dead process left half done.
    Result<sys::FileLock> lockForMutation();
    Result<size_t> recoverLocked();
    Result<Digest> resolveId(std::string_view nameOrId) const;

    store::StoreLayout m_layout;
    std::function<std::set<std::string>()> m_imagesInUse;
};

} // namespace berth::image
