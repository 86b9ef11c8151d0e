#include "container/container_record.h"

#include "container/health.h"
#include "image/healthcheck_json.h"

#include <fmt/format.h>

#include <chrono>
#include <ctime>

namespace berth {

const char* statusName(ContainerStatus s) {
    using Status = ContainerStatus;
    switch (s) {
    case Status::Created: return "created";
    case Status::Running: return "running";
    case Status::Paused: return "paused";
    case Status::Restarting: return "restarting";
    case Status::Exited: return "exited";
    case Status::Dead: return "dead";
    }
    return "unknown";
}

} // namespace berth

namespace berth::container {

Status statusFromName(std::string_view n) {
    if (n == "running") return Status::Running;
    if (n == "paused") return Status::Paused;
    if (n == "restarting") return Status::Restarting;
    if (n == "exited") return Status::Exited;
    if (n == "dead") return Status::Dead;
    return Status::Created;
}

std::vector<std::string> ContainerConfig::args() const {
    std::vector<std::string> out = entrypoint;
    out.insert(out.end(), cmd.begin(), cmd.end());
    return out;
}

nlohmann::json toJson(const CreateOptions& o) {
    nlohmann::json ports = nlohmann::json::array();
    for (auto& p : o.ports)
        ports.push_back({{"hostIp", p.hostIp}, {"hostPort", p.hostPort},
                         {"containerPort", p.containerPort}, {"protocol", p.protocol}});
    nlohmann::json ulimits = nlohmann::json::array();
    for (auto& u : o.ulimits) ulimits.push_back({{"name", u.name}, {"soft", u.soft}, {"hard", u.hard}});
    nlohmann::json res = nlohmann::json::object();
    auto& r = o.resources;
    if (r.memoryBytes) res["memory"] = *r.memoryBytes;
    if (r.memorySwapBytes) res["memorySwap"] = *r.memorySwapBytes;
    if (r.cpuQuotaUs) res["cpuQuota"] = *r.cpuQuotaUs;
    res["cpuPeriod"] = r.cpuPeriodUs;
    if (r.cpuShares) res["cpuShares"] = *r.cpuShares;
    if (r.cpusetCpus) res["cpusetCpus"] = *r.cpusetCpus;
    if (r.pidsLimit) res["pidsLimit"] = *r.pidsLimit;
    nlohmann::json j{{"image", o.image},
                     {"name", o.name},
                     {"cmd", o.cmd},
                     {"env", o.env},
                     {"workingDir", o.workingDir},
                     {"user", o.user},
                     {"hostname", o.hostname},
                     {"tty", o.tty},
                     {"interactive", o.interactive},
                     {"autoRemove", o.autoRemove},
                     {"resources", res},
                     {"readOnly", o.readOnly},
                     {"tmpfs", o.tmpfs},
                     {"capAdd", o.capAdd},
                     {"capDrop", o.capDrop},
                     {"privileged", o.privileged},
                     {"seccompProfile", o.seccompProfile},
                     {"noNewPrivileges", o.noNewPrivileges},
                     {"restartPolicy", {{"name", o.restart.name()}, {"maximumRetryCount", o.restart.maxRetries}}},
                     {"log", {{"maxSize", o.log.maxSize}, {"maxFile", o.log.maxFile}}},
                     {"ports", ports},
                     {"ulimits", ulimits},
                     {"labels", o.labels}};
    if (o.entrypoint) j["entrypoint"] = *o.entrypoint;
    if (!o.mounts.empty()) {
        nlohmann::json mounts = nlohmann::json::array();
        for (auto& m : o.mounts)
            mounts.push_back({{"type", mountTypeName(m.type)}, {"source", m.source}, {"target", m.target},
                              {"readOnly", m.readOnly}, {"anonymous", m.anonymous}, {"noCopy", m.noCopy},
                              {"tmpfsSize", m.tmpfsSize}, {"tmpfsMode", m.tmpfsMode}});
        j["mounts"] = mounts;
    }
    if (!o.network.empty()) j["network"] = o.network;
    if (!o.ipAddress.empty()) j["ipAddress"] = o.ipAddress;
    if (!o.networkAliases.empty()) j["networkAliases"] = o.networkAliases;
    if (!o.dns.empty()) j["dns"] = o.dns;
    if (!o.addHosts.empty()) j["addHosts"] = o.addHosts;
    if (!o.dnsSearch.empty()) j["dnsSearch"] = o.dnsSearch;
    if (!o.dnsOptions.empty()) j["dnsOptions"] = o.dnsOptions;
    if (!o.stopSignal.empty()) j["stopSignal"] = o.stopSignal;
    if (o.stopTimeout) j["stopTimeout"] = *o.stopTimeout;
    if (o.publishAll) j["publishAll"] = true;
    j["shmSize"] = o.shmSize;
    if (!o.sysctls.empty()) j["sysctls"] = o.sysctls;
    if (o.healthcheck) j["healthcheck"] = image::healthConfigJson(*o.healthcheck);
    if (o.init) j["init"] = true;
    if (!o.devices.empty()) {
        auto devices = nlohmann::json::array();
        for (auto& d : o.devices)
            devices.push_back({{"pathOnHost", d.pathOnHost}, {"pathInContainer", d.pathInContainer},
                               {"permissions", d.permissions}});
        j["devices"] = devices;
    }
    return j;
}

template <class T>
static T get(const nlohmann::json& j, const char* key, T def) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return def;
    try {
        return it->get<T>();
    } catch (const nlohmann::json::exception&) {
        return def;
    }
}

