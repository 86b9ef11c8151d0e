// parseRunFlags: docker run's flags (as strings, from the CLI or the Run… dialog) to a
// RunRequest, with the single-value parsers of container_options.cpp and mount_spec.cpp.
#include "berth/run_flags.h"

#include "berth/signals.h"
#include "berth/text.h"
#include "sys/fs.h"

#include <charconv>

#include <fmt/format.h>

namespace berth {

namespace {

// Adds the flag to a parser's message unless the message names it already.
Error flagError(const Error& e, std::string_view flag) {
    if (e.message().find(flag) != std::string::npos) return e;
    return e.withContext(flag);
}

#define BERTH_FLAG(expr, flag)                                              \
    ({                                                                      \
        auto&& flagResult_ = (expr);                                        \
        if (!flagResult_) return std::unexpected(flagError(flagResult_.error(), flag)); \
        std::move(*flagResult_);                                            \
    })
#define BERTH_FLAGV(expr, flag)                                             \
    do {                                                                    \
        auto&& flagResult_ = (expr);                                        \
        if (!flagResult_) return std::unexpected(flagError(flagResult_.error(), flag)); \
    } while (0)

Result<int64_t> parseInteger(const std::string& text, std::string_view flag) {
    int64_t v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc() || p != text.data() + text.size())
        return fail(Errc::InvalidArgument, std::string(flag) + ": invalid number `" + text + "`");
    return v;
}

// Lines of a --label-file: "k=v" or "k", # comments.
Result<std::vector<std::string>> readLabelFile(const std::string& path) {
    auto text = BERTH_TRY_CTX(sys::readFile(path, size_t(16) << 20), "read label file");
    std::vector<std::string> out;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t nl = text.find('\n', pos);
        if (nl == std::string::npos) nl = text.size();
        std::string line = text.substr(pos, nl - pos);
        pos = nl + 1;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line.front() == '#') continue;
        out.push_back(std::move(line));
    }
    return out;
}

// The resource flags of run and update (RunFlags and UpdateFlags name them alike).
template <class Flags>
VoidResult applyResources(const Flags& f, ResourceLimits& r) {
    if (!f.memory.empty()) r.memoryBytes = BERTH_FLAG(parseMemory(f.memory), "--memory");
    if (!f.memorySwap.empty())
        r.memorySwapBytes = f.memorySwap == "-1" ? int64_t(-1) : BERTH_FLAG(parseMemory(f.memorySwap), "--memory-swap");
    if (!f.cpus.empty()) r.cpuQuotaUs = BERTH_FLAG(parseCpus(f.cpus, r.cpuPeriodUs), "--cpus");
    if (!f.cpuShares.empty()) {
        int64_t shares = BERTH_TRY(parseInteger(f.cpuShares, "--cpu-shares"));
        if (shares < 0) return fail(Errc::InvalidArgument, "--cpu-shares: must not be negative: `" + f.cpuShares + "`");
        if (shares > 0) r.cpuShares = uint64_t(shares);  // 0: the default weight
    }
    if (!f.cpusetCpus.empty()) r.cpusetCpus = f.cpusetCpus;
    if (!f.pidsLimit.empty()) {
        int64_t limit = BERTH_TRY(parseInteger(f.pidsLimit, "--pids-limit"));
        if (limit < -1)
            return fail(Errc::InvalidArgument, "--pids-limit: `" + f.pidsLimit + "` (a positive limit, or -1 for unlimited)");
        if (limit != 0) r.pidsLimit = limit;  // -1: unlimited, as asked; 0: not set
    }
    return {};
}

VoidResult applyLogFlags(const RunFlags& f, LogConfig& log) {
    if (!f.logDriver.empty() && f.logDriver != "json-file")
        return fail(Errc::InvalidArgument, "--log-driver: `" + f.logDriver + "` is not supported (only json-file)");
    for (auto& l : f.logOpts) {
        // "max-size=10m,max-file=3" is accepted in one flag as well.
        size_t pos = 0;
        while (pos <= l.size()) {
            auto comma = l.find(',', pos);
            if (comma == std::string::npos) comma = l.size();
            BERTH_FLAGV(parseLogOpt(std::string_view(l).substr(pos, comma - pos), log), "--log-opt");
            pos = comma + 1;
        }
    }
    return {};
}

VoidResult applyLabels(const RunFlags& f, std::map<std::string, std::string>& labels) {
    std::vector<std::string> items;
    for (auto& file : f.labelFiles) {
        auto lines = BERTH_FLAG(readLabelFile(file), "--label-file");
        items.insert(items.end(), lines.begin(), lines.end());
    }
    items.insert(items.end(), f.labels.begin(), f.labels.end());
    for (auto& l : items) {
        auto [k, v] = BERTH_FLAG(parseLabel(l), "--label");
        labels[k] = v;
    }
    return {};
}

VoidResult applyMounts(const RunFlags& f, RunRequest& o) {
    for (auto& v : f.volumes) o.mounts.push_back(BERTH_FLAG(parseVolumeSpec(v), "--volume"));
    for (auto& m : f.mounts) o.mounts.push_back(BERTH_FLAG(parseMountSpec(m), "--mount"));
    o.tmpfs = f.tmpfs;
    return {};
}

