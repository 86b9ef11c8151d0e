#include "container/monitor_settings.h"

#include "container/monitor_protocol.h"

#include <nlohmann/json.hpp>

namespace berth::container {

using nlohmann::json;

namespace {

// One reader per field type; the first missing or mistyped field is the error.
class Fields {
public:
    explicit Fields(const json& j) : m_j(j) {}
    std::string text(const char* group, const char* key) {
        const json* f = find(group, key);
        if (f && f->is_string()) return f->get<std::string>();
        missing(group, key);
        return {};
    }
    bool flag(const char* group, const char* key) {
        const json* f = find(group, key);
        if (f && f->is_boolean()) return f->get<bool>();
        missing(group, key);
        return false;
    }
    const std::string& error() const { return m_error; }

private:
    const json* find(const char* group, const char* key) const {
        auto g = m_j.find(group);
        if (g == m_j.end() || !g->is_object()) return nullptr;
        auto f = g->find(key);
        return f == g->end() ? nullptr : &*f;
    }
    void missing(const char* group, const char* key) {
        if (m_error.empty()) m_error = std::string("engine settings: `") + group + "." + key + "` is missing or has the wrong type";
    }
    const json& m_j;
    std::string m_error;
};

} // namespace

std::string encodeSettings(const EngineSettings& s) {
    json j{
        {"engine", {{"mode", s.rootless() ? "rootless" : "root"}}},
        {"store", {{"root", s.store.root.string()}, {"runRoot", s.store.runRoot.string()}}},
        {"cgroup", {{"version", s.cgroup.version}, {"root", s.cgroup.root.string()}, {"parent", s.cgroup.parent.string()}}},
        {"runtime",
         {{"overlay", s.runtime.overlay == OverlayDriver::Fuse ? "fuse" : "kernel"},
          {"mountSetattr", s.runtime.mountSetattr},
          {"rootlessNetwork", s.runtime.rootlessNetwork},
          {"seccompProfile", s.runtime.seccompProfile.string()}}},
        {"helpers",
         {{"monitor", s.helpers.monitor.string()},
          {"layerHelper", s.helpers.layerHelper.string()},
          {"scope", s.helpers.scope.string()},
          {"berth", s.helpers.berth.string()},
          {"init", s.helpers.init.string()}}},
        {"config",
         {{"configHome", s.config.configHome.string()},
          {"dockerConfig", s.config.dockerConfig.string()},
          {"certsDir", s.config.certsDir.string()},
          {"registriesConfig", s.config.registriesConfig.string()}}},
    };
    return j.dump();
}

Result<EngineSettings> decodeSettings(std::string_view payload) {
    auto j = json::parse(payload, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return fail(Errc::InvalidArgument, "engine settings: not a JSON object");
    Fields f(j);
    EngineSettings s;
    auto mode = f.text("engine", "mode");
    s.mode = mode == "rootless" ? EngineMode::Rootless : EngineMode::Root;
    s.store = {f.text("store", "root"), f.text("store", "runRoot")};
    s.cgroup = {f.text("cgroup", "version"), f.text("cgroup", "root"), f.text("cgroup", "parent")};
    auto overlay = f.text("runtime", "overlay");
    s.runtime.overlay = overlay == "fuse" ? OverlayDriver::Fuse : OverlayDriver::Kernel;
    s.runtime.mountSetattr = f.flag("runtime", "mountSetattr");
    s.runtime.rootlessNetwork = f.text("runtime", "rootlessNetwork");
    s.runtime.seccompProfile = f.text("runtime", "seccompProfile");
    s.helpers = {f.text("helpers", "monitor"), f.text("helpers", "layerHelper"), f.text("helpers", "scope"),
                 f.text("helpers", "berth"), f.text("helpers", "init")};
    s.config = {f.text("config", "configHome"), f.text("config", "dockerConfig"), f.text("config", "certsDir"),
                f.text("config", "registriesConfig")};
    if (!f.error().empty()) return fail(Errc::InvalidArgument, f.error());
    if (mode != "root" && mode != "rootless")
        return fail(Errc::InvalidArgument, "engine settings: unknown mode `" + mode + "`");
    if (overlay != "kernel" && overlay != "fuse")
        return fail(Errc::InvalidArgument, "engine settings: unknown overlay driver `" + overlay + "`");
    if (!s.store.root.is_absolute() || !s.store.runRoot.is_absolute())
        return fail(Errc::InvalidArgument, "engine settings: the store and run root must be absolute");
    return s;
}

VoidResult sendSettings(int fd, const EngineSettings& settings) {
    auto payload = encodeSettings(settings);
    // One packet: the monitor takes exactly one message.
    if (payload.size() > protocol::kMaxPayload)
        return fail(Errc::InvalidArgument, "the engine's settings are too long to hand to the monitor (paths too long)");
    return protocol::send(fd, protocol::Msg::Settings, payload);
}

Result<EngineSettings> receiveSettings(int fd) {
    auto msg = BERTH_TRY_CTX(protocol::receive(fd), "receive the engine's settings");
    if (msg.first != protocol::Msg::Settings)
        return fail(Errc::InvalidArgument, "the first message is not the engine's settings");
    return decodeSettings(msg.second);
}

} // namespace berth::container
