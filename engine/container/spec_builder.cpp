#include "container/spec_builder.h"

#include "runtime/capabilities.h"
#include "runtime/layer_path.h"
#include "runtime/user_lookup.h"
#include "sys/userns.h"  // rootless id maps
#include "sys/fs.h"
#include "sys/spawn.h"
#include "volume/volume_record.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <fmt/format.h>

#include <algorithm>

namespace berth::container {

namespace fs = std::filesystem;

// Where --init's init is bound in the container (docker's path, which tools look for).
static constexpr const char* kInitPath = "/sbin/docker-init";

std::string readFromLayers(const ContainerConfig& config, const fs::path& containerDir,
                           const std::string& relPath) {
    std::vector<fs::path> layers{containerDir / "upper"};
    for (auto it = config.lowerDirs.rbegin(); it != config.lowerDirs.rend(); ++it) layers.push_back(*it);
    return runtime::readFileInLayers(layers, relPath, size_t(4) << 20).value_or("");
}

static int rlimitNumber(const std::string& name) {
    static const std::pair<const char*, int> table[] = {
        {"core", RLIMIT_CORE},       {"cpu", RLIMIT_CPU},           {"data", RLIMIT_DATA},
        {"fsize", RLIMIT_FSIZE},     {"locks", RLIMIT_LOCKS},       {"memlock", RLIMIT_MEMLOCK},
        {"msgqueue", RLIMIT_MSGQUEUE}, {"nice", RLIMIT_NICE},       {"nofile", RLIMIT_NOFILE},
        {"nproc", RLIMIT_NPROC},     {"rss", RLIMIT_RSS},           {"rtprio", RLIMIT_RTPRIO},
        {"rttime", RLIMIT_RTTIME},   {"sigpending", RLIMIT_SIGPENDING}, {"stack", RLIMIT_STACK},
        {"as", RLIMIT_AS}};
    for (auto& [n, v] : table)
        if (name == n) return v;
    return -1;
}

static void setEnv(std::vector<std::string>& env, const std::string& kv) {
    auto key = kv.substr(0, kv.find('='));
    for (auto& e : env)
        if (e.compare(0, key.size() + 1, key + "=") == 0) {
            e = kv;
            return;
        }
    env.push_back(kv);
}

Result<runtime::ProcessSpec> buildProcess(const ContainerConfig& config, const fs::path& containerDir,
                                          const std::vector<std::string>& args,
                                          const std::vector<std::string>& extraEnv,
                                          const std::string& user, const std::string& cwd,
                                          bool tty, bool privileged) {
    runtime::ProcessSpec p;
    p.args = args;
    if (p.args.empty()) return fail(Errc::InvalidArgument, "no command specified");
    p.env = config.env;
    setEnv(p.env, "HOSTNAME=" + config.hostname);
    if (tty) setEnv(p.env, "TERM=xterm");
    for (auto& e : extraEnv) setEnv(p.env, e);
    bool hasPath = false;
    for (auto& e : p.env) hasPath = hasPath || e.rfind("PATH=", 0) == 0;
    if (!hasPath) p.env.insert(p.env.begin(), "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    p.cwd = cwd.empty() ? "/" : cwd;
    p.terminal = tty;
    p.noNewPrivileges = config.options.noNewPrivileges;

    auto passwd = readFromLayers(config, containerDir, "etc/passwd");
    auto group = readFromLayers(config, containerDir, "etc/group");
    auto resolved = BERTH_TRY_CTX(runtime::lookupUserIn(passwd, group, user), "user `" + user + "`");
    p.uid = resolved.uid;
    p.gid = resolved.gid;
    p.additionalGids = resolved.additionalGids;
    bool hasHome = false;
    for (auto& e : p.env) hasHome = hasHome || e.rfind("HOME=", 0) == 0;
    if (!hasHome) p.env.push_back("HOME=" + (resolved.home.empty() ? std::string("/") : resolved.home));

    if (privileged || config.options.privileged)
        p.capabilities = runtime::allCapabilities();
    else
        p.capabilities = BERTH_TRY(runtime::resolveCapabilities(config.options.capAdd, config.options.capDrop));

    for (auto& u : config.options.ulimits) {
        int res = rlimitNumber(u.name);
        if (res < 0) return fail(Errc::InvalidArgument, "unknown ulimit `" + u.name + "`");
        p.rlimits.push_back({res, u.soft < 0 ? RLIM_INFINITY : rlim_t(u.soft),
                             u.hard < 0 ? RLIM_INFINITY : rlim_t(u.hard)});
    }
    return p;
}

// -v/--mount: binds, volumes (a bind of the volume's directory, or what its options ask
// for) and tmpfs. Parents are mounted before their children, whatever the flag order.
static VoidResult addRequestedMounts(const ContainerConfig& config, const fs::path& containerDir,
                                     std::vector<runtime::MountSpec>& mounts) {
    auto volumesDir = containerDir.parent_path().parent_path() / "volumes";
    for (auto& r : config.options.mounts) {
        runtime::MountSpec m;
        m.destination = r.target;
        switch (r.type) {
        case MountRequest::Type::Bind:
            m.type = "bind";
            m.source = r.source;
            m.options = {"rbind"};
            break;
        case MountRequest::Type::Tmpfs:
            m.type = "tmpfs";
            m.source = "tmpfs";
            m.options = {"nosuid", "nodev", "noexec"};
            if (r.tmpfsSize > 0) m.options.push_back("size=" + std::to_string(r.tmpfsSize));
            m.options.push_back(fmt::format("mode={:o}", r.tmpfsMode ? r.tmpfsMode : 01777));
            break;
        case MountRequest::Type::Volume: {
            auto v = BERTH_TRY_CTX(volume::readVolume(volumesDir, r.source), "mount volume on " + r.target);
            auto kind = BERTH_TRY_CTX(volume::volumeMountKind(v.options), "volume " + v.name);
            if (kind.kind == volume::VolumeMountKind::Kind::Tmpfs) {
                m.type = "tmpfs";
                m.source = "tmpfs";
                m.options = {"nosuid", "nodev"};
                if (!kind.data.empty()) m.options.push_back(kind.data);
            } else if (kind.kind == volume::VolumeMountKind::Kind::Bind) {
                m.type = "bind";
                m.source = kind.device;
                m.options = {"rbind"};
            } else {
                m.type = "bind";
                m.source = v.mountpoint.string();
                m.options = {"rbind"};
                m.copyUp = !r.noCopy;
            }
            break;
        }
        }
        if (r.readOnly) m.options.push_back("ro");
        mounts.push_back(std::move(m));
    }
    auto depth = [](const std::string& p) { return std::count(p.begin(), p.end(), '/'); };
    std::stable_sort(mounts.begin(), mounts.end(),
                     [&](auto& a, auto& b) { return depth(a.destination) < depth(b.destination); });
    return {};
}

Result<std::vector<runtime::DeviceNode>> deviceNodes(const std::vector<DeviceMapping>& devices) {
    std::vector<runtime::DeviceNode> out;
    for (auto& d : devices) {
        struct stat st{};
        if (::stat(d.pathOnHost.c_str(), &st) != 0)
            return failErrno("error gathering device information while adding custom device \"" + d.pathOnHost + "\"");
        if (!S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode))
            return fail(Errc::InvalidArgument, "--device: \"" + d.pathOnHost + "\" is not a device node");
        out.push_back({.path = d.pathInContainer.empty() ? d.pathOnHost : d.pathInContainer,
                       .mode = st.st_mode & (S_IFMT | 07777), .rdev = st.st_rdev, .uid = st.st_uid,
                       .gid = st.st_gid, .hostPath = d.pathOnHost});
    }
    return out;
}

// The cgroup rule of each --device ("c 10:229 rw"), its permissions as given.
static std::vector<std::string> deviceRules(const std::vector<runtime::DeviceNode>& nodes,
                                            const std::vector<DeviceMapping>& devices) {
    std::vector<std::string> out;
    for (size_t i = 0; i < nodes.size() && i < devices.size(); ++i)
        out.push_back(fmt::format("{} {}:{} {}", S_ISBLK(nodes[i].mode) ? 'b' : 'c', major(nodes[i].rdev),
                                  minor(nodes[i].rdev), devices[i].permissions));
    return out;
}

Result<runtime::ContainerSpec> buildSpec(const ContainerConfig& config, const fs::path& containerDir,
                                         const EngineSettings& settings) {
    runtime::ContainerSpec s;
    s.id = config.id;
    s.hostname = config.hostname;
    s.lowerDirs = config.lowerDirs;
    s.upperDir = containerDir / "upper";
    s.workDir = containerDir / "work";
    s.rootfs = containerDir / "rootfs";
    s.readonlyRoot = config.options.readOnly;
    // A --rm container's writable layer is deleted with it: no reason to sync it.
    s.volatileUpper = config.options.autoRemove;
    s.hostsFile = containerDir / "hosts";
    s.hostnameFile = containerDir / "hostname";
    s.resolvConfFile = containerDir / "resolv.conf";
    for (auto& t : config.options.tmpfs) {
        runtime::MountSpec m;
        auto colon = t.find(':');
        m.destination = t.substr(0, colon);
        m.source = "tmpfs";
        m.type = "tmpfs";
        if (m.destination.empty() || m.destination[0] != '/')
            return fail(Errc::InvalidArgument, "--tmpfs needs an absolute path: `" + t + "`");
        bool hasExecOpt = false;
        if (colon != std::string::npos) {
            std::string opts = t.substr(colon + 1);
            size_t pos = 0;
            while (pos <= opts.size()) {
                size_t comma = opts.find(',', pos);
                if (comma == std::string::npos) comma = opts.size();
                auto o = opts.substr(pos, comma - pos);
                if (!o.empty()) m.options.push_back(o);
                hasExecOpt = hasExecOpt || o == "exec" || o == "noexec";
                pos = comma + 1;
            }
        }
        m.options.insert(m.options.begin(), {"nosuid", "nodev"});
        if (!hasExecOpt) m.options.push_back("noexec");
        s.mounts.push_back(std::move(m));
    }
    BERTH_TRYV(addRequestedMounts(config, containerDir, s.mounts));
    auto args = config.args();
    if (config.options.init) {
        // docker's --init: its init bound read-only on /sbin/docker-init (last, so over any
        // volume at /sbin), running the command as its child.
        s.mounts.push_back({.source = sys::helperProgram("berth-init", settings.helpers.init),
                            .destination = kInitPath, .type = "bind", .options = {"bind", "ro"}});
        args.insert(args.begin(), {kInitPath, "--"});
    }
    s.devices = BERTH_TRY(deviceNodes(config.options.devices));
    s.process = BERTH_TRY(buildProcess(config, containerDir, args, {}, config.user,
                                       config.workingDir, config.options.tty, false));
    // Every mode but host gets its own netns; bridge/user networks are wired into it by
    // the monitor (engine/network), "none" keeps loopback only.
    s.network = config.options.network == "host" ? runtime::NetworkMode::Host : runtime::NetworkMode::Private;
    s.privileged = config.options.privileged;
    s.shmSize = config.options.shmSize;
    s.sysctls.assign(config.options.sysctls.begin(), config.options.sysctls.end());
    if (config.options.seccompProfile == "unconfined") {
        s.seccompUnconfined = true;
    } else if (!config.options.seccompProfile.empty()) {
        s.seccompProfileJson = BERTH_TRY_CTX(sys::readFile(containerDir / "seccomp.json"), "seccomp profile");
    }
    s.resources = config.options.resources;
    // Docker's device list for everyone but --privileged containers, and the --device ones.
    s.resources.restrictDevices = !config.options.privileged;
    s.resources.deviceRules = deviceRules(s.devices, config.options.devices);
    // Compiled seccomp filters are cached per store (containers/<id> -> <root>/cache):
    // compiling Docker's profile costs ~90 ms, more than the rest of a container start.
    s.seccompCacheDir = containerDir.parent_path().parent_path() / "cache" / "seccomp";
    s.cgroupPath = "berth/" + config.id;
    // Rootless: the container gets its own user namespace (uid 0 inside = the user).
    s.engine = settings.runtime;
    if (settings.rootless()) s.userNamespace = BERTH_TRY_CTX(sys::rootlessIdMapping(), "rootless id maps");
    return s;
}

VoidResult writeEtcFiles(const ContainerConfig& config, const fs::path& dir) {
    std::string hosts = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
                        "fe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\n"
                        "ff02::2\tip6-allrouters\n127.0.1.1\t" + config.hostname + "\n";
    bool hostNet = config.options.network == "host";
    if (hostNet)
        if (auto h = sys::readFile("/etc/hosts", 1 << 20); h && !h->empty()) hosts = *h + (h->back() == '\n' ? "" : "\n");
    for (auto& h : config.options.addHosts) {  // --add-host name:ip
        auto colon = h.find(':');
        if (colon == std::string::npos || colon == 0 || colon + 1 == h.size())
            return fail(Errc::InvalidArgument, "invalid --add-host `" + h + "`: expected name:ip");
        hosts += h.substr(colon + 1) + "\t" + h.substr(0, colon) + "\n";
    }
    std::string resolv;
    if (auto host = sys::readFile("/etc/resolv.conf", 1 << 20)) {
        size_t pos = 0;
        std::string& t = *host;
        while (pos < t.size()) {
            size_t nl = t.find('\n', pos);
            if (nl == std::string::npos) nl = t.size();
            std::string line = t.substr(pos, nl - pos);
            pos = nl + 1;
            // A nameserver on the host's loopback is unreachable from the container's netns.
            if (!hostNet && (line.rfind("nameserver 127.", 0) == 0 || line.rfind("nameserver ::1", 0) == 0)) continue;
            if (!config.options.dns.empty() && line.rfind("nameserver", 0) == 0) continue;  // --dns replaces them
            if (!config.options.dnsSearch.empty() && (line.rfind("search", 0) == 0 || line.rfind("domain", 0) == 0))
                continue;  // --dns-search replaces them
            if (!config.options.dnsOptions.empty() && line.rfind("options", 0) == 0) continue;  // --dns-option too
            resolv += line + "\n";
        }
    }
    auto put = [&](const char* name, const std::string& text) -> VoidResult {
        auto fd = BERTH_TRY(sys::openFile(dir / name, O_WRONLY | O_CREAT | O_TRUNC, 0644));
        return sys::writeAll(fd.borrow(), text);
    };
    BERTH_TRYV(put("hosts", hosts));
    BERTH_TRYV(put("hostname", config.hostname + "\n"));
    for (auto& d : config.options.dns) resolv += "nameserver " + d + "\n";
    if (!config.options.dnsSearch.empty()) resolv += fmt::format("search {}\n", fmt::join(config.options.dnsSearch, " "));
    if (!config.options.dnsOptions.empty()) resolv += fmt::format("options {}\n", fmt::join(config.options.dnsOptions, " "));
    BERTH_TRYV(put("resolv.conf", resolv));
    return {};
}

} // namespace berth::container