CreateOptions createOptionsFromJson(const nlohmann::json& j) {
    CreateOptions o;
    if (!j.is_object()) return o;
    o.image = get<std::string>(j, "image", "");
    o.name = get<std::string>(j, "name", "");
    o.cmd = get<std::vector<std::string>>(j, "cmd", {});
    if (j.contains("entrypoint")) o.entrypoint = get<std::vector<std::string>>(j, "entrypoint", {});
    o.env = get<std::vector<std::string>>(j, "env", {});
    o.workingDir = get<std::string>(j, "workingDir", "");
    o.user = get<std::string>(j, "user", "");
    o.hostname = get<std::string>(j, "hostname", "");
    o.tty = get<bool>(j, "tty", false);
    o.interactive = get<bool>(j, "interactive", false);
    o.autoRemove = get<bool>(j, "autoRemove", false);
    if (auto it = j.find("resources"); it != j.end() && it->is_object()) {
        auto& r = *it;
        auto& res = o.resources;
        if (r.contains("memory")) res.memoryBytes = get<int64_t>(r, "memory", 0);
        if (r.contains("memorySwap")) res.memorySwapBytes = get<int64_t>(r, "memorySwap", 0);
        if (r.contains("cpuQuota")) res.cpuQuotaUs = get<int64_t>(r, "cpuQuota", 0);
        res.cpuPeriodUs = get<int64_t>(r, "cpuPeriod", 100000);
        if (r.contains("cpuShares")) res.cpuShares = get<uint64_t>(r, "cpuShares", 0);
        if (r.contains("cpusetCpus")) res.cpusetCpus = get<std::string>(r, "cpusetCpus", "");
        if (r.contains("pidsLimit")) res.pidsLimit = get<int64_t>(r, "pidsLimit", 0);
    }
    o.readOnly = get<bool>(j, "readOnly", false);
    o.tmpfs = get<std::vector<std::string>>(j, "tmpfs", {});
    o.capAdd = get<std::vector<std::string>>(j, "capAdd", {});
    o.capDrop = get<std::vector<std::string>>(j, "capDrop", {});
    o.privileged = get<bool>(j, "privileged", false);
    o.seccompProfile = get<std::string>(j, "seccompProfile", "");
    o.noNewPrivileges = get<bool>(j, "noNewPrivileges", false);
    if (auto it = j.find("restartPolicy"); it != j.end() && it->is_object()) {
        if (auto p = parseRestartPolicy(get<std::string>(*it, "name", "no"))) o.restart = *p;
        o.restart.maxRetries = get<int>(*it, "maximumRetryCount", 0);
    }
    if (auto it = j.find("log"); it != j.end() && it->is_object()) {
        o.log.maxSize = get<uint64_t>(*it, "maxSize", 0);
        o.log.maxFile = get<int>(*it, "maxFile", 1);
    }
    if (auto it = j.find("ports"); it != j.end() && it->is_array())
        for (auto& p : *it) {
            PortBinding b;
            b.hostIp = get<std::string>(p, "hostIp", "");
            b.hostPort = get<uint16_t>(p, "hostPort", 0);
            b.containerPort = get<uint16_t>(p, "containerPort", 0);
            b.protocol = get<std::string>(p, "protocol", "tcp");
            o.ports.push_back(b);
        }
    if (auto it = j.find("ulimits"); it != j.end() && it->is_array())
        for (auto& u : *it)
            o.ulimits.push_back({get<std::string>(u, "name", ""), get<int64_t>(u, "soft", 0),
                                 get<int64_t>(u, "hard", 0)});
    o.labels = get<std::map<std::string, std::string>>(j, "labels", {});
    if (auto it = j.find("mounts"); it != j.end() && it->is_array())
        for (auto& m : *it) {
            MountRequest r;
            auto type = get<std::string>(m, "type", "volume");
            r.type = type == "bind" ? MountRequest::Type::Bind
                     : type == "tmpfs" ? MountRequest::Type::Tmpfs : MountRequest::Type::Volume;
            r.source = get<std::string>(m, "source", "");
            r.target = get<std::string>(m, "target", "");
            r.readOnly = get<bool>(m, "readOnly", false);
            r.anonymous = get<bool>(m, "anonymous", false);
            r.noCopy = get<bool>(m, "noCopy", false);
            r.tmpfsSize = get<int64_t>(m, "tmpfsSize", 0);
            r.tmpfsMode = get<uint32_t>(m, "tmpfsMode", 0);
            o.mounts.push_back(std::move(r));
        }
    o.network = get<std::string>(j, "network", "");
    o.ipAddress = get<std::string>(j, "ipAddress", "");
    o.networkAliases = get<std::vector<std::string>>(j, "networkAliases", {});
    o.dns = get<std::vector<std::string>>(j, "dns", {});
    o.addHosts = get<std::vector<std::string>>(j, "addHosts", {});
    o.dnsSearch = get<std::vector<std::string>>(j, "dnsSearch", {});
    o.dnsOptions = get<std::vector<std::string>>(j, "dnsOptions", {});
    o.stopSignal = get<std::string>(j, "stopSignal", "");
    if (j.contains("stopTimeout") && j["stopTimeout"].is_number_integer()) o.stopTimeout = j["stopTimeout"].get<int>();
    o.publishAll = get<bool>(j, "publishAll", false);
    // Records from before --shm-size keep docker's 64 MiB; a bad value reads as that too.
    if (int64_t shm = get<int64_t>(j, "shmSize", 0); shm > 0) o.shmSize = shm;
    o.sysctls = get<std::map<std::string, std::string>>(j, "sysctls", {});
    if (auto it = j.find("healthcheck"); it != j.end() && it->is_object()) o.healthcheck = image::healthConfigFromJson(*it);
    o.init = get<bool>(j, "init", false);
    if (auto it = j.find("devices"); it != j.end() && it->is_array())
        for (auto& d : *it)
            o.devices.push_back({get<std::string>(d, "pathOnHost", ""), get<std::string>(d, "pathInContainer", ""),
                                 get<std::string>(d, "permissions", "rwm")});
    return o;
}

