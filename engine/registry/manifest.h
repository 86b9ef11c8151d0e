#pragma once
// Image manifests as registries serve them: Docker schema 2 and OCI image manifests, and
// the lists that point at one manifest per platform (Docker manifest lists, OCI indexes).
// Parsing validates what pulling relies on (digests, sizes, media types) so a hostile
// manifest is refused with a clear message before anything is fetched.

#include "image/digest.h"
#include "sys/error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace berth::registry {

namespace media {
inline constexpr const char* DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
inline constexpr const char* DockerList = "application/vnd.docker.distribution.manifest.list.v2+json";
inline constexpr const char* DockerConfig = "application/vnd.docker.container.image.v1+json";
inline constexpr const char* DockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";
inline constexpr const char* DockerForeignLayer =
    "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
inline constexpr const char* OciManifest = "application/vnd.oci.image.manifest.v1+json";
inline constexpr const char* OciIndex = "application/vnd.oci.image.index.v1+json";
inline constexpr const char* OciConfig = "application/vnd.oci.image.config.v1+json";
inline constexpr const char* OciLayer = "application/vnd.oci.image.layer.v1.tar";
inline constexpr const char* OciLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
inline constexpr const char* OciLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd";
} // namespace media

// Size caps: anything larger is refused before it is read in full.
inline constexpr size_t kMaxManifestBytes = size_t(4) << 20;
inline constexpr size_t kMaxConfigBytes = size_t(8) << 20;
inline constexpr size_t kMaxTokenBytes = size_t(1) << 20;

// The Accept header for manifest requests: every kind we understand.
std::string manifestAcceptHeader();

struct Platform {
    std::string os;
    std::string architecture;
    std::string variant;
    // "linux/amd64", "linux/arm64/v8"
    static Result<Platform> parse(std::string_view text);
    std::string str() const;
    bool operator==(const Platform&) const = default;
};

// The platform this program runs on (linux/<GOARCH-style name>).
Platform hostPlatform();
// Whether a manifest-list entry serves the wanted platform (variant rules as Docker's:
// arm64 defaults to v8, arm to v7; an empty wanted variant matches any).
bool platformMatches(const Platform& wanted, const Platform& entry);

struct Descriptor {
    std::string mediaType;
    image::Digest digest;
    uint64_t size = 0;
    std::vector<std::string> urls;
    std::optional<Platform> platform;
};

struct Manifest {
    std::string mediaType;  // DockerManifest or OciManifest
    Descriptor config;
    std::vector<Descriptor> layers;
};

struct ManifestIndex {
    std::string mediaType;  // DockerList or OciIndex
    std::vector<Descriptor> manifests;
};

// True when the media type (or, for OCI content without one, the JSON) is a list/index.
bool isIndexMediaType(std::string_view mediaType);
bool isManifestMediaType(std::string_view mediaType);

// `contentType` is the Content-Type the registry sent (may be empty or generic); the JSON's
// own mediaType wins when present.
Result<Manifest> parseManifest(std::string_view bytes, std::string_view contentType = {});
Result<ManifestIndex> parseIndex(std::string_view bytes, std::string_view contentType = {});
// Which kind a manifest document is: the media type to use for it, from the JSON and the
// Content-Type; InvalidArgument for schema 1 or unknown documents.
Result<std::string> detectMediaType(std::string_view bytes, std::string_view contentType);

// Picks the entry for `wanted`; NotFound listing the available platforms when none serves it.
Result<Descriptor> selectPlatform(const ManifestIndex& index, const Platform& wanted,
                                  std::string_view imageName);

bool isLayerMediaType(std::string_view mediaType);

} // namespace berth::registry
