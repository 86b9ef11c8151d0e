#include "sys/engine_settings.h"

#include <unistd.h>

#include <array>
#include <cassert>
#include <cstdlib>
#include <map>
#include <string>

namespace berth {

namespace fs = std::filesystem;

namespace {

// The table: every variable resolveEngineSettings() reads, and nothing else reads one.
constexpr std::array kVariables{
    SettingVariable{"BERTH_ROOT", "the store (default /var/lib/berth as root, else $XDG_DATA_HOME/berth, "
                                  "~/.local/share/berth, /tmp/berth-<uid>); its run root is then <store>/run"},
    SettingVariable{"BERTH_RUNROOT", "the run root (default /run/berth as root, else $XDG_RUNTIME_DIR/berth, "
                                     "/tmp/berth-<uid>)"},
    SettingVariable{"BERTH_ROOTLESS", "1: rootless mode even as root (tests of the rootless paths); another "
                                      "value: root mode; unset: rootless when not root"},
    SettingVariable{"BERTH_CGROUP_VERSION", "1 or 2: use that cgroup version instead of detecting it"},
    SettingVariable{"BERTH_CGROUP_ROOT", "rootless: the cgroup2 mount to look for a delegated subtree in "
                                         "(default /sys/fs/cgroup)"},
    SettingVariable{"BERTH_CGROUP_PARENT", "rootless: the delegated cgroup to put containers under (default: a "
                                           "systemd scope per container, else the user's own cgroup)"},
    SettingVariable{"BERTH_OVERLAY", "fuse: mount containers' roots with fuse-overlayfs (rootless)"},
    SettingVariable{"BERTH_NO_MOUNT_SETATTR", "1: make mounts read-only one by one instead of with mount_setattr"},
    SettingVariable{"BERTH_ROOTLESS_NETWORK", "rootless: pasta or slirp4netns (default: the first installed)"},
    SettingVariable{"BERTH_SECCOMP_PROFILE", "a seccomp profile (JSON) replacing the built-in default"},
    SettingVariable{"BERTH_MONITOR", "the berth-monitor program"},
    SettingVariable{"BERTH_LAYER_HELPER", "the berth-layer-helper program (rootless layer work)"},
    SettingVariable{"BERTH_SCOPE_HELPER", "the berth-scope program (rootless systemd scopes)"},
    SettingVariable{"BERTH_PROGRAM", "the berth program (started to reap a container's host links)"},
    SettingVariable{"BERTH_INIT", "the berth-init program (pid 1 of --init containers)"},
    SettingVariable{"BERTH_CERTS_DIR", "registry certificates (replaces ~/.config/berth/certs.d, "
                                       "/etc/berth/certs.d, /etc/docker/certs.d)"},
    SettingVariable{"BERTH_REGISTRIES_CONFIG", "a registries.json read before the others (must exist)"},
    SettingVariable{"XDG_DATA_HOME", "a user's store: $XDG_DATA_HOME/berth"},
    SettingVariable{"XDG_RUNTIME_DIR", "a user's run root: $XDG_RUNTIME_DIR/berth"},
    SettingVariable{"XDG_CONFIG_HOME", "a user's configuration: $XDG_CONFIG_HOME/berth (default ~/.config/berth)"},
    SettingVariable{"DOCKER_CONFIG", "docker's client configuration (credentials), default ~/.docker"},
    SettingVariable{"HOME", "the defaults above that live in the home directory"},
};

// Every variable of the table, read once from the environment (an empty variable is as good
// as none); the resolution below reads nothing else.
class Reader {
public:
    explicit Reader(const Environment& env) {
        for (const auto& v : kVariables) {
            const char* value = env ? env(v.name.data()) : std::getenv(v.name.data());
            m_values.emplace(v.name, value ? value : "");
        }
    }
    const std::string& operator()(std::string_view name) const {
        auto it = m_values.find(name);
        assert(it != m_values.end() && "a variable the resolver reads is missing from kVariables");
        return it == m_values.end() ? m_none : it->second;
    }

private:
    std::map<std::string_view, std::string> m_values;
    std::string m_none;
};

fs::path tmpRoot() { return "/tmp/berth-" + std::to_string(::geteuid()); }

fs::path defaultRoot(const Reader& get) {
    if (auto r = get("BERTH_ROOT"); !r.empty()) return r;
    if (::geteuid() == 0) return "/var/lib/berth";
    if (auto x = get("XDG_DATA_HOME"); !x.empty()) return fs::path(x) / "berth";
    if (auto h = get("HOME"); !h.empty()) return fs::path(h) / ".local/share/berth";
    return tmpRoot();
}

fs::path defaultRunRoot(const Reader& get, const fs::path& root) {
    if (auto r = get("BERTH_RUNROOT"); !r.empty()) return r;
    // A store given explicitly (tests, --root) keeps its run state beside it, so two
    // stores never share containers' runtime files.
    if (!get("BERTH_ROOT").empty()) return root / "run";
    if (::geteuid() == 0) return root == "/var/lib/berth" ? fs::path("/run/berth") : root / "run";
    if (auto x = get("XDG_RUNTIME_DIR"); !x.empty()) return fs::path(x) / "berth";
    // No per-user runtime dir (no logind session): a private directory in /tmp, checked
    // in store::openLayout() to be ours and 0700 (anyone may create it first to trap us).
    return root == tmpRoot() ? root / "run" : tmpRoot();
}

EngineMode mode(const Reader& get) {
    if (auto f = get("BERTH_ROOTLESS"); !f.empty()) return f == "1" ? EngineMode::Rootless : EngineMode::Root;
    return ::geteuid() != 0 ? EngineMode::Rootless : EngineMode::Root;
}

ConfigSettings config(const Reader& get) {
    ConfigSettings c;
    std::string home = get("HOME");
    if (auto x = get("XDG_CONFIG_HOME"); !x.empty()) c.configHome = x;
    else if (!home.empty()) c.configHome = fs::path(home) / ".config";
    if (auto d = get("DOCKER_CONFIG"); !d.empty()) c.dockerConfig = d;
    else c.dockerConfig = fs::path(home.empty() ? "/root" : home) / ".docker";
    c.certsDir = get("BERTH_CERTS_DIR");
    c.registriesConfig = get("BERTH_REGISTRIES_CONFIG");
    return c;
}

} // namespace

std::span<const SettingVariable> settingVariables() { return kVariables; }

EngineSettings resolveEngineSettings(const SettingsRequest& request, const Environment& env) {
    const Reader get(env);
    EngineSettings s;
    s.mode = mode(get);
    s.store.root = fs::absolute(request.root.empty() ? defaultRoot(get) : request.root);
    s.store.runRoot = fs::absolute(request.runRoot.empty() ? defaultRunRoot(get, s.store.root) : request.runRoot);
    s.cgroup.version = get("BERTH_CGROUP_VERSION");
    if (auto r = get("BERTH_CGROUP_ROOT"); !r.empty()) s.cgroup.root = r;
    s.cgroup.parent = get("BERTH_CGROUP_PARENT");
    s.runtime.overlay = get("BERTH_OVERLAY") == "fuse" ? OverlayDriver::Fuse : OverlayDriver::Kernel;
    s.runtime.mountSetattr = get("BERTH_NO_MOUNT_SETATTR") != "1";
    s.runtime.rootlessNetwork = get("BERTH_ROOTLESS_NETWORK");
    s.runtime.seccompProfile = get("BERTH_SECCOMP_PROFILE");
    s.helpers = {get("BERTH_MONITOR"), get("BERTH_LAYER_HELPER"), get("BERTH_SCOPE_HELPER"), get("BERTH_PROGRAM"), get("BERTH_INIT")};
    s.config = config(get);
    return s;
}

} // namespace berth