VoidResult applyNetwork(const RunFlags& f, RunRequest& o) {
    for (auto& p : f.publish) {
        auto bindings = BERTH_FLAG(parsePortSpec(p), "--publish");
        o.ports.insert(o.ports.end(), bindings.begin(), bindings.end());
    }
    o.publishAll = f.publishAll;
    // docker's "default" is the engine's default network: "bridge" as root, the rootless
    // network otherwise, which is what "" asks for.
    o.network = f.network == "default" ? std::string() : f.network;
    o.ipAddress = f.ip;
    o.networkAliases = f.networkAliases;
    o.dns = f.dns;
    o.addHosts = f.addHosts;
    o.dnsSearch = f.dnsSearch;
    o.dnsOptions = f.dnsOptions;
    return {};
}

// --shm-size: docker's units; 0 is docker's "unset" (64 MiB).
VoidResult applyShmSize(const RunFlags& f, RunRequest& o) {
    if (f.shmSize.empty()) return {};
    int64_t size = BERTH_FLAG(parseMemory(f.shmSize), "--shm-size");
    if (size < 0) return fail(Errc::InvalidArgument, "--shm-size: SHM size can not be less than 0: `" + f.shmSize + "`");
    if (size > 0) o.shmSize = size;
    return {};
}

// --sysctl KEY=VALUE: only the sysctls a container's own IPC and network namespaces hold
// (docker's list); net.* needs a network namespace of its own.
VoidResult applySysctls(const RunFlags& f, RunRequest& o) {
    for (auto& item : f.sysctls) {
        auto eq = item.find('=');
        std::string key = item.substr(0, eq);
        if (eq == std::string::npos || !namespacedSysctl(key))
            return fail(Errc::InvalidArgument, "--sysctl: sysctl '" + item + "' is not whitelisted");
        if (key.starts_with("net.") && o.network == "host")
            return fail(Errc::InvalidArgument, "--sysctl: sysctl \"" + key + "\" not allowed in host network namespace");
        o.sysctls[key] = item.substr(eq + 1);
    }
    return {};
}

Error notYet(const std::string& what) {
    return Error(Errc::Unsupported, what + " is not supported by Berth yet");
}

// Namespace modes: the one Berth gives every container is accepted, the others refused
// (docker's invalid values are invalid here too).
VoidResult checkMode(const std::string& flag, const std::string& value, std::initializer_list<const char*> ours,
                     std::initializer_list<const char*> valid, const char* docker) {
    if (value.empty()) return {};
    for (const char* v : ours)
        if (value == v) return {};
    bool known = value.starts_with("container:") && value.size() > 10;
    for (const char* v : valid) known = known || value == v;
    if (!known) return fail(Errc::InvalidArgument, flag + ": invalid " + docker + " mode `" + value + "`");
    return std::unexpected(notYet(flag + "=" + value));
}

// Flags docker has and Berth does not implement yet: accepted by the parsers, refused here
// naming the flag, so a command line never loses one silently.
VoidResult refuseUnsupported(const RunFlags& f) {
    if (!f.macAddress.empty())
        return fail(Errc::Unsupported, "--mac-address is not supported by Berth yet: its bridge derives each "
                                       "container's MAC address from its IP address (02:42:...)");
    BERTH_TRYV(checkMode("--cgroupns", f.cgroupns, {"private"}, {"host"}, "cgroup namespace"));
    BERTH_TRYV(checkMode("--ipc", f.ipc, {"private", "shareable"}, {"host", "none"}, "IPC"));
    BERTH_TRYV(checkMode("--pid", f.pid, {"private"}, {"host"}, "PID"));
    if (f.network.starts_with("container:")) return std::unexpected(notYet("--network=" + f.network));
    return {};
}

} // namespace

bool namespacedSysctl(std::string_view key) {
    for (std::string_view ipc : {"kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall",
                                 "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced"})
        if (key == ipc) return true;
    auto prefixed = [&](std::string_view p) { return key.size() > p.size() && key.starts_with(p); };
    return prefixed("fs.mqueue.") || prefixed("net.");
}

Result<std::pair<std::string, std::string>> parseLabel(std::string_view item) {
    auto eq = item.find('=');
    std::string key(item.substr(0, eq));
    if (key.empty() || key.find_first_not_of(" \t") == std::string::npos)
        return fail(Errc::InvalidArgument, "invalid label `" + std::string(item) + "`: the key is empty");
    return std::pair{key, eq == std::string_view::npos ? std::string() : std::string(item.substr(eq + 1))};
}

Result<ContainerUpdate> parseUpdateFlags(const UpdateFlags& f) {
    if (f.memory.empty() && f.memorySwap.empty() && f.cpus.empty() && f.cpuShares.empty() && f.cpusetCpus.empty() &&
        f.pidsLimit.empty() && f.restart.empty())
        return fail(Errc::InvalidArgument, "you must provide one or more flags when using this command");
    ContainerUpdate u;
    BERTH_TRYV(applyResources(f, u.resources));
    if (f.pidsLimit == "0") u.resources.pidsLimit = -1;  // update: 0 lifts the limit as -1 does
    if (!f.restart.empty()) u.restart = BERTH_FLAG(parseRestartPolicy(f.restart), "--restart");
    return u;
}

