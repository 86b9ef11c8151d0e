// POST /build: docker's classic builder endpoint over Engine::builds(). The body is the
// build context as a tar (plain, gzip, bzip2, xz or zstd), spooled to a temporary file
// (up to kMaxBuildContext, 413 beyond) and handed to the engine as an archive context, so
// the engine's context code unpacks it (it refuses `../`, absolute paths and writes
// through symlinks). The answer is docker's stream: {"stream":"Step 1/3 : FROM busybox\n"},
// the steps' output, {"aux":{"ID":…}}, "Successfully built <short id>" and one
// "Successfully tagged" per tag; a build that fails after it started ends the stream with
// {"errorDetail":…,"error":…} (errorDetail.code: a failed RUN's exit status), one refused
// before it started is a 4xx {"message":…}. A
// client that goes away cancels the build (nothing is tagged).
#include "api_error.h"
#include "json_lines.h"
#include "routes.h"
#include "temp_file.h"

#include "berth/engine.h"
#include "berth/version.h"

#include <nlohmann/json.hpp>

#include <mutex>
#include <optional>
#include <set>

namespace berth::dockerapi {

namespace {

using nlohmann::json;

// The upload's limit: a context larger than this is refused (413) before it fills the disk.
constexpr uint64_t kMaxBuildContext = uint64_t(4) << 30;

// A JSON object parameter (buildargs, labels) as a map; null values (docker's `--build-arg
// NAME` with NAME unset) are left out, so the Dockerfile's default applies.
std::map<std::string, std::string> jsonMapParam(const Request& req, const char* name) {
    std::map<std::string, std::string> out;
    const std::string text = req.query.get(name);
    if (text.empty()) return out;
    json j = json::parse(text, nullptr, false);
    if (!j.is_object()) badRequest(std::string("invalid ") + name + " parameter: not a JSON object");
    for (auto& [k, v] : j.items()) {
        if (v.is_null()) continue;
        if (!v.is_string()) badRequest(std::string("invalid ") + name + " parameter: the value of \"" + k + "\" is not a string");
        out[k] = v.get<std::string>();
    }
    return out;
}

// What the builder cannot do is refused by name instead of being silently dropped; the
// values docker's clients send when the option is not used pass.
void refuseUnsupported(const Request& req) {
    if (!req.query.get("remote").empty())
        badRequest("remote build contexts (a git repository or URL in `remote`) are not supported by this "
                   "service: send the context as a tar archive in the request body");
    if (const std::string v = req.query.get("version"); !v.empty() && v != "1")
        badRequest("builder version " + v + " (BuildKit) is not supported: Berth's API serves the classic "
                   "builder (DOCKER_BUILDKIT=0)");
    if (req.query.boolean("squash")) badRequest("squash is not supported by Berth's builder");
    if (!req.query.get("extrahosts").empty()) badRequest("extrahosts is not supported by Berth's builder");
    for (const char* limit : {"memory", "memswap", "cpushares", "cpuquota", "cpuperiod", "shmsize"})
        if (req.query.integer(limit, 0) != 0)
            badRequest(std::string(limit) + " is not supported by Berth's builder (RUN steps have no resource limits)");
    for (const char* set : {"cpusetcpus", "cpusetmems", "cgroupparent"})
        if (!req.query.get(set).empty()) badRequest(std::string(set) + " is not supported by Berth's builder");
    if (const std::string n = req.query.get("networkmode"); !n.empty() && n != "default")
        badRequest("networkmode " + n + " is not supported by Berth's builder (only default)");
    if (const std::string i = req.query.get("isolation"); !i.empty() && i != "default")
        badRequest("isolation " + i + " is not supported on Linux");
}

// docker builds for the host: a platform naming this host's OS and architecture is the
// default; any other is refused (there is no emulation to run a foreign RUN step).
void checkPlatform(const Request& req) {
    const std::string given = req.query.get("platform");
    if (given.empty()) return;
    const VersionInfo host = versionInfo();
    std::string os = given, arch = host.arch;
    if (size_t slash = given.find('/'); slash != std::string::npos) {
        auto parsed = parsePlatform(given);
        if (!parsed) badRequest(parsed.error().message());
        const std::string& p = *parsed;
        os = p.substr(0, p.find('/'));
        const size_t archStart = p.find('/') + 1;
        arch = p.substr(archStart, p.find('/', archStart) - archStart);
    }
    if (os != host.os || arch != host.arch)
        badRequest("platform " + given + " is not supported: this engine builds for " + host.os + "/" + host.arch + " only");
}

std::vector<std::string> checkedTags(const Request& req) {
    std::vector<std::string> tags = req.query.all("t");
    for (const std::string& t : tags) {
        if (t.find('@') != std::string::npos) badRequest("invalid tag " + t + ": a tag cannot carry a digest");
        if (auto r = familiarReference(t); !r) badRequest("invalid tag " + t + ": " + r.error().message());
    }
    return tags;
}

BuildRequest buildRequest(const Request& req) {
    refuseUnsupported(req);
    checkPlatform(req);
    BuildRequest b;
    b.context = "-";  // the archive on stdinFd: the spooled body
    b.dockerfile = req.query.get("dockerfile");
    if (b.dockerfile == "-") badRequest("dockerfile: \"-\" is not a path inside the build context");
    b.tags = checkedTags(req);
    b.buildArgs = jsonMapParam(req, "buildargs");
    b.labels = jsonMapParam(req, "labels");
    b.target = req.query.get("target");
    b.noCache = req.query.boolean("nocache");
    b.pull = req.query.boolean("pull") ? BuildPullPolicy::Always : BuildPullPolicy::Missing;
    // docker's credentials per registry for the bases' pulls (a registry it does not list:
    // the service's own docker config); a malformed header is a 400, not ignored.
    b.registry.credentialsByRegistry = check(registryConfigFromHeader(req.header("X-Registry-Config")));
    return b;
}

// The engine names a Dockerfile step "[2/3] RUN make" or "[build 2/4] RUN make"
// (berth/builds.h); docker's classic builder says "Step 2/3 : RUN make". Other steps
// ("exporting to image") have no number and are not shown.
std::optional<std::string> classicStep(const std::string& name) {
    if (!name.starts_with('[')) return std::nullopt;
    const size_t close = name.find("] ");
    if (close == std::string::npos) return std::nullopt;
    const std::string inside = name.substr(1, close - 1);
    const size_t space = inside.rfind(' ');
    const std::string number = space == std::string::npos ? inside : inside.substr(space + 1);
    if (number.find('/') == std::string::npos) return std::nullopt;
    return "Step " + number + " : " + name.substr(close + 2) + "\n";
}

// Build events as docker's classic stream lines; `shown` are the vertices of Dockerfile
// steps, whose output is shown (the export's own lines are replaced by the summary).
std::optional<std::string> classicLine(const BuildEvent& e, std::set<int>& shown) {
    using K = BuildEvent::Kind;
    switch (e.kind) {
    case K::StepStarted: {
        auto step = classicStep(e.name);
        if (step) shown.insert(e.vertex);
        return step;
    }
    case K::Output:
        if (!shown.contains(e.vertex)) return std::nullopt;
        return e.text + "\n";
    case K::Cached: return std::string(" ---> Using cache\n");
    case K::Warning: return "[Warning] " + e.text + "\n";
    case K::StepDone:
    case K::StepFailed: return std::nullopt;  // the failure ends the stream as its error line
    }
    return std::nullopt;
}

// An error before the stream started: the request's fault (its context, Dockerfile,
// target) is docker's 400, anything else the engine's status for it.
[[noreturn]] void refuse(const Error& e) {
    switch (e.code()) {
    case Errc::InvalidArgument:
    case Errc::NotFound:
    case Errc::PermissionDenied:
    case Errc::Corrupt:
    case Errc::Unsupported: throw ApiError(400, e.message());
    default: raise(e);
    }
}

void build(Engine& engine, Request& req, Response& res) {
    BuildRequest request = buildRequest(req);
    const bool quiet = req.query.boolean("q");
    checkDeclaredSize(req, kMaxBuildContext, "build context");
    TempFile context("build");
    spoolBody(req, context, kMaxBuildContext);
    context.rewind();
    request.stdinFd = context.fd();

    JsonLines out(res);
    std::stop_source stop;
    std::stop_callback linked(req.stop, [&stop] { stop.request_stop(); });
    std::set<int> shown;
    int runExit = 0;        // a failed RUN's status: the error line's code, as dockerd sends it
    std::mutex shownMutex;  // a RUN's output comes from the engine's reader thread
    auto progress = [&](const BuildEvent& e) {
        std::lock_guard lock(shownMutex);
        if (e.kind == BuildEvent::Kind::StepFailed) runExit = e.exitCode;
        if (quiet) {  // q: only the image id, as docker's -q prints; a failure from here on is an error line
            out.start();
            return;
        }
        if (auto line = classicLine(e, shown); line && !out.send({{"stream", *line}})) stop.request_stop();
    };
    auto built = engine.builds().build(request, progress, stop.get_token());
    if (!built) {
        if (!out.started()) refuse(built.error());
        // dockerd's errorDetail carries a code only for a RUN that exited non-zero (its
        // status, which docker build exits with); other failures have none (the CLI exits 1).
        std::lock_guard lock(shownMutex);
        if (built.error().code() != Errc::Cancelled || !req.stop.stop_requested()) out.fail(built.error().message(), runExit);
        return;
    }
    out.send({{"aux", {{"ID", built->imageId}}}});
    if (quiet) {
        out.send({{"stream", built->imageId + "\n"}});
        return;
    }
    const std::string hex = built->imageId.substr(built->imageId.find(':') + 1);
    out.send({{"stream", "Successfully built " + hex.substr(0, 12) + "\n"}});
    for (const std::string& t : built->tags) out.send({{"stream", "Successfully tagged " + t + "\n"}});
}

} // namespace

void addBuildRoute(Router& r, Engine& engine) {
    r.add("POST", "/build", [&engine](Request& req, Response& res) { build(engine, req, res); }, {.streamsBody = true});
}

} // namespace berth::dockerapi
