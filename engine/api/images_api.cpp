// berth::Images over the image store and the registry client.
#include "engine_impl.h"

#include "image/image_file_tree.h"
#include "image/reference.h"
#include "registry/auth.h"
#include "registry/pull.h"
#include "registry/push.h"

#include <nlohmann/json.hpp>

namespace berth {

Result<std::string> familiarReference(std::string_view reference) {
    return BERTH_TRY(image::Reference::parse(reference)).familiar();
}

Result<std::string> parsePlatform(std::string_view text) {
    return BERTH_TRY(registry::Platform::parse(text)).str();
}

Result<std::string> repositoryName(std::string_view reference) {
    return BERTH_TRY(image::Reference::parse(reference)).name();
}

namespace {

// The JSON object docker's X-Registry-Auth and X-Registry-Config headers carry, base64url
// encoded; `what` names the header (or the entry) in errors.
Result<nlohmann::json> headerJson(std::string_view header, const std::string& what) {
    std::string b64(header);
    for (char& c : b64) c = c == '-' ? '+' : c == '_' ? '/' : c;  // docker sends base64url
    auto text = registry::base64Decode(b64);
    if (!text) return fail(Errc::InvalidArgument, "invalid " + what + ": not base64");
    auto j = nlohmann::json::parse(*text, nullptr, false);
    if (!j.is_object()) return fail(Errc::InvalidArgument, "invalid " + what + ": not a JSON object");
    return j;
}

// One AuthConfig object: username/password, auth (base64 of user:password) or identitytoken.
Result<RegistryCredentials> credentialsFromJson(const nlohmann::json& j, const std::string& what) {
    auto field = [&](const char* key) -> Result<std::string> {
        auto it = j.find(key);
        if (it == j.end() || it->is_null()) return std::string();
        if (!it->is_string()) return fail(Errc::InvalidArgument, "invalid " + what + ": " + key + " is not a string");
        return it->get<std::string>();
    };
    RegistryCredentials c;
    c.username = BERTH_TRY(field("username"));
    c.password = BERTH_TRY(field("password"));
    c.identityToken = BERTH_TRY(field("identitytoken"));
    if (auto auth = BERTH_TRY(field("auth")); !auth.empty() && c.username.empty()) {
        auto pair = registry::base64Decode(auth);
        auto colon = pair ? pair->find(':') : std::string::npos;
        if (colon == std::string::npos) return fail(Errc::InvalidArgument, "invalid " + what + ": auth is not base64 of user:password");
        c.username = pair->substr(0, colon);
        c.password = pair->substr(colon + 1);
    }
    return c;
}

} // namespace

Result<std::optional<RegistryCredentials>> registryAuthFromHeader(std::string_view header) {
    if (header.empty()) return std::nullopt;
    const std::string what = "X-Registry-Auth header";
    auto c = BERTH_TRY(credentialsFromJson(BERTH_TRY(headerJson(header, what)), what));
    if (c.empty()) return std::nullopt;
    return c;
}

Result<std::map<std::string, RegistryCredentials>> registryConfigFromHeader(std::string_view header) {
    std::map<std::string, RegistryCredentials> out;
    if (header.empty()) return out;
    auto j = BERTH_TRY(headerJson(header, "X-Registry-Config header"));
    for (auto& [registry, entry] : j.items()) {
        const std::string what = "X-Registry-Config header: entry \"" + registry + "\"";
        if (!entry.is_object()) return fail(Errc::InvalidArgument, "invalid " + what + ": not a JSON object");
        auto c = BERTH_TRY(credentialsFromJson(entry, what));
        if (!registry.empty() && !c.empty()) out[registry] = std::move(c);
    }
    return out;
}

} // namespace berth

