// POST /containers/create's body -> RunRequest (see container_create.h).
#include "container_create.h"

#include "api_error.h"
#include "json_fields.h"

#include "berth/health_json.h"
#include "berth/run_flags.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <cstdio>

namespace berth::dockerapi {

namespace {

using nlohmann::json;

uint16_t portNumber(const std::string& text, const std::string& what) {
    unsigned v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc() || p != text.data() + text.size() || v > 65535)
        badRequest("invalid port " + what + ": \"" + text + "\"");
    return uint16_t(v);
}

// HostConfig.PortBindings: {"80/tcp": [{"HostIp": "", "HostPort": "8080"}]}.
std::vector<PortBinding> portBindings(const json& host) {
    std::vector<PortBinding> out;
    for (auto& [key, list] : object(host, "PortBindings").items()) {
        size_t slash = key.find('/');
        PortBinding base;
        base.containerPort = portNumber(key.substr(0, slash), "in PortBindings");
        base.protocol = slash == std::string::npos ? "tcp" : key.substr(slash + 1);
        if (base.protocol != "tcp" && base.protocol != "udp") badRequest("invalid protocol in PortBindings: " + key);
        if (list.is_null()) continue;
        if (!list.is_array()) badRequest("invalid JSON: PortBindings[\"" + key + "\"] must be a list");
        for (auto& b : list) {
            PortBinding p = base;
            p.hostIp = str(b, "HostIp");
            std::string hostPort = str(b, "HostPort");
            if (!hostPort.empty()) p.hostPort = portNumber(hostPort, "HostPort");
            out.push_back(p);
        }
    }
    return out;
}

// HostConfig.Mounts: [{"Type": "volume", "Source": "data", "Target": "/data", ...}].
std::vector<MountRequest> mounts(const json& host) {
    std::vector<MountRequest> out;
    const json* list = field(host, "Mounts");
    if (!list) return out;
    if (!list->is_array()) badRequest("invalid JSON: field \"Mounts\" must be a list");
    for (auto& m : *list) {
        // The engine's --mount parser checks every combination; docker's JSON is its input.
        std::string spec = "type=" + str(m, "Type", "volume") + ",target=" + str(m, "Target");
        if (std::string s = str(m, "Source"); !s.empty()) spec += ",source=" + s;
        if (flag(m, "ReadOnly")) spec += ",readonly";
        if (flag(object(m, "VolumeOptions"), "NoCopy")) spec += ",volume-nocopy";
        const json& tmpfs = object(m, "TmpfsOptions");
        if (int64_t size = number(tmpfs, "SizeBytes"); size > 0) spec += ",tmpfs-size=" + std::to_string(size);
        if (int64_t mode = number(tmpfs, "Mode"); mode > 0) {
            char octal[16];
            std::snprintf(octal, sizeof octal, "%o", unsigned(mode));
            spec += std::string(",tmpfs-mode=") + octal;
        }
        if (spec.find_first_of("\"\n") != std::string::npos) badRequest("invalid mount: " + m.dump());
        auto parsed = parseMountSpec(spec);
        if (!parsed) badRequest(parsed.error().message());
        out.push_back(*parsed);
    }
    return out;
}

// The fields docker sends as strings, through the one flag parser.
RunFlags stringFields(const json& body, const json& host) {
    RunFlags f;
    f.image = str(body, "Image");
    f.command = strings(body, "Cmd");
    for (auto& e : strings(body, "Env"))
        if (e.find('=') != std::string::npos) f.env.push_back(e);  // "K" alone would copy the service's
    f.workdir = str(body, "WorkingDir");
    f.user = str(body, "User");
    f.hostname = str(body, "Hostname");
    f.volumes = strings(host, "Binds");
    for (auto& [path, opts] : stringMap(host, "Tmpfs")) f.tmpfs.push_back(opts.empty() ? path : path + ":" + opts);
    f.capAdd = strings(host, "CapAdd");
    f.capDrop = strings(host, "CapDrop");
    f.securityOpts = strings(host, "SecurityOpt");
    const json& restart = object(host, "RestartPolicy");
    if (std::string n = str(restart, "Name"); !n.empty() && n != "no") {
        int64_t retries = number(restart, "MaximumRetryCount");
        f.restart = n == "on-failure" && retries > 0 ? n + ":" + std::to_string(retries) : n;
    }
    const json& log = object(host, "LogConfig");
    f.logDriver = str(log, "Type");
    for (auto& [k, v] : stringMap(log, "Config")) f.logOpts.push_back(k + "=" + v);
    for (auto& u : (field(host, "Ulimits") ? *field(host, "Ulimits") : json::array())) {
        if (!u.is_object()) badRequest("invalid JSON: Ulimits must be a list of objects");
        f.ulimits.push_back(str(u, "Name") + "=" + std::to_string(number(u, "Soft")) + ":" +
                            std::to_string(number(u, "Hard")));
    }
    f.network = str(host, "NetworkMode");
    f.dns = strings(host, "Dns");
    f.addHosts = strings(host, "ExtraHosts");
    f.dnsSearch = strings(host, "DnsSearch");
    f.dnsOptions = strings(host, "DnsOptions");
    if (int64_t shm = number(host, "ShmSize"); shm < 0) badRequest("SHM size can not be less than 0");
    else if (shm > 0) f.shmSize = std::to_string(shm);  // bytes; 0 = docker's 64 MiB
    for (auto& [k, v] : stringMap(host, "Sysctls")) f.sysctls.push_back(k + "=" + v);
    f.init = flag(host, "Init");  // null: docker's daemon default, no init
    if (const json* devices = field(host, "Devices")) {
        if (!devices->is_array()) badRequest("invalid JSON: field \"Devices\" must be a list");
        for (auto& d : *devices) {
            // Through the one --device parser, as HOST:CONTAINER:PERMS.
            std::string onHost = str(d, "PathOnHost"), ctr = str(d, "PathInContainer"), perms = str(d, "CgroupPermissions");
            if ((onHost + ctr).find(':') != std::string::npos) badRequest("invalid device path: " + d.dump());
            f.devices.push_back(onHost + ":" + (ctr.empty() ? onHost : ctr) + ":" + (perms.empty() ? "rwm" : perms));
        }
    }
    f.stopSignal = str(body, "StopSignal");
    if (field(body, "StopTimeout")) f.stopTimeout = std::to_string(number(body, "StopTimeout"));
    return f;
}

void applyResources(const json& host, ResourceLimits& r) {
    if (int64_t m = number(host, "Memory"); m > 0) r.memoryBytes = m;
    if (int64_t s = number(host, "MemorySwap"); s != 0) r.memorySwapBytes = s;
    if (int64_t nano = number(host, "NanoCpus"); nano > 0) {
        auto quota = cpuQuotaForNanoCpus(nano, r.cpuPeriodUs);
        if (!quota) badRequest("NanoCpus: " + quota.error().message());
        r.cpuQuotaUs = *quota;
    }
    if (int64_t quota = number(host, "CpuQuota"); quota > 0) {
        r.cpuQuotaUs = quota;
        if (int64_t period = number(host, "CpuPeriod"); period > 0) r.cpuPeriodUs = period;
    }
    if (int64_t shares = number(host, "CpuShares"); shares > 0) r.cpuShares = uint64_t(shares);
    if (std::string set = str(host, "CpusetCpus"); !set.empty()) r.cpusetCpus = set;
    // 0 and null are docker's "unset"; -1 unlimited as asked.
    if (int64_t pids = number(host, "PidsLimit"); pids != 0) r.pidsLimit = pids < 0 ? -1 : pids;
    if (r.memoryBytes && r.memorySwapBytes && *r.memorySwapBytes > 0 && *r.memorySwapBytes < *r.memoryBytes)
        badRequest("Minimum memoryswap limit should be larger than memory limit, see usage");
}

// NetworkingConfig.EndpointsConfig[network]: aliases and a fixed address.
void applyEndpoint(const json& body, RunRequest& r) {
    const json& endpoints = object(object(body, "NetworkingConfig"), "EndpointsConfig");
    for (auto& [net, ep] : endpoints.items()) {
        if (!ep.is_object() && !ep.is_null()) badRequest("invalid JSON: EndpointsConfig entries must be objects");
        if (r.network.empty() && net != "default" && net != "bridge") r.network = net;
        if (net != r.network && !(r.network.empty() && (net == "default" || net == "bridge"))) continue;
        r.networkAliases = strings(ep, "Aliases");
        r.ipAddress = str(object(ep, "IPAMConfig"), "IPv4Address");
    }
}

// HostConfig fields Berth does not implement yet: asking for one is a 400 naming it, never a
// container created without it. Their unset forms (false, 0, "", [], {}, null, what docker's
// clients send when the flag was not given) pass.
void refuseUnsupported(const json& host) {
    auto set = [&](const char* key) {
        const json* v = field(host, key);
        if (!v) return false;
        if (v->is_boolean()) return v->get<bool>();
        if (v->is_number()) return v->get<double>() != 0;
        if (v->is_string()) {
            auto s = v->get<std::string>();
            return !s.empty() && s != "private" && s != "shareable" && s != "host" && s != "default";
        }
        return !v->empty();
    };
    for (const char* key : {"DeviceRequests", "DeviceCgroupRules", "PidMode",
                            "IpcMode", "UTSMode", "UsernsMode", "CgroupnsMode", "VolumesFrom", "Links", "GroupAdd",
                            "OomScoreAdj", "BlkioWeight", "CpuRealtimePeriod", "CpuRealtimeRuntime", "Runtime",
                            "Isolation", "Cgroup", "CgroupParent"})
        if (set(key)) badRequest(std::string("HostConfig.") + key + " is not supported by Berth yet");
    // "host" is a real choice for these (not the default), and Berth runs each container in its own.
    for (const char* key : {"PidMode", "IpcMode", "UTSMode", "CgroupnsMode", "UsernsMode"})
        if (str(host, key) == "host") badRequest(std::string("HostConfig.") + key + " \"host\" is not supported by Berth yet");
}

} // namespace