nlohmann::json toJson(const ContainerConfig& c) {
    std::vector<std::string> lowers;
    for (auto& p : c.lowerDirs) lowers.push_back(p.string());
    nlohmann::json j{{"id", c.id},
            {"name", c.name},
            {"image", c.image},
            {"imageId", c.imageId},
            {"created", c.created},
            {"createdNano", c.createdNano},
            {"entrypoint", c.entrypoint},
            {"cmd", c.cmd},
            {"env", c.env},
            {"workingDir", c.workingDir},
            {"user", c.user},
            {"hostname", c.hostname},
            {"stopSignal", c.stopSignal},
            {"exposedPorts", c.exposedPorts},
            {"lowerDirs", lowers},
            {"options", toJson(c.options)}};
    if (c.healthcheck) j["healthcheck"] = image::healthConfigJson(*c.healthcheck);
    return j;
}

Result<ContainerConfig> configFromJson(const nlohmann::json& j) {
    if (!j.is_object()) return fail(Errc::Corrupt, "container config is not a JSON object");
    ContainerConfig c;
    c.id = get<std::string>(j, "id", "");
    if (c.id.size() != 64) return fail(Errc::Corrupt, "container config has no valid id");
    c.name = get<std::string>(j, "name", "");
    c.image = get<std::string>(j, "image", "");
    c.imageId = get<std::string>(j, "imageId", "");
    c.created = get<std::string>(j, "created", "");
    c.createdNano = get<int64_t>(j, "createdNano", 0);
    c.entrypoint = get<std::vector<std::string>>(j, "entrypoint", {});
    c.cmd = get<std::vector<std::string>>(j, "cmd", {});
    c.env = get<std::vector<std::string>>(j, "env", {});
    c.workingDir = get<std::string>(j, "workingDir", "");
    c.user = get<std::string>(j, "user", "");
    c.hostname = get<std::string>(j, "hostname", "");
    c.stopSignal = get<std::string>(j, "stopSignal", "SIGTERM");
    c.exposedPorts = get<std::vector<std::string>>(j, "exposedPorts", {});
    for (auto& p : get<std::vector<std::string>>(j, "lowerDirs", {})) c.lowerDirs.push_back(p);
    if (auto it = j.find("options"); it != j.end()) c.options = createOptionsFromJson(*it);
    if (auto it = j.find("healthcheck"); it != j.end() && it->is_object()) {
        c.healthcheck = image::healthConfigFromJson(*it);
        if (c.healthcheck->disabled()) c.healthcheck.reset();
    }
    return c;
}