Result<std::optional<HealthConfig>> parseHealthFlags(const RunFlags& f) {
    bool any = !f.healthCmd.empty() || !f.healthInterval.empty() || !f.healthTimeout.empty() ||
               !f.healthStartPeriod.empty() || !f.healthStartInterval.empty() || !f.healthRetries.empty();
    if (f.noHealthcheck) {
        if (any) return fail(Errc::InvalidArgument, "--no-healthcheck conflicts with --health-* options");
        return HealthConfig{.test = {"NONE"}};
    }
    if (!any) return std::optional<HealthConfig>();
    HealthConfig h;
    if (!f.healthCmd.empty()) h.test = {"CMD-SHELL", f.healthCmd};
    // docker's rules: not negative, and a duration that is set is at least 1ms.
    auto duration = [](const std::string& text, std::string_view flag) -> Result<int64_t> {
        if (text.empty()) return int64_t(0);
        if (text.starts_with('-')) return fail(Errc::InvalidArgument, fmt::format("{} cannot be negative: `{}`", flag, text));
        int64_t ns = BERTH_FLAG(parseDuration(text), flag);
        if (ns != 0 && ns < 1'000'000)
            return fail(Errc::InvalidArgument, fmt::format("{} cannot be less than 1ms: `{}`", flag, text));
        return ns;
    };
    h.intervalNs = BERTH_TRY(duration(f.healthInterval, "--health-interval"));
    h.timeoutNs = BERTH_TRY(duration(f.healthTimeout, "--health-timeout"));
    h.startPeriodNs = BERTH_TRY(duration(f.healthStartPeriod, "--health-start-period"));
    h.startIntervalNs = BERTH_TRY(duration(f.healthStartInterval, "--health-start-interval"));
    if (!f.healthRetries.empty()) {
        int64_t retries = BERTH_TRY(parseInteger(f.healthRetries, "--health-retries"));
        if (retries < 0 || retries > 1'000'000)
            return fail(Errc::InvalidArgument, "--health-retries cannot be negative or huge: `" + f.healthRetries + "`");
        h.retries = int(retries);
    }
    return h;
}

Result<RunRequest> parseRunFlags(const RunFlags& f) {
    RunRequest o;
    if (f.image.empty()) return fail(Errc::InvalidArgument, "an image is required: IMAGE [COMMAND] [ARG...]");
    o.image = f.image;
    o.cmd = f.command;
    o.name = f.name;
    for (auto& file : f.envFiles) {
        auto vars = BERTH_FLAG(readEnvFile(file), "--env-file");
        o.env.insert(o.env.end(), vars.begin(), vars.end());
    }
    o.env.insert(o.env.end(), f.env.begin(), f.env.end());
    o.workingDir = f.workdir;
    o.user = f.user;
    if (f.entrypoint) {
        o.entrypoint = std::vector<std::string>{};
        if (!f.entrypoint->empty()) o.entrypoint->push_back(*f.entrypoint);
    }
    o.hostname = f.hostname;
    o.tty = f.tty;
    o.interactive = f.interactive;
    o.autoRemove = f.rm;
    o.readOnly = f.readOnly;
    o.privileged = f.privileged;
    BERTH_TRYV(applyResources(f, o.resources));
    BERTH_TRYV(applyMounts(f, o));
    o.init = f.init;
    for (auto& d : f.devices) o.devices.push_back(BERTH_FLAG(parseDeviceSpec(d), "--device"));
    o.capAdd = f.capAdd;
    o.capDrop = f.capDrop;
    for (auto& s : f.securityOpts) BERTH_FLAGV(parseSecurityOpt(s, o), "--security-opt");
    if (!f.restart.empty()) o.restart = BERTH_FLAG(parseRestartPolicy(f.restart), "--restart");
    BERTH_TRYV(applyLogFlags(f, o.log));
    for (auto& u : f.ulimits) o.ulimits.push_back(BERTH_FLAG(parseUlimit(u), "--ulimit"));
    BERTH_TRYV(applyLabels(f, o.labels));
    BERTH_TRYV(applyNetwork(f, o));
    BERTH_TRYV(refuseUnsupported(f));
    BERTH_TRYV(applyShmSize(f, o));
    BERTH_TRYV(applySysctls(f, o));
    o.healthcheck = BERTH_TRY(parseHealthFlags(f));
    if (!f.stopSignal.empty()) {
        BERTH_FLAGV(parseSignal(f.stopSignal), "--stop-signal");
        o.stopSignal = f.stopSignal;
    }
    if (!f.stopTimeout.empty()) {
        int64_t t = BERTH_TRY(parseInteger(f.stopTimeout, "--stop-timeout"));
        if (t < -1 || t > 24 * 3600)
            return fail(Errc::InvalidArgument, "--stop-timeout: `" + f.stopTimeout + "` (seconds, up to a day; -1 for no limit)");
        o.stopTimeout = int(t);
    }
    return o;
}

} // namespace berth
