#pragma once
// Images: the images of one store and their registries. Reached through
// berth::Engine::images(). Ids are docker's strings ("sha256:<64 hex>"); names are given
// as users type them ("busybox", "busybox:1", "127.0.0.1:5000/me/app:1") and come back in
// their familiar form ("busybox:latest"). Pull, push, load and save take a progress callback
// and a std::stop_token; a cancelled one is Errc::Cancelled and leaves the store as it was.

#include "berth/error.h"
#include "berth/run_request.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

namespace berth {

struct ImageSummary {
    std::string id;                     // "sha256:…"; IMAGE ID is its first 12 hex
    std::string manifestDigest;         // "sha256:…"
    std::vector<std::string> repoTags;  // familiar form, e.g. "busybox:latest"
    std::vector<std::string> repoDigests;  // "registry/repo@sha256:…" where pushed or pulled
    std::string created;                // RFC 3339, from the config
    uint64_t size = 0;                  // sum of uncompressed layer sizes
    size_t layerCount = 0;
    bool intermediate = false;          // untagged parent of another image (a build step)
};

struct ImageHistoryEntry {
    std::string created;
    std::string createdBy;
    std::string comment;
    bool emptyLayer = false;
};

// The parts of an image's configuration a front-end shows or a container starts from.
struct ImageConfig {
    std::string architecture;  // "amd64"
    std::string os;            // "linux"
    std::string created;       // RFC 3339
    std::string author;
    std::vector<std::string> env;  // "K=V"
    std::vector<std::string> entrypoint;
    std::vector<std::string> cmd;
    std::string workingDir;
    std::string user;
    std::string stopSignal;
    std::optional<HealthConfig> healthcheck;  // HEALTHCHECK (Test ["NONE"] when it disables the base's)
    std::vector<std::string> exposedPorts;  // "80/tcp"
    std::vector<std::string> volumes;
    std::map<std::string, std::string> labels;
    std::vector<std::string> diffIds;  // "sha256:…", bottom layer first
    std::vector<ImageHistoryEntry> history;
};

struct ImageLayer {
    std::string diffId;     // "sha256:…"
    uint64_t size = 0;      // uncompressed bytes (of its tar)
    std::string createdBy;  // the history entry that made it
};

// `berth inspect IMAGE`, the window's image details and GET /images/{name}/json.
struct ImageDetails {
    ImageSummary summary;
    ImageConfig config;
    std::vector<ImageLayer> layers;  // bottom first
    std::string json;                // docker image inspect's object
};

// `berth history`: newest first, like docker.
struct ImageHistoryRow {
    std::string id;  // the image id for the top entry, "<missing>" below
    std::string created;
    std::string createdBy;
    std::string comment;
    uint64_t size = 0;
    bool emptyLayer = false;
};

// The merged file system of an image, as overlayfs stacks its layers, with the layer that
// last added, changed or deleted each path (whiteouts and opaque directories applied).
struct ImageFileNode {
    enum class Kind { Directory, File, Symlink, Other };
    enum class Change { Added, Modified, Deleted };
    std::string name;        // "/" for the root
    Kind kind = Kind::Directory;
    Change change = Change::Added;
    int layer = -1;          // index into ImageDetails::layers
    uint64_t size = 0;
    uint32_t mode = 0;       // st_mode
    std::string linkTarget;
    std::vector<ImageFileNode> children;  // directories first, then by name
};

// Registries ------------------------------------------------------------------------------

struct RegistryCredentials {
    std::string username;
    std::string password;       // or the secret of an identity token
    std::string identityToken;  // OAuth refresh token ("identitytoken" in config.json)
    bool empty() const { return username.empty() && password.empty() && identityToken.empty(); }
};

// TLS and credentials for one call; empty fields are the defaults (docker's config.json,
// the certs.d places, registries.json).
struct RegistryOptions {
    bool tlsVerify = true;
    std::filesystem::path certDir;  // a certs.d-style directory: <host:port>/ca.crt, client.cert/key
    std::optional<RegistryCredentials> credentials;
    // Without `credentials`: per registry, as docker's X-Registry-Config sends them (keyed
    // "host:port", or "https://index.docker.io/v1/" for Docker Hub); a registry not listed
    // uses docker's config.json.
    std::map<std::string, RegistryCredentials> credentialsByRegistry;
};

struct PullRequest {
    std::string reference;  // "busybox", "127.0.0.1:5000/me/app:1", "name@sha256:…"
    std::string platform;   // "linux/arm64/v8"; "" = this host's
    RegistryOptions registry;
};

enum class LayerState {
    Waiting, Downloading, Retrying, Verifying, DownloadComplete, Extracting, PullComplete, AlreadyExists,
};
const char* layerStateText(LayerState s);  // docker's words: "Pull complete", "Already exists"…

struct PullProgress {
    enum class Kind {
        Resolved,  // message: "latest: Pulling from library/busybox"
        Layer,     // one layer's state changed or bytes moved
        Message,   // a line to show as is
    };
    Kind kind = Kind::Message;
    std::string message;
    std::string layerId;  // first 12 hex of the layer blob digest
    LayerState state = LayerState::Waiting;
    uint64_t current = 0;
    uint64_t total = 0;
};
using PullProgressFn = std::function<void(const PullProgress&)>;

struct PullResult {
    std::string name;      // "docker.io/library/busybox:latest" (or name@digest)
    std::string familiar;  // "busybox:latest"
    std::string id;        // "sha256:…" (config digest)
    std::string digest;    // what the reference resolved to (manifest list or manifest)
    bool downloaded = false;  // false: "Image is up to date"
};

struct PushRequest {
    std::string reference;  // the local image and the destination: "127.0.0.1:5000/me/app:1"
    RegistryOptions registry;
    uint64_t chunkSize = uint64_t(32) << 20;  // blobs larger than this go up in PATCH chunks
};

struct PushProgress {
    std::string layerId;  // 12 hex of the blob
    // "Preparing", "Waiting", "Pushing", "Pushed", "Layer already exists", "Mounted from a/b"
    std::string status;
    uint64_t current = 0;
    uint64_t total = 0;
};
using PushProgressFn = std::function<void(const PushProgress&)>;

struct PushResult {
    std::string tag;       // "1" (or the digest when pushed by digest)
    std::string name;      // "127.0.0.1:5000/a/b:1"
    std::string digest;    // of the manifest as the registry stores it
    uint64_t size = 0;     // manifest bytes
    std::string warning;   // the push worked but recording its RepoDigest failed
};

// Archives and removal ----------------------------------------------------------------------

using MessageFn = std::function<void(const std::string&)>;  // a progress line to show

struct LoadedImage {
    std::string id;
    std::vector<std::string> names;  // familiar names it was tagged with
};

struct ImageRemoveReport {
    std::vector<std::string> untagged;  // familiar names
    std::vector<std::string> deleted;   // the image id, then removed layers' chain ids
};

struct ImagePruneReport {
    ImageRemoveReport removed;
    uint64_t reclaimedBytes = 0;
};

struct ImageDiskUsage {
    size_t images = 0;
    size_t activeImages = 0;
    uint64_t size = 0;         // unique layer bytes
    uint64_t reclaimable = 0;  // bytes only unused images hold
    uint64_t blobBytes = 0;    // stored blobs (compressed layers, configs, manifests)
};

// A reference as docker shows it ("busybox" -> "busybox:latest", "docker.io/me/app" ->
// "me/app:latest"); Errc::InvalidArgument for a malformed one.
Result<std::string> familiarReference(std::string_view reference);
// A platform as pulls take it ("linux/amd64", "linux/arm64/v8"), normalised; an unknown
// form is Errc::InvalidArgument.
Result<std::string> parsePlatform(std::string_view text);
// The repository a reference names, in full ("busybox" -> "docker.io/library/busybox").
Result<std::string> repositoryName(std::string_view reference);
// The credentials of docker's X-Registry-Auth header: base64url of a JSON object
// ("username", "password", "auth" = base64 of user:password, "identitytoken"). An empty
// header or object is none (nullopt); anything malformed is Errc::InvalidArgument.
Result<std::optional<RegistryCredentials>> registryAuthFromHeader(std::string_view header);
// docker's X-Registry-Config header (POST /build): base64url of a JSON object mapping a
// registry to such credentials. Empty is none; malformed is Errc::InvalidArgument.
Result<std::map<std::string, RegistryCredentials>> registryConfigFromHeader(std::string_view header);

class Images {
public:
    virtual ~Images() = default;