nlohmann::json toJson(const ContainerState& s) {
    nlohmann::json j{{"status", statusName(s.status)}, {"pid", s.pid},
            {"monitorPid", s.monitorPid},     {"exitCode", s.exitCode},
            {"oomKilled", s.oomKilled},       {"error", s.error},
            {"startedAt", s.startedAt},       {"finishedAt", s.finishedAt},
            {"restartCount", s.restartCount}};
    if (s.health) j["health"] = healthStateJson(*s.health);
    return j;
}

ContainerState stateFromJson(const nlohmann::json& j) {
    ContainerState s;
    if (!j.is_object()) return s;
    s.status = statusFromName(get<std::string>(j, "status", "created"));
    s.pid = get<pid_t>(j, "pid", 0);
    s.monitorPid = get<pid_t>(j, "monitorPid", 0);
    s.exitCode = get<int>(j, "exitCode", 0);
    s.oomKilled = get<bool>(j, "oomKilled", false);
    s.error = get<std::string>(j, "error", "");
    s.startedAt = get<std::string>(j, "startedAt", "");
    s.finishedAt = get<std::string>(j, "finishedAt", "");
    s.restartCount = get<int>(j, "restartCount", 0);
    if (auto it = j.find("health"); it != j.end() && it->is_object()) s.health = healthStateFromJson(*it);
    return s;
}

} // namespace berth::container