namespace berth::api {

namespace {

ImageSummary toPublic(const image::ImageSummary& s) {
    return {s.id.str(), s.manifestDigest.str(), s.repoTags, s.repoDigests, s.created, s.size, s.layerCount, s.intermediate};
}

ImageRemoveReport toPublic(const image::RemoveReport& r) {
    ImageRemoveReport out;
    out.untagged = r.untagged;
    for (auto& d : r.deleted) out.deleted.push_back(d.str());
    return out;
}

Result<registry::PullOptions> pullOptions(const std::string& platform, const RegistryOptions& reg) {
    registry::PullOptions o;
    if (!platform.empty()) o.platform = BERTH_TRY(registry::Platform::parse(platform));
    o.tlsVerify = reg.tlsVerify;
    o.certDir = reg.certDir;
    o.credentials = reg.credentials;
    o.credentialsByRegistry = reg.credentialsByRegistry;
    return o;
}

} // namespace

Result<std::vector<ImageSummary>> ImagesApi::list(bool all) {
    auto rows = BERTH_TRY(m_s.images().list(all));
    std::vector<ImageSummary> out;
    out.reserve(rows.size());
    for (auto& r : rows) out.push_back(toPublic(r));
    return out;
}

Result<ImageSummary> ImagesApi::resolve(std::string_view nameOrId) {
    return toPublic(BERTH_TRY(m_s.images().resolve(nameOrId)));
}

Result<ImageDetails> ImagesApi::inspect(std::string_view nameOrId) {
    auto& store = m_s.images();
    auto summary = BERTH_TRY(store.resolve(nameOrId));
    ImageDetails d;
    d.summary = toPublic(summary);
    d.config = BERTH_TRY(store.config(summary.id));
    auto layers = BERTH_TRY(store.layerRecords(summary.id));
    std::vector<std::string> createdBy;
    for (auto& h : d.config.history)
        if (!h.emptyLayer) createdBy.push_back(h.createdBy);
    for (size_t i = 0; i < layers.size(); ++i)
        d.layers.push_back({layers[i].diffId.str(), layers[i].size, i < createdBy.size() ? createdBy[i] : std::string()});
    d.json = BERTH_TRY(store.inspect(summary.id)).dump();
    return d;
}

Result<std::vector<ImageHistoryRow>> ImagesApi::history(std::string_view nameOrId) {
    auto summary = BERTH_TRY(m_s.images().resolve(nameOrId));
    return m_s.images().history(summary.id);
}

Result<ImageFileNode> ImagesApi::fileTree(std::string_view nameOrId, std::stop_token stop) {
    auto summary = BERTH_TRY(m_s.images().resolve(nameOrId));
    auto dirs = BERTH_TRY(m_s.images().layerPaths(summary.id));
    return image::buildFileTree(dirs, stop);
}

Result<PullResult> ImagesApi::pull(const PullRequest& request, const PullProgressFn& progress, std::stop_token stop) {
    auto options = BERTH_TRY(pullOptions(request.platform, request.registry));
    auto r = BERTH_TRY(registry::pullImage(m_s.images(), request.reference, options, progress, stop));
    return PullResult{r.name, r.familiar, r.id.str(), r.digest.str(), r.downloaded};
}

Result<PushResult> ImagesApi::push(const PushRequest& request, const PushProgressFn& progress, std::stop_token stop) {
    registry::PushOptions o;
    o.tlsVerify = request.registry.tlsVerify;
    o.certDir = request.registry.certDir;
    o.credentials = request.registry.credentials;
    o.chunkSize = std::max<uint64_t>(request.chunkSize, 1024);
    auto r = BERTH_TRY(registry::pushImage(m_s.images(), request.reference, o, progress, stop));
    return PushResult{r.tag, r.name, r.digest.str(), r.size, r.warning};
}

Result<std::vector<LoadedImage>> ImagesApi::load(const std::filesystem::path& archive, const MessageFn& progress,
                                                 std::stop_token stop) {
    image::LoadOptions o;
    o.progress = progress;
    o.stop = stop;
    auto r = BERTH_TRY(m_s.images().load(archive, o));
    std::vector<LoadedImage> out;
    for (auto& i : r.images) out.push_back({i.id.str(), i.names});
    return out;
}

VoidResult ImagesApi::save(const std::vector<std::string>& refs, const std::filesystem::path& out,
                           const MessageFn& progress) {
    return m_s.images().save(refs, out, progress);
}

Result<std::string> ImagesApi::importRootfs(const std::filesystem::path& tarball, std::string_view reference,
                                            const std::string& message) {
    return BERTH_TRY(m_s.images().importRootfs(tarball, reference, message)).str();
}

VoidResult ImagesApi::tag(std::string_view source, std::string_view target) { return m_s.images().tag(source, target); }

Result<ImageRemoveReport> ImagesApi::remove(std::string_view reference, bool force) {
    return toPublic(BERTH_TRY(m_s.images().remove(reference, force)));
}

Result<ImagePruneReport> ImagesApi::prune(bool all) {
    auto r = BERTH_TRY(m_s.images().prune(all));
    return ImagePruneReport{toPublic(r.removed), r.reclaimed};
}

Result<ImageDiskUsage> ImagesApi::diskUsage() { return m_s.images().diskUsage(); }

} // namespace berth::api
