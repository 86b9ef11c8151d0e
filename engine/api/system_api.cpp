// berth::System: the events journal followed with inotify, docker's event filters and JSON,
// disk use, the store check, info, and registry logins.
#include "engine_impl.h"

#include "berth/text.h"
#include "registry/auth.h"
#include "runtime_mode_settings.h"
#include "registry/registries_config.h"
#include "registry/registry_client.h"
#include "store/events.h"
#include "sys/unique_fd.h"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

namespace berth {

std::string dockerEventJson(const Event& e) {
    nlohmann::json attrs = nlohmann::json::object();
    for (auto& [k, v] : e.attributes) attrs[k] = v;
    nlohmann::json j;
    if (e.type == "container" || e.type == "image") {  // docker's older fields, kept for both
        j["status"] = e.action;
        j["id"] = e.id;
        if (e.attributes.count("image")) j["from"] = e.attributes.at("image");
    }
    j["Type"] = e.type;
    j["Action"] = e.action;
    j["Actor"] = {{"ID", e.id}, {"Attributes", attrs}};
    j["scope"] = "local";
    j["time"] = e.timeNano / 1000000000;
    j["timeNano"] = e.timeNano;
    return j.dump();
}

Result<EventFilter> parseEventFilters(const std::vector<std::string>& items) {
    EventFilter f;
    for (auto& item : items) {
        auto eq = item.find('=');
        if (eq == std::string::npos)
            return fail(Errc::InvalidArgument, "bad format of filter (expected name=value): " + item);
        std::string key = item.substr(0, eq);
        if (key != "type" && key != "event" && key != "action" && key != "container" && key != "image" && key != "label" &&
            key != "volume" && key != "network")
            return fail(Errc::InvalidArgument, "invalid filter '" + key + "'");
        f.filters[key].push_back(item.substr(eq + 1));
    }
    return f;
}

static bool matchesOne(const std::string& key, const std::string& v, const Event& e) {
    if (key == "type") return e.type == v;
    // docker's: "health_status" (no colon) matches "health_status: healthy" and the like.
    if (key == "event" || key == "action")
        return e.action == v || (v.find(':') == std::string::npos && e.action.starts_with(v + ": "));
    if (key == "container") return e.type == "container" && (e.id.rfind(v, 0) == 0 || e.name == v);
    if (key == "volume" || key == "network") return e.type == key && (e.id == v || e.name == v);
    if (key == "image")
        return (e.attributes.count("image") && e.attributes.at("image") == v) ||
               (e.type == "image" && (e.id == v || e.name == v));
    if (key == "label") {
        auto eq = v.find('=');
        auto it = e.attributes.find(v.substr(0, eq));
        return it != e.attributes.end() && (eq == std::string::npos || it->second == v.substr(eq + 1));
    }
    return false;
}

bool EventFilter::matches(const Event& e) const {
    if (sinceNano && e.timeNano < sinceNano) return false;
    if (untilNano && e.timeNano > untilNano) return false;
    for (auto& [key, values] : filters) {
        bool ok = false;
        for (auto& v : values) ok = ok || matchesOne(key, v, e);
        if (!ok) return false;
    }
    return true;
}

std::string registryHost(std::string_view server) {
    std::string s(server);
    for (auto prefix : {"https://", "http://"})
        if (s.starts_with(prefix)) s.erase(0, std::strlen(prefix));
    if (auto slash = s.find('/'); slash != std::string::npos) s.erase(slash);
    if (s.empty() || s == "index.docker.io" || s == "registry-1.docker.io") return "docker.io";
    return s;
}

} // namespace berth

namespace berth::api {

namespace {

// The journal from an offset: complete lines only (a torn last line waits for its newline),
// O(appended) per read. A journal that shrank (replaced by `system check --repair`) is read
// again from its start.
class JournalStream final : public EventStream {
public:
    JournalStream(std::filesystem::path journal, int64_t offset, sys::UniqueFd inotify)
        : m_journal(std::move(journal)), m_offset(offset), m_inotify(std::move(inotify)) {}

    Result<std::vector<Event>> read() override {
        std::vector<Event> out;
        sys::UniqueFd fd(::open(m_journal.c_str(), O_RDONLY | O_CLOEXEC));
        if (!fd) {
            if (errno == ENOENT) return out;
            return failErrno("open " + m_journal.string());
        }
        struct stat st {};
        if (::fstat(fd.get(), &st) < 0) return failErrno("stat " + m_journal.string());
        if (st.st_size < m_offset) m_offset = 0;
        std::string data;
        char buf[65536];
        int64_t at = m_offset;
        while (true) {
            ssize_t n = ::pread(fd.get(), buf, sizeof buf, at);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) return failErrno("read " + m_journal.string());
            if (n == 0) break;
            data.append(buf, size_t(n));
            at += n;
        }
        size_t pos = 0;
        while (true) {
            auto nl = data.find('\n', pos);
            if (nl == std::string::npos) break;
            if (auto e = store::eventFromJson(std::string_view(data).substr(pos, nl - pos))) out.push_back(std::move(*e));
            pos = nl + 1;
        }
        m_offset += int64_t(pos);
        return out;
    }

