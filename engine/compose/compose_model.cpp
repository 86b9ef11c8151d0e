// One service's YAML node as a Service: every key checked against the ones Berth runs, each
// value against its type. An unknown or unsupported key, or a wrong type, names its line.
#include "compose/compose_internal.h"

#include "berth/run_flags.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

namespace berth::compose::detail {

namespace fs = std::filesystem;

void failAt(const YAML::Node& node, const std::string& message) {
    throw LoadError{message, node.IsDefined() ? node.Mark() : YAML::Mark::null_mark()};
}

std::string placed(const std::string& file, const LoadError& e) {
    std::string where = file;
    if (!e.mark.is_null())
        where += fmt::format("{}line {}, column {}", where.empty() ? "" : ": ", e.mark.line + 1, e.mark.column + 1);
    return where.empty() ? e.message : where + ": " + e.message;
}

std::string scalar(const YAML::Node& node, const std::string& what) {
    if (node.IsNull()) return "";
    if (!node.IsScalar()) failAt(node, fmt::format("{} must be a string or a number", what));
    return node.Scalar();
}

namespace {

// Keys of the Compose Specification Berth does not run: refused as "not supported".
const std::set<std::string> kUnsupportedServiceKeys = {
    "annotations", "attach", "blkio_config", "cap_add", "cap_drop", "cgroup", "cgroup_parent", "configs",
    "container_name", "cpu_count", "cpu_percent", "cpu_period", "cpu_quota", "cpu_rt_period", "cpu_rt_runtime",
    "cpu_shares", "cpuset", "credential_spec", "develop", "device_cgroup_rules", "devices", "dns", "dns_opt",
    "dns_search", "domainname", "external_links", "extra_hosts", "group_add", "ipc", "isolation", "links",
    "logging", "mac_address", "mem_reservation", "mem_swappiness", "memswap_limit", "network_mode",
    "oom_kill_disable", "oom_score_adj", "pid", "platform", "privileged", "pull_policy", "read_only", "runtime",
    "scale", "secrets", "security_opt", "shm_size", "stdin_open", "storage_opt", "sysctls", "tmpfs", "tty",
    "ulimits", "userns_mode", "uts", "volumes_from", "gpus", "post_start", "pre_stop", "provider", "models"};

void checkKeys(const YAML::Node& map, const std::string& where, const std::set<std::string>& known,
               const std::set<std::string>& unsupported = {}) {
    if (!map.IsMap()) failAt(map, fmt::format("{} must be a mapping", where));
    for (auto it = map.begin(); it != map.end(); ++it) {
        auto key = it->first.Scalar();
        if (known.contains(key) || key.starts_with("x-")) continue;
        if (unsupported.contains(key))
            throw LoadError{fmt::format("{}: key \"{}\" is not supported by berth compose", where, key), it->first.Mark()};
        throw LoadError{fmt::format("{}: unknown key \"{}\"", where, key), it->first.Mark()};
    }
}

bool boolean(const YAML::Node& node, const std::string& what) {
    auto s = scalar(node, what);
    if (s == "true" || s == "True" || s == "yes") return true;
    if (s == "false" || s == "False" || s == "no") return false;
    failAt(node, fmt::format("{} must be true or false, not \"{}\"", what, s));
}

std::vector<std::string> stringList(const YAML::Node& node, const std::string& what, bool allowString = true) {
    std::vector<std::string> out;
    if (node.IsNull()) return out;
    if (node.IsScalar() && allowString) return {node.Scalar()};
    if (!node.IsSequence()) failAt(node, fmt::format("{} must be a list", what));
    for (const auto& item : node) out.push_back(scalar(item, what + " item"));
    return out;
}

// environment / labels: a map (null values: from the caller) or a list of "K=V" / "K".
std::map<std::string, std::optional<std::string>> keyValues(const YAML::Node& node, const std::string& what) {
    std::map<std::string, std::optional<std::string>> out;
    if (node.IsMap()) {
        for (auto it = node.begin(); it != node.end(); ++it) {
            auto key = it->first.Scalar();
            if (it->second.IsNull()) out[key] = std::nullopt;
            else out[key] = scalar(it->second, fmt::format("{}.{}", what, key));
        }
    } else if (node.IsSequence()) {
        for (const auto& item : node) {
            auto s = scalar(item, what + " item");
            auto eq = s.find('=');
            if (eq == 0 || s.empty()) failAt(item, fmt::format("{}: \"{}\" has no name", what, s));
            if (eq == std::string::npos) out[s] = std::nullopt;
            else out[s.substr(0, eq)] = s.substr(eq + 1);
        }
    } else if (!node.IsNull()) {
        failAt(node, fmt::format("{} must be a mapping or a list", what));
    }
    return out;
}

// A path of the file: relative to the working directory; "~/" is HOME of the caller's environment.
std::string absoluteFrom(const ModelContext& ctx, const std::string& path) {
    fs::path p = path;
    if (path == "~" || path.starts_with("~/"))
        p = fs::path(ctx.lookup("HOME").value_or("/")) / path.substr(std::min<size_t>(2, path.size()));
    if (p.is_relative()) p = fs::path(ctx.workingDir) / p;
    return p.lexically_normal().string();
}

ServicePort shortPort(const YAML::Node& node) {
    auto s = scalar(node, "ports item");
    ServicePort p;
    if (auto slash = s.find('/'); slash != std::string::npos) {
        p.protocol = s.substr(slash + 1);
        s.resize(slash);
    }
    std::vector<std::string> parts;
    for (size_t start = 0;;) {
        auto colon = s.find(':', start);
        parts.push_back(s.substr(start, colon - start));
        if (colon == std::string::npos) break;
        start = colon + 1;
    }
    if (parts.size() > 3 || parts.back().empty()) failAt(node, fmt::format("ports: invalid port \"{}\"", node.Scalar()));
    p.target = parts.back();
    if (parts.size() >= 2) p.published = parts[parts.size() - 2];
    if (parts.size() == 3) p.hostIp = parts[0];
    return p;
}

ServicePort longPort(const YAML::Node& node) {
    checkKeys(node, "ports item", {"target", "published", "host_ip", "protocol", "mode", "name", "app_protocol"});
    ServicePort p;
    p.target = scalar(node["target"], "ports.target");
    if (p.target.empty()) failAt(node, "ports: a long-syntax port needs \"target\"");
    if (node["published"]) p.published = scalar(node["published"], "ports.published");
    if (node["host_ip"]) p.hostIp = scalar(node["host_ip"], "ports.host_ip");
    if (node["protocol"]) p.protocol = scalar(node["protocol"], "ports.protocol");
    if (node["mode"] && scalar(node["mode"], "ports.mode") != "host" && node["mode"].Scalar() != "ingress")
        failAt(node["mode"], "ports.mode must be host or ingress");
    return p;
}

ServiceVolume shortVolume(const YAML::Node& node, const ModelContext& ctx) {
    auto s = scalar(node, "volumes item");
    std::vector<std::string> parts;
    for (size_t start = 0;;) {
        auto colon = s.find(':', start);
        parts.push_back(s.substr(start, colon - start));
        if (colon == std::string::npos) break;
        start = colon + 1;
    }
    if (parts.size() > 3 || parts.back().empty()) failAt(node, fmt::format("volumes: invalid volume \"{}\"", s));
    ServiceVolume v;
    if (parts.size() == 1) {
        v.target = parts[0];
        return v;
    }
    v.source = parts[0];
    v.target = parts[1];
    if (parts.size() == 3) {
        for (size_t start = 0;;) {
            auto comma = parts[2].find(',', start);
            auto mode = parts[2].substr(start, comma - start);
            if (mode == "ro") v.readOnly = true;
            else if (mode != "rw" && mode != "z" && mode != "Z")
                failAt(node, fmt::format("volumes: mode \"{}\" of \"{}\" is not supported (ro, rw)", mode, s));
            if (comma == std::string::npos) break;
            start = comma + 1;
        }
    }
    if (v.source.starts_with(".") || v.source.starts_with("/") || v.source.starts_with("~")) {
        v.type = "bind";
        v.source = absoluteFrom(ctx, v.source);
    }
    return v;
}

ServiceVolume longVolume(const YAML::Node& node, const ModelContext& ctx) {
    checkKeys(node, "volumes item", {"type", "source", "target", "read_only", "bind", "volume", "tmpfs", "consistency"});
    ServiceVolume v;
    v.type = node["type"] ? scalar(node["type"], "volumes.type") : "volume";
    if (v.type != "volume" && v.type != "bind" && v.type != "tmpfs")
        failAt(node["type"], fmt::format("volumes.type \"{}\" is not supported (volume, bind, tmpfs)", v.type));
    v.target = scalar(node["target"], "volumes.target");
    if (v.target.empty()) failAt(node, "volumes: a long-syntax volume needs \"target\"");
    if (node["source"]) v.source = scalar(node["source"], "volumes.source");
    if (node["read_only"]) v.readOnly = boolean(node["read_only"], "volumes.read_only");
    if (node["bind"]) checkKeys(node["bind"], "volumes.bind", {"create_host_path", "propagation"});
    if (node["volume"]) checkKeys(node["volume"], "volumes.volume", {"nocopy"});
    if (node["tmpfs"]) {
        checkKeys(node["tmpfs"], "volumes.tmpfs", {"size"});
        if (node["tmpfs"]["size"]) {
            auto size = parseMemory(scalar(node["tmpfs"]["size"], "volumes.tmpfs.size"));
            if (!size) failAt(node["tmpfs"]["size"], "volumes.tmpfs.size: " + size.error().message());
            v.tmpfsSize = *size;
        }
    }
    if (v.type == "bind") {
        if (v.source.empty()) failAt(node, "volumes: a bind needs \"source\"");
        v.source = absoluteFrom(ctx, v.source);
    }
    if (v.type == "tmpfs" && !v.source.empty()) failAt(node, "volumes: a tmpfs has no \"source\"");
    return v;
}

Healthcheck healthcheck(const YAML::Node& node) {
    checkKeys(node, "healthcheck", {"test", "interval", "timeout", "start_period", "start_interval", "retries", "disable"});
    Healthcheck h;
    if (auto t = node["test"]) {
        if (t.IsScalar()) h.test = {"CMD-SHELL", t.Scalar()};
        else h.test = stringList(t, "healthcheck.test", false);
        if (h.test.empty() || (h.test[0] != "CMD" && h.test[0] != "CMD-SHELL" && h.test[0] != "NONE"))
            failAt(t, "healthcheck.test must be a string or a list starting with CMD, CMD-SHELL or NONE");
    }
    if (node["interval"]) h.interval = scalar(node["interval"], "healthcheck.interval");
    if (node["timeout"]) h.timeout = scalar(node["timeout"], "healthcheck.timeout");
    if (node["start_period"]) h.startPeriod = scalar(node["start_period"], "healthcheck.start_period");
    if (node["start_interval"]) h.startInterval = scalar(node["start_interval"], "healthcheck.start_interval");
    if (node["retries"]) h.retries = scalar(node["retries"], "healthcheck.retries");
    if (node["disable"]) h.disable = boolean(node["disable"], "healthcheck.disable");
    return h;
}

std::map<std::string, Dependency> dependsOn(const YAML::Node& node) {
    std::map<std::string, Dependency> out;
    if (node.IsSequence()) {
        for (const auto& item : node) out[scalar(item, "depends_on item")] = {};
        return out;
    }
    if (!node.IsMap()) failAt(node, "depends_on must be a list or a mapping");
    for (auto it = node.begin(); it != node.end(); ++it) {
        Dependency d;
        const auto& v = it->second;
        if (!v.IsNull()) {
            checkKeys(v, "depends_on." + it->first.Scalar(), {"condition", "restart", "required"});
            if (v["condition"]) d.condition = scalar(v["condition"], "depends_on.condition");
            if (v["restart"]) boolean(v["restart"], "depends_on.restart");
            if (v["required"]) d.required = boolean(v["required"], "depends_on.required");
            if (d.condition != "service_started" && d.condition != "service_healthy" &&
                d.condition != "service_completed_successfully")
                failAt(v["condition"], fmt::format("depends_on.condition \"{}\" is not one of service_started, "
                                                   "service_healthy, service_completed_successfully",
                                                   d.condition));
        }
        out[it->first.Scalar()] = d;
    }
    return out;
}

// deploy: only resources.limits (cpus, memory, pids) run here.
void deploy(const YAML::Node& node, Service& s) {
    checkKeys(node, "deploy", {"resources"}, {"mode", "replicas", "labels", "placement", "restart_policy",
                                              "rollback_config", "update_config", "endpoint_mode"});
    if (!node["resources"]) return;
    checkKeys(node["resources"], "deploy.resources", {"limits"}, {"reservations"});
    auto limits = node["resources"]["limits"];
    if (!limits) return;
    checkKeys(limits, "deploy.resources.limits", {"cpus", "memory", "pids"}, {"devices"});
    if (limits["cpus"]) s.cpus = scalar(limits["cpus"], "deploy.resources.limits.cpus");
    if (limits["memory"]) s.memLimit = scalar(limits["memory"], "deploy.resources.limits.memory");
    if (limits["pids"]) s.pidsLimit = scalar(limits["pids"], "deploy.resources.limits.pids");
}

void buildSpec(const YAML::Node& node, Service& s, const ModelContext& ctx) {
    BuildSpec b;
    if (node.IsScalar()) {
        b.context = absoluteFrom(ctx, node.Scalar());
    } else {
        checkKeys(node, "build", {"context", "dockerfile", "args", "target"},
                  {"ssh", "cache_from", "cache_to", "additional_contexts", "extra_hosts", "isolation", "labels",
                   "network", "no_cache", "platforms", "privileged", "pull", "secrets", "shm_size", "tags",
                   "ulimits", "dockerfile_inline", "entitlements"});
        b.context = absoluteFrom(ctx, node["context"] ? scalar(node["context"], "build.context") : ".");
        if (node["dockerfile"]) b.dockerfile = scalar(node["dockerfile"], "build.dockerfile");
        if (node["target"]) b.target = scalar(node["target"], "build.target");
        if (node["args"])
            for (auto& [k, v] : keyValues(node["args"], "build.args")) {
                auto value = v ? v : ctx.lookup(k);
                if (value) b.args[k] = *value;
            }
    }
    s.build = b;
}

void envFiles(const YAML::Node& node, Service& s, const ModelContext& ctx) {
    std::vector<YAML::Node> items;
    if (node.IsSequence())
        for (const auto& item : node) items.push_back(item);
    else items.push_back(node);
    for (const auto& item : items) {
        std::string path;
        bool required = true;
        if (item.IsMap()) {
            checkKeys(item, "env_file item", {"path", "required", "format"});
            path = scalar(item["path"], "env_file.path");
            if (item["required"]) required = boolean(item["required"], "env_file.required");
        } else {
            path = scalar(item, "env_file item");
        }
        path = absoluteFrom(ctx, path);
        if (!required && !fs::exists(path)) continue;
        auto lines = readEnvFile(path);
        if (!lines) failAt(item, "env_file: " + lines.error().message());
        for (auto& line : *lines) {
            auto eq = line.find('=');
            if (eq == std::string::npos) s.environment[line] = ctx.lookup(line);
            else s.environment[line.substr(0, eq)] = line.substr(eq + 1);
        }
    }
}

void networks(const YAML::Node& node, Service& s) {
    if (node.IsSequence()) {
        for (const auto& item : node) s.networks[scalar(item, "networks item")] = {};
        return;
    }
    if (!node.IsMap()) failAt(node, "networks must be a list or a mapping");
    for (auto it = node.begin(); it != node.end(); ++it) {
        auto& aliases = s.networks[it->first.Scalar()];
        if (it->second.IsNull()) continue;
        checkKeys(it->second, "networks." + it->first.Scalar(), {"aliases"},
                  {"ipv4_address", "ipv6_address", "link_local_ips", "mac_address", "priority", "driver_opts",
                   "gw_priority", "interface_name"});
        if (it->second["aliases"]) aliases = stringList(it->second["aliases"], "networks.aliases", false);
    }
}

const std::set<std::string> kServiceKeys = {
    "image", "build", "command", "entrypoint", "environment", "env_file", "ports", "expose", "volumes", "networks",
    "depends_on", "healthcheck", "restart", "deploy", "mem_limit", "cpus", "pids_limit", "labels", "working_dir",
    "user", "hostname", "stop_signal", "stop_grace_period", "init", "profiles", "extends"};

} // namespace

Service buildService(const std::string& name, const YAML::Node& node, const ModelContext& ctx) {
    if (node.IsNull()) failAt(node, fmt::format("service \"{}\" is empty", name));
    checkKeys(node, fmt::format("service \"{}\"", name), kServiceKeys, kUnsupportedServiceKeys);
    Service s;
    s.name = name;
    if (node["image"]) s.image = scalar(node["image"], "image");
    if (node["build"]) buildSpec(node["build"], s, ctx);
    if (node["command"]) s.command = shellWords(node["command"], "command");
    if (node["entrypoint"]) s.entrypoint = shellWords(node["entrypoint"], "entrypoint");
    if (node["env_file"]) envFiles(node["env_file"], s, ctx);
    if (node["environment"])
        for (auto& [k, v] : keyValues(node["environment"], "environment")) s.environment[k] = v ? v : ctx.lookup(k);
    if (auto ports = node["ports"]) {
        if (!ports.IsSequence()) failAt(ports, "ports must be a list");
        for (const auto& p : ports) s.ports.push_back(p.IsMap() ? longPort(p) : shortPort(p));
    }
    if (node["expose"]) s.expose = stringList(node["expose"], "expose", false);
    if (auto volumes = node["volumes"]) {
        if (!volumes.IsSequence()) failAt(volumes, "volumes must be a list");
        for (const auto& v : volumes) {
            auto vol = v.IsMap() ? longVolume(v, ctx) : shortVolume(v, ctx);
            // A later file's volume on the same target replaces the earlier one.
            std::erase_if(s.volumes, [&](const ServiceVolume& o) { return o.target == vol.target; });
            s.volumes.push_back(vol);
        }
    }
    if (node["networks"]) networks(node["networks"], s);
    if (node["depends_on"]) s.dependsOn = dependsOn(node["depends_on"]);
    if (node["healthcheck"]) s.healthcheck = healthcheck(node["healthcheck"]);
    if (node["restart"]) s.restart = scalar(node["restart"], "restart");
    if (node["deploy"]) deploy(node["deploy"], s);
    if (node["mem_limit"]) s.memLimit = scalar(node["mem_limit"], "mem_limit");
    if (node["cpus"]) s.cpus = scalar(node["cpus"], "cpus");
    if (node["pids_limit"]) s.pidsLimit = scalar(node["pids_limit"], "pids_limit");
    if (node["labels"])
        for (auto& [k, v] : keyValues(node["labels"], "labels")) s.labels[k] = v.value_or("");
    if (node["working_dir"]) s.workingDir = scalar(node["working_dir"], "working_dir");
    if (node["user"]) s.user = scalar(node["user"], "user");
    if (node["hostname"]) s.hostname = scalar(node["hostname"], "hostname");
    if (node["stop_signal"]) s.stopSignal = scalar(node["stop_signal"], "stop_signal");
    if (node["stop_grace_period"]) s.stopGracePeriod = scalar(node["stop_grace_period"], "stop_grace_period");
    if (node["init"] && boolean(node["init"], "init"))
        failAt(node["init"], "init: true is not supported: Berth has no init process for containers yet");
    if (node["profiles"]) s.profiles = stringList(node["profiles"], "profiles", false);
    if (!ctx.partial && s.image.empty() && !s.build)
        failAt(node, fmt::format("service \"{}\" has neither an image nor a build context", name));
    return s;
}

namespace {

// What top-level networks and volumes share: the engine's name (<project>_<key>, `name:`, or
// the key itself when external), `external`, `labels`, and the one driver Berth has.
template <class Spec>
Spec topLevelResource(const char* kind, const char* driver, const std::string& key, const YAML::Node& node,
                      const std::string& project, std::set<std::string> known, const std::set<std::string>& unsupported) {
    Spec spec;
    spec.name = project + "_" + key;
    if (node.IsNull()) return spec;
    known.insert({"name", "external", "labels", "driver"});
    checkKeys(node, fmt::format("{} \"{}\"", kind, key), known, unsupported);
    if (node["driver"] && scalar(node["driver"], "driver") != driver)
        failAt(node["driver"], fmt::format("{} \"{}\": driver \"{}\" is not supported ({})", kind, key,
                                           node["driver"].Scalar(), driver));
    if (node["name"]) spec.name = scalar(node["name"], "name");
    if (node["external"]) {
        spec.external = boolean(node["external"], "external");
        if (spec.external && !node["name"]) spec.name = key;
    }
    if (node["labels"])
        for (auto& [k, v] : keyValues(node["labels"], "labels")) spec.labels[k] = v.value_or("");
    return spec;
}

} // namespace

NetworkSpec buildNetwork(const std::string& key, const YAML::Node& node, const std::string& project) {
    auto n = topLevelResource<NetworkSpec>("network", "bridge", key, node, project, {"internal"},
                                           {"driver_opts", "ipam", "attachable", "enable_ipv6", "enable_ipv4"});
    if (node.IsMap() && node["internal"]) n.internal = boolean(node["internal"], "internal");
    return n;
}

VolumeSpec buildVolume(const std::string& key, const YAML::Node& node, const std::string& project) {
    return topLevelResource<VolumeSpec>("volume", "local", key, node, project, {}, {"driver_opts"});
}

std::vector<std::string> shellWords(const YAML::Node& node, const std::string& what) {
    if (node.IsSequence()) return stringList(node, what, false);
    auto text = scalar(node, what);
    std::vector<std::string> words;
    std::string word;
    bool inWord = false;
    char quote = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (quote == '\'') {
            if (c == '\'') quote = 0;
            else word += c;
        } else if (quote == '"') {
            if (c == '"') quote = 0;
            else if (c == '\\' && i + 1 < text.size() && std::string_view("\"\\$`").find(text[i + 1]) != std::string::npos)
                word += text[++i];
            else word += c;
        } else if (c == '\'' || c == '"') {
            quote = c;
            inWord = true;
        } else if (c == '\\' && i + 1 < text.size()) {
            word += text[++i];
            inWord = true;
        } else if (c == ' ' || c == '\t' || c == '\n') {
            if (inWord) words.push_back(std::move(word));
            word.clear();
            inWord = false;
        } else {
            word += c;
            inWord = true;
        }
    }
    if (quote) failAt(node, fmt::format("{}: unterminated quote in \"{}\"", what, text));
    if (inWord) words.push_back(std::move(word));
    return words;
}

} // namespace berth::compose::detail
