#pragma once
// System: the store as a whole: its events journal, disk use, consistency check, what this
// mode can do, and registry logins. Reached through berth::Engine::system().

#include "berth/containers.h"
#include "berth/error.h"
#include "berth/images.h"
#include "berth/runtime_mode.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

namespace berth {

// One line of the store's events journal: what happened (container created, started, died
// with its exit code, oom, removed; image pulled, loaded, tagged, deleted; volume and
// network changes). Docker's event actions and attributes ("exitCode", "image", "signal").
struct Event {
    int64_t timeNano = 0;  // 0 when appending: now
    std::string type;      // "container", "image", "volume", "network"
    std::string action;    // "create", "start", "kill", "stop", "die", "oom", "destroy", "pull"…
    std::string id;
    std::string name;
    std::map<std::string, std::string> attributes;
};
// Docker's JSON message for an event (`berth events --format '{{json .}}'`, GET /events).
std::string dockerEventJson(const Event& e);

// docker events --since/--until/--filter. Filters: type, container (id prefix or name),
// event/action, image, label (k or k=v), volume and network (name or id); values of one
// key are OR-ed, keys AND-ed.
struct EventFilter {
    int64_t sinceNano = 0;  // 0 = no bound
    int64_t untilNano = 0;
    std::map<std::string, std::vector<std::string>> filters;
    bool matches(const Event& e) const;
};
// "key=value" items; an unknown key or a malformed item is Errc::InvalidArgument.
Result<EventFilter> parseEventFilters(const std::vector<std::string>& items);

// The journal followed from an offset: read() returns the complete events appended since
// the last read (a torn last line waits for its newline). fd() becomes readable when the
// journal may have grown: poll it (or wrap it in a QSocketNotifier), drainChanges(), read().
class EventStream {
public:
    virtual ~EventStream() = default;
    virtual Result<std::vector<Event>> read() = 0;
    virtual int fd() const = 0;
    virtual void drainChanges() = 0;
};

struct SystemDiskUsage {
    ImageDiskUsage images;
    ContainerDiskUsage containers;
    size_t volumes = 0;
};

struct StoreCheckProblem {
    std::string kind;    // "digest-mismatch", "missing-blob", "half-layer", "orphan-blob"...
    std::string what;    // the object: "blob sha256:…", "layer …", "image …", "tmp/x"
    std::string detail;
    bool repaired = false;
};

struct StoreCheckReport {
    size_t images = 0, blobs = 0, layers = 0;
    size_t recovered = 0;  // interrupted operations rolled back before checking
    std::vector<StoreCheckProblem> problems;
    bool clean() const { return problems.empty(); }
};

struct StorePaths {
    std::filesystem::path root;     // the store
    std::filesystem::path runRoot;  // its run-time state
};

struct SystemInfo {
    std::filesystem::path root;
    std::filesystem::path runRoot;
    RuntimeModeInfo mode;  // root or rootless, and what works here (a few /proc reads)
};

struct LoginRequest {
    std::string server;  // "" or a Docker Hub name = docker.io; a URL is accepted
    RegistryCredentials credentials;
    bool tlsVerify = true;
    std::filesystem::path certDir;
};

// The registry host a login names: "docker.io" for "" and Docker Hub's names, else the
// host[:port] of what was given (a URL is accepted, as docker does).
std::string registryHost(std::string_view server);

class System {
public:
    virtual ~System() = default;
    // From the journal's current end (`fromStart`: from its beginning).
    virtual Result<std::unique_ptr<EventStream>> openEvents(bool fromStart = false) = 0;
    // Calls onEvent for each matching event: the past ones from filter.sinceNano (none
    // without a since or an until), then new ones as they are appended, until untilNano,
    // `stop`, or onEvent returns false.
    virtual VoidResult followEvents(const EventFilter& filter, const std::function<bool(const Event&)>& onEvent,
                                    std::stop_token stop = {}) = 0;
    virtual Result<SystemDiskUsage> diskUsage() = 0;
    // Verifies digests, references and half-done work; `repair` removes what is broken.
    virtual Result<StoreCheckReport> check(bool repair) = 0;
    virtual SystemInfo info() = 0;
    virtual StorePaths storePaths() = 0;  // cheap: what was opened
    // Checks the credentials with the registry, then stores them in docker's config.json.
    virtual VoidResult login(const LoginRequest& request) = 0;
    // Errc::NotFound when there was no login for that server.
    virtual VoidResult logout(std::string_view server) = 0;
};

} // namespace berth