    int fd() const override { return m_inotify.get(); }

    void drainChanges() override {
        char buf[4096];
        while (::read(m_inotify.get(), buf, sizeof buf) > 0) {}
    }

private:
    std::filesystem::path m_journal;
    int64_t m_offset;
    sys::UniqueFd m_inotify;
};

Result<std::unique_ptr<JournalStream>> openJournal(const store::StoreLayout& layout, bool fromStart) {
    // Watch before reading, so nothing appended in between is missed.
    sys::UniqueFd ino(::inotify_init1(IN_CLOEXEC | IN_NONBLOCK));
    if (!ino) return failErrno("inotify_init1");
    if (::inotify_add_watch(ino.get(), layout.root.c_str(), IN_MODIFY | IN_CREATE | IN_MOVED_TO) < 0)
        return failErrno("watch " + layout.root.string());
    int64_t offset = 0;
    struct stat st {};
    if (!fromStart && ::stat(layout.eventsFile().c_str(), &st) == 0) offset = st.st_size;
    return std::make_unique<JournalStream>(layout.eventsFile(), offset, std::move(ino));
}

} // namespace

Result<std::unique_ptr<EventStream>> SystemApi::openEvents(bool fromStart) {
    return std::unique_ptr<EventStream>(BERTH_TRY(openJournal(m_s.layout(), fromStart)));
}

VoidResult SystemApi::followEvents(const EventFilter& filter, const std::function<bool(const Event&)>& onEvent,
                                   std::stop_token stop) {
    // Without --since or --until, docker shows only new events; with either, the past up
    // to --until first (`--until 0s`: everything so far).
    auto stream = BERTH_TRY(openJournal(m_s.layout(), filter.sinceNano || filter.untilNano));
    sys::UniqueFd wake(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
    if (!wake) return failErrno("eventfd");
    std::stop_callback onStop(stop, [&] {
        uint64_t one = 1;
        (void)!::write(wake.get(), &one, sizeof one);
    });
    while (!stop.stop_requested()) {
        for (auto& e : BERTH_TRY(stream->read()))
            if (filter.matches(e) && !onEvent(e)) return {};
        int timeout = -1;
        if (filter.untilNano) {
            int64_t left = filter.untilNano - nowNano();
            if (left <= 0) return {};
            timeout = int(std::min<int64_t>(left / 1000000 + 1, 60000));
        }
        pollfd p[2] = {{stream->fd(), POLLIN, 0}, {wake.get(), POLLIN, 0}};
        int r = ::poll(p, 2, timeout);
        if (r < 0 && errno != EINTR) return failErrno("poll the events journal");
        if (r > 0 && p[0].revents) stream->drainChanges();
    }
    return {};
}

Result<SystemDiskUsage> SystemApi::diskUsage() {
    SystemDiskUsage u;
    u.images = BERTH_TRY(m_s.images().diskUsage());
    u.containers = BERTH_TRY(m_s.containers().diskUsage());
    if (auto v = m_s.volumes().list()) u.volumes = v->size();
    return u;
}

Result<StoreCheckReport> SystemApi::check(bool repair) { return m_s.images().check(repair); }

SystemInfo SystemApi::info() {
    return SystemInfo{m_s.layout().root, m_s.layout().runRoot, runtimeModeInfo(m_s.settings())};
}

VoidResult SystemApi::login(const LoginRequest& request) {
    std::string host = registryHost(request.server);
    if (request.credentials.username.empty()) return fail(Errc::InvalidArgument, "Username is required");
    auto cfg = BERTH_TRY(registry::RegistriesConfig::load(m_s.layout().root, m_s.settings().config));
    registry::ClientOptions co;
    co.tlsVerify = request.tlsVerify;
    co.insecure = cfg.isInsecure(host);
    co.plainHttp = cfg.allowsPlainHttp(host);
    co.certDir = request.certDir;
    co.credentials = request.credentials;
    co.config = m_s.settings().config;
    registry::RegistryClient client(host, co);
    BERTH_TRYV(client.login());
    registry::DockerConfig dc(registry::DockerConfig::defaultPath(m_s.settings().config));
    return dc.store(host, request.credentials);
}

VoidResult SystemApi::logout(std::string_view server) {
    registry::DockerConfig dc(registry::DockerConfig::defaultPath(m_s.settings().config));
    return dc.erase(registryHost(std::string(server)));
}

} // namespace berth::api
