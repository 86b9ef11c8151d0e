#include "registry/manifest.h"
#include "sys/json_read.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <sys/utsname.h>

namespace berth::registry {

using nlohmann::json;

std::string manifestAcceptHeader() {
    return fmt::format("Accept: {}, {}, {}, {}", media::OciIndex, media::DockerList,
                       media::OciManifest, media::DockerManifest);
}

Result<Platform> Platform::parse(std::string_view text) {
    Platform p;
    std::vector<std::string> parts;
    size_t start = 0;
    for (;;) {
        auto slash = text.find('/', start);
        parts.emplace_back(text.substr(start, slash == std::string_view::npos ? slash : slash - start));
        if (slash == std::string_view::npos) break;
        start = slash + 1;
    }
    bool ok = (parts.size() == 2 || parts.size() == 3);
    for (auto& s : parts) ok = ok && !s.empty();
    if (!ok)
        return fail(Errc::InvalidArgument,
                    fmt::format("invalid platform \"{}\": expected os/arch[/variant], e.g. linux/amd64", text));
    p.os = parts[0];
    p.architecture = parts[1];
    if (parts.size() == 3) p.variant = parts[2];
    return p;
}

std::string Platform::str() const {
    std::string s = os + "/" + architecture;
    if (!variant.empty()) s += "/" + variant;
    return s;
}

Platform hostPlatform() {
    utsname u{};
    ::uname(&u);
    std::string m = u.machine;
    Platform p{"linux", m, ""};
    if (m == "x86_64") p.architecture = "amd64";
    else if (m == "aarch64" || m == "arm64") p = {"linux", "arm64", "v8"};
    else if (m.starts_with("armv7")) p = {"linux", "arm", "v7"};
    else if (m.starts_with("armv6")) p = {"linux", "arm", "v6"};
    else if (m == "i686" || m == "i386") p.architecture = "386";
    else if (m == "ppc64le") p.architecture = "ppc64le";
    else if (m == "s390x") p.architecture = "s390x";
    else if (m == "riscv64") p.architecture = "riscv64";
    return p;
}

static std::string normalVariant(const std::string& arch, const std::string& variant) {
    if (arch == "arm64" && variant.empty()) return "v8";
    if (arch == "arm" && variant.empty()) return "v7";
    return variant;
}

bool platformMatches(const Platform& wanted, const Platform& entry) {
    if (wanted.os != entry.os || wanted.architecture != entry.architecture) return false;
    if (wanted.variant.empty()) {
        // No variant asked: the default one (or an entry without variant).
        if (wanted.architecture == "arm64" || wanted.architecture == "arm")
            return normalVariant(entry.architecture, entry.variant) ==
                   normalVariant(wanted.architecture, "");
        return true;
    }
    return normalVariant(wanted.architecture, wanted.variant) ==
           normalVariant(entry.architecture, entry.variant);
}

bool isIndexMediaType(std::string_view t) { return t == media::DockerList || t == media::OciIndex; }
bool isManifestMediaType(std::string_view t) {
    return t == media::DockerManifest || t == media::OciManifest;
}

bool isLayerMediaType(std::string_view t) {
    return t == media::DockerLayerGzip || t == media::DockerForeignLayer || t == media::OciLayer ||
           t == media::OciLayerGzip || t == media::OciLayerZstd ||
           t == "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip" ||
           t == "application/vnd.oci.image.layer.nondistributable.v1.tar" ||
           t == "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd";
}

static std::string baseContentType(std::string_view ct) {
    auto semi = ct.find(';');
    std::string s(ct.substr(0, semi));
    while (!s.empty() && s.back() == ' ') s.pop_back();
    return s;
}

Result<std::string> detectMediaType(std::string_view bytes, std::string_view contentType) {
    auto j = json::parse(bytes, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return fail(Errc::Corrupt, "manifest is not a JSON object");
    std::string own = sys::jsonString(j, "mediaType");
    if (!own.empty()) {
        if (isIndexMediaType(own) || isManifestMediaType(own)) return own;
        return fail(Errc::Unsupported, "unsupported manifest media type " + own);
    }
    std::string ct = baseContentType(contentType);
    if (isIndexMediaType(ct) || isManifestMediaType(ct)) return ct;
    if (sys::jsonInt(j, "schemaVersion") == 1 || ct.find("v1+") != std::string::npos)
        return fail(Errc::Unsupported,
                    "Docker schema 1 manifests are not supported (deprecated since 2017)");
    // OCI documents may omit mediaType: tell them apart by their fields.
    if (j.contains("manifests")) return std::string(media::OciIndex);
    if (j.contains("config") && j.contains("layers")) return std::string(media::OciManifest);
    return fail(Errc::Unsupported, "unknown manifest format" +
                                       (ct.empty() ? std::string() : " (" + ct + ")"));
}

static Result<Descriptor> parseDescriptor(const json& j, std::string_view what) {
    if (!j.is_object()) return fail(Errc::Corrupt, fmt::format("{}: not an object", what));
    Descriptor d;
    if (!j.contains("digest") || !j["digest"].is_string())
        return fail(Errc::Corrupt, fmt::format("{}: missing digest", what));
    auto digest = image::Digest::parse(j["digest"].get<std::string>());
    if (!digest)
        return fail(Errc::Corrupt, fmt::format("{}: {}", what, digest.error().message()));
    d.digest = *digest;
    if (!j.contains("size") || !j["size"].is_number_unsigned())
        return fail(Errc::Corrupt, fmt::format("{}: missing or negative size", what));
    d.size = j["size"].get<uint64_t>();
    if (j.contains("mediaType") && j["mediaType"].is_string())
        d.mediaType = j["mediaType"].get<std::string>();
    if (j.contains("urls") && j["urls"].is_array())
        for (auto& u : j["urls"])
            if (u.is_string()) d.urls.push_back(u.get<std::string>());
    if (j.contains("platform") && j["platform"].is_object()) {
        auto& p = j["platform"];
        Platform plat;
        plat.os = sys::jsonString(p, "os");
        plat.architecture = sys::jsonString(p, "architecture");
        plat.variant = sys::jsonString(p, "variant");
        d.platform = plat;
    }
    return d;
}

Result<Manifest> parseManifest(std::string_view bytes, std::string_view contentType) {
    if (bytes.size() > kMaxManifestBytes)
        return fail(Errc::Corrupt, "manifest larger than 4 MiB");
    auto type = BERTH_TRY(detectMediaType(bytes, contentType));
    if (!isManifestMediaType(type))
        return fail(Errc::InvalidArgument, "expected an image manifest, got " + type);
    auto j = json::parse(bytes);
    Manifest m;
    m.mediaType = type;
    if (sys::jsonInt(j, "schemaVersion") != 2)
        return fail(Errc::Unsupported, "manifest schemaVersion is not 2");
    if (!j.contains("config")) return fail(Errc::Corrupt, "manifest has no config");
    m.config = BERTH_TRY(parseDescriptor(j["config"], "manifest config"));
    if (m.config.size > kMaxConfigBytes)
        return fail(Errc::Corrupt, fmt::format("image config of {} bytes exceeds the 8 MiB cap",
                                               m.config.size));
    if (!j.contains("layers") || !j["layers"].is_array())
        return fail(Errc::Corrupt, "manifest has no layers array");
    size_t i = 0;
    for (auto& l : j["layers"]) {
        auto d = BERTH_TRY(parseDescriptor(l, fmt::format("layer {}", ++i)));
        if (!d.mediaType.empty() && !isLayerMediaType(d.mediaType))
            return fail(Errc::Unsupported,
                        fmt::format("layer {} ({}): unsupported media type {}", i,
                                    d.digest.shortId(), d.mediaType));
        m.layers.push_back(std::move(d));
    }
    return m;
}

Result<ManifestIndex> parseIndex(std::string_view bytes, std::string_view contentType) {
    if (bytes.size() > kMaxManifestBytes)
        return fail(Errc::Corrupt, "manifest list larger than 4 MiB");
    auto type = BERTH_TRY(detectMediaType(bytes, contentType));
    if (!isIndexMediaType(type))
        return fail(Errc::InvalidArgument, "expected a manifest list, got " + type);
    auto j = json::parse(bytes);
    ManifestIndex idx;
    idx.mediaType = type;
    if (!j.contains("manifests") || !j["manifests"].is_array())
        return fail(Errc::Corrupt, "manifest list has no manifests array");
    size_t i = 0;
    for (auto& m : j["manifests"])
        idx.manifests.push_back(BERTH_TRY(parseDescriptor(m, fmt::format("manifest list entry {}", ++i))));
    return idx;
}

Result<Descriptor> selectPlatform(const ManifestIndex& index, const Platform& wanted,
                                  std::string_view imageName) {
    std::vector<std::string> available;
    for (auto& d : index.manifests) {
        // Attestation manifests (buildkit's "unknown/unknown") are not images.
        if (!d.platform || d.platform->os == "unknown") continue;
        if (!d.mediaType.empty() && !isManifestMediaType(d.mediaType)) continue;
        if (platformMatches(wanted, *d.platform)) return d;
        available.push_back(d.platform->str());
    }
    std::string list;
    for (auto& a : available) list += (list.empty() ? "" : ", ") + a;
    return fail(Errc::NotFound,
                fmt::format("no image for platform {} in the manifest list of {} (available: {})",
                            wanted.str(), imageName, list.empty() ? "none" : list));
}

} // namespace berth::registry
