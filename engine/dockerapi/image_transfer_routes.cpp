// Images in and out of the store: POST /images/create (pull, with docker's progress
// stream and X-Registry-Auth; fromSrc imports a root file system tarball), push, GET
// /images/get and /images/{name}/get (save), POST /images/load. Uploads and archives go
// through a temporary file ($TMPDIR, else /tmp) that is removed when the request ends; a
// client that goes away cancels its pull, push or load.
#include "api_error.h"
#include "json_lines.h"
#include "routes.h"
#include "temp_file.h"

#include "berth/engine.h"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>

namespace berth::dockerapi {

namespace {

using nlohmann::json;

// "name:tag" with the tag docker's clients send apart (fromImage=127.0.0.1:5000/a&tag=1);
// a tag given that way replaces one in the name, a digest is name@digest.
std::string withTag(const std::string& name, const std::string& tag) {
    if (tag.empty()) return name;
    if (tag.starts_with("sha256:")) return name + "@" + tag;
    const size_t slash = name.rfind('/');
    const size_t colon = name.rfind(':');
    const bool tagged = colon != std::string::npos && (slash == std::string::npos || colon > slash);
    return (tagged ? name.substr(0, colon) : name) + ":" + tag;
}

RegistryOptions registryOptions(const Request& req) {
    RegistryOptions o;
    o.credentials = check(registryAuthFromHeader(req.header("X-Registry-Auth")));
    return o;
}

// docker's transfer lines stay readable: a layer's byte count is sent again only once it
// moved by a hundredth of the total (or 1 MB when the total is unknown).
class Throttle {
public:
    bool due(const std::string& id, uint64_t current, uint64_t total) {
        uint64_t& last = m_sent[id];
        const uint64_t step = total ? std::max<uint64_t>(total / 100, 1) : uint64_t(1) << 20;
        if (current != 0 && current < total && current - std::min(current, last) < step) return false;
        last = current;
        return true;
    }

private:
    std::map<std::string, uint64_t> m_sent;
};

json pullLine(const PullProgress& p, Throttle& throttle, bool& send) {
    send = true;
    using K = PullProgress::Kind;
    if (p.kind == K::Resolved) {
        // "latest: Pulling from library/busybox" is docker's {"status":…,"id":"latest"}.
        const size_t sep = p.message.find(": ");
        if (sep != std::string::npos) return statusLine(p.message.substr(sep + 2), p.message.substr(0, sep));
    }
    if (p.kind != K::Layer) return statusLine(p.message);
    switch (p.state) {
    case LayerState::Waiting: return statusLine("Pulling fs layer", p.layerId);
    case LayerState::Retrying: return statusLine(p.message.empty() ? "Retrying" : "Retrying: " + p.message, p.layerId);
    case LayerState::Downloading:
    case LayerState::Extracting:
        if (p.total || p.current) {
            send = throttle.due(p.layerId + layerStateText(p.state), p.current, p.total);
            return progressLine(layerStateText(p.state), p.layerId, p.current, p.total);
        }
        [[fallthrough]];
    default: return statusLine(layerStateText(p.state), p.layerId);
    }
}

void pull(Engine& engine, Request& req, Response& res) {
    const std::string from = req.query.get("fromImage");
    if (from.empty()) badRequest("fromImage must be given");
    PullRequest request{.reference = withTag(from, req.query.get("tag")),
                        .platform = req.query.get("platform"),
                        .registry = registryOptions(req)};
    JsonLines out(res);
    Throttle throttle;
    auto progress = [&out, &throttle](const PullProgress& p) {
        bool send = true;
        json line = pullLine(p, throttle, send);
        if (send) out.send(line);
    };
    auto pulled = engine.images().pull(request, progress, req.stop);
    if (!pulled) return out.fail(pulled.error());
    out.send(statusLine("Digest: " + pulled->digest));
    out.send(statusLine(std::string("Status: ") + (pulled->downloaded ? "Downloaded newer image for " : "Image is up to date for ") +
                        pulled->familiar));
}

// fromSrc=-: the body is a root file system tarball (docker import).
void importImage(Engine& engine, Request& req, Response& res) {
    if (req.query.get("fromSrc") != "-") badRequest("fromSrc: only \"-\" (the request body) is supported, not a URL");
    TempFile file("import");
    spoolUpload(req, file);
    std::string repo = req.query.get("repo");
    std::string id = check(engine.images().importRootfs(file.path(), repo.empty() ? "" : withTag(repo, req.query.get("tag")),
                                                        req.query.get("message")));
    JsonLines out(res);
    out.send({{"status", id}});
}

void create(Engine& engine, Request& req, Response& res) {
    if (req.query.has("fromSrc")) return importImage(engine, req, res);
    pull(engine, req, res);
}

std::vector<std::string> tagsOfRepository(Engine& engine, const std::string& name) {
    const std::string repo = check(repositoryName(name));
    std::vector<std::string> out;
    for (const ImageSummary& s : check(engine.images().list(false)))
        for (const std::string& t : s.repoTags)
            if (auto r = repositoryName(t); r && *r == repo) out.push_back(t);
    if (out.empty()) notFound("An image does not exist locally with the tag: " + name);
    return out;
}

bool pushOne(Engine& engine, const std::string& ref, const RegistryOptions& registry, JsonLines& out,
             std::stop_token stop) {
    Throttle throttle;
    auto progress = [&out, &throttle](const PushProgress& p) {
        if (p.status == "Pushing" && p.current > 0) {
            if (throttle.due(p.layerId, p.current, p.total)) out.send(progressLine("Pushing", p.layerId, p.current, p.total));
            return;
        }
        out.send(statusLine(p.status, p.layerId));
    };
    auto pushed = engine.images().push({.reference = ref, .registry = registry}, progress, stop);
    if (!pushed) {
        out.fail(pushed.error());
        return false;
    }
    if (!pushed->warning.empty()) out.send(statusLine(pushed->warning));
    out.send(statusLine(pushed->tag + ": digest: " + pushed->digest + " size: " + std::to_string(pushed->size)));
    out.send({{"progressDetail", json::object()},
              {"aux", {{"Tag", pushed->tag}, {"Digest", pushed->digest}, {"Size", pushed->size}}}});
    return true;
}

void push(Engine& engine, Request& req, Response& res) {
    const std::string& name = req.param("name");
    const std::string tag = req.query.get("tag");
    const RegistryOptions registry = registryOptions(req);
    // No tag: every tag of the repository (docker push --all-tags).
    std::vector<std::string> refs;
    if (tag.empty()) refs = tagsOfRepository(engine, name);
    else refs = {withTag(name, tag)};
    for (const std::string& ref : refs) check(engine.images().resolve(ref));
    JsonLines out(res);
    out.send(statusLine("The push refers to repository [" + check(repositoryName(refs.front())) + "]"));
    for (const std::string& ref : refs)
        if (!pushOne(engine, ref, registry, out, req.stop)) return;
}

void save(Engine& engine, const std::vector<std::string>& names, Response& res) {
    if (names.empty()) badRequest("names: no image given");
    TempFile file("save");
    check(engine.images().save(names, file.path()));
    file.reopen();  // the archive replaced the empty file the fd holds
    ChunkSink& sink = res.stream(200, "application/x-tar");
    std::string buf(1 << 16, '\0');
    for (;;) {
        ssize_t n = ::read(file.fd(), buf.data(), buf.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        if (!sink.write(std::string_view(buf.data(), size_t(n)))) break;
    }
}

void load(Engine& engine, Request& req, Response& res) {
    TempFile file("load");
    spoolUpload(req, file);
    JsonLines out(res);
    // The first progress line ("Reading archive") waits for the next one: until then the
    // upload is not known to be an archive, and a broken one is still a 400, not a 200
    // with an error line.
    std::optional<std::string> held;
    auto flush = [&out, &held] {
        if (held) out.send({{"stream", *held + "\n"}});
        held.reset();
    };
    MessageFn progress;
    if (!req.query.boolean("quiet"))
        progress = [&out, &held, &flush](const std::string& m) {
            if (!held && !out.started()) {
                held = m;
                return;
            }
            flush();
            out.send({{"stream", m + "\n"}});
        };
    auto loaded = engine.images().load(file.path(), progress, req.stop);
    if (!loaded) {
        // A broken archive is the client's: docker answers 400 for it.
        if (loaded.error().code() == Errc::Corrupt && !out.started()) badRequest(loaded.error().message());
        flush();
        return out.fail(loaded.error());
    }
    flush();
    for (const LoadedImage& img : *loaded) {
        if (img.names.empty()) out.send({{"stream", "Loaded image ID: " + img.id + "\n"}});
        for (const std::string& n : img.names) out.send({{"stream", "Loaded image: " + n + "\n"}});
    }
    if (!out.started()) out.send({{"stream", "No image in the archive\n"}});
}

} // namespace

void addImageTransferRoutes(Router& r, Engine& engine) {
    r.add("POST", "/images/create", [&engine](Request& req, Response& res) { create(engine, req, res); },
          {.streamsBody = true});
    r.add("POST", "/images/load", [&engine](Request& req, Response& res) { load(engine, req, res); }, {.streamsBody = true});
    r.add("GET", "/images/get", [&engine](Request& req, Response& res) { save(engine, req.query.all("names"), res); });
    r.add("GET", "/images/{name*}/get", [&engine](Request& req, Response& res) { save(engine, {req.param("name")}, res); });
    r.add("POST", "/images/{name*}/push", [&engine](Request& req, Response& res) { push(engine, req, res); });
}

} // namespace berth::dockerapi