    // Without `all`, intermediate build images are left out (docker images vs images -a).
    virtual Result<std::vector<ImageSummary>> list(bool all = false) = 0;
    // A name, a full id ("sha256:…" or 64 hex) or a unique id prefix (4+ hex).
    // Errc::NotFound when the store has no such image.
    virtual Result<ImageSummary> resolve(std::string_view nameOrId) = 0;
    virtual Result<ImageDetails> inspect(std::string_view nameOrId) = 0;
    virtual Result<std::vector<ImageHistoryRow>> history(std::string_view nameOrId) = 0;
    virtual Result<ImageFileNode> fileTree(std::string_view nameOrId, std::stop_token stop = {}) = 0;

    virtual Result<PullResult> pull(const PullRequest& request, const PullProgressFn& progress = {},
                                    std::stop_token stop = {}) = 0;
    virtual Result<PushResult> push(const PushRequest& request, const PushProgressFn& progress = {},
                                    std::stop_token stop = {}) = 0;

    // A `docker save` archive or an OCI image-layout archive (plain or compressed). All or
    // nothing: on any error the store is as it was.
    virtual Result<std::vector<LoadedImage>> load(const std::filesystem::path& archive, const MessageFn& progress = {},
                                                  std::stop_token stop = {}) = 0;
    // A docker-archive that docker/podman load and skopeo read. `refs` are names or ids.
    virtual VoidResult save(const std::vector<std::string>& refs, const std::filesystem::path& out,
                            const MessageFn& progress = {}) = 0;
    // A one-layer image from a root file system tarball (plain, gzip or zstd); its id.
    virtual Result<std::string> importRootfs(const std::filesystem::path& tarball, std::string_view reference,
                                             const std::string& message = {}) = 0;
    virtual VoidResult tag(std::string_view source, std::string_view target) = 0;
    // docker rmi: a name untags (and deletes the image with its last name); an id deletes
    // (refused when it has several names, unless force). An image a container uses is never
    // deleted (Errc::Conflict).
    virtual Result<ImageRemoveReport> remove(std::string_view reference, bool force = false) = 0;
    // Dangling images (untagged, no child), or every unused image with `all`.
    virtual Result<ImagePruneReport> prune(bool all = false) = 0;
    virtual Result<ImageDiskUsage> diskUsage() = 0;
};

} // namespace berth