ContainerUpdate containerUpdateFromJson(const json& body) {
    if (!body.is_object() && !body.is_null()) badRequest("invalid JSON: the update must be an object");
    ContainerUpdate u;
    applyResources(body, u.resources);
    if (field(body, "PidsLimit")) {
        int64_t pids = number(body, "PidsLimit");
        u.resources.pidsLimit = pids <= 0 ? -1 : pids;
    }
    const json& restart = object(body, "RestartPolicy");
    if (std::string n = str(restart, "Name"); !n.empty()) {
        int64_t retries = number(restart, "MaximumRetryCount");
        auto policy = parseRestartPolicy(n == "on-failure" && retries > 0 ? n + ":" + std::to_string(retries) : n);
        if (!policy) badRequest(policy.error().message());
        u.restart = *policy;
    }
    return u;
}

RunRequest runRequestFromCreate(const json& body, const std::string& name) {
    const json& host = object(body, "HostConfig");
    refuseUnsupported(host);
    RunFlags f = stringFields(body, host);
    f.macAddress = str(body, "MacAddress");  // refused by the flag parser, as --mac-address
    if (f.image.empty()) badRequest("Config.Image is required: the image to create the container from");
    f.name = name;
    if (f.network.starts_with("container:")) badRequest("network mode " + f.network + " is not supported by Berth");
    auto parsed = parseRunFlags(f);
    if (!parsed) badRequest(parsed.error().message());
    RunRequest r = std::move(*parsed);
    // Entrypoint: null keeps the image's; [""] (docker --entrypoint "") clears it.
    if (field(body, "Entrypoint")) {
        auto ep = strings(body, "Entrypoint");
        if (ep.size() == 1 && ep[0].empty()) ep.clear();
        r.entrypoint = ep;
    }
    r.tty = flag(body, "Tty");
    r.interactive = flag(body, "OpenStdin");
    r.labels = stringMap(body, "Labels");
    r.autoRemove = flag(host, "AutoRemove");
    r.privileged = flag(host, "Privileged");
    r.readOnly = flag(host, "ReadonlyRootfs");
    r.publishAll = flag(host, "PublishAllPorts");
    applyResources(host, r.resources);
    r.ports = portBindings(host);
    auto more = mounts(host);
    r.mounts.insert(r.mounts.end(), more.begin(), more.end());
    // Config.Volumes {"/data": {}}: an anonymous volume per path not mounted otherwise.
    std::vector<std::string> volumePaths;
    for (auto& [path, unused] : object(body, "Volumes").items()) volumePaths.push_back(path);
    if (auto added = addVolumePaths(r, volumePaths, "Config.Volumes"); !added) badRequest(added.error().message());
    // Config.Healthcheck: laid over the image's HEALTHCHECK as --health-* are (null = the image's).
    if (const json* hc = field(body, "Healthcheck"); hc && !hc->is_null()) {
        auto health = healthConfigFromDockerJson(hc->dump());
        if (!health) badRequest(health.error().message());
        r.healthcheck = *health;
    }
    applyEndpoint(body, r);
    return r;
}

} // namespace berth::dockerapi
