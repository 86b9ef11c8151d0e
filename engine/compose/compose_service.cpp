// A service as what runs it: docker run's flags (the one path to a RunRequest), its config
// hash, the start order; and the project as YAML (`compose config`).
#include "compose/compose_internal.h"

#include "berth/text.h"
#include "image/digest.h"

#include <fmt/format.h>

#include <algorithm>

namespace berth::compose {

namespace {

void emitMap(YAML::Emitter& e, const char* key, const std::map<std::string, std::string>& m) {
    if (m.empty()) return;
    e << YAML::Key << key << YAML::Value << YAML::BeginMap;
    for (auto& [k, v] : m) e << YAML::Key << k << YAML::Value << YAML::DoubleQuoted << v;
    e << YAML::EndMap;
}

void emitList(YAML::Emitter& e, const char* key, const std::vector<std::string>& l) {
    e << YAML::Key << key << YAML::Value << YAML::BeginSeq;
    for (auto& v : l) e << YAML::DoubleQuoted << v;
    e << YAML::EndSeq;
}

void emitString(YAML::Emitter& e, const char* key, const std::string& v) {
    if (!v.empty()) e << YAML::Key << key << YAML::Value << YAML::DoubleQuoted << v;
}

void emitService(YAML::Emitter& e, const Service& s) {
    e << YAML::BeginMap;
    if (s.build) {
        e << YAML::Key << "build" << YAML::Value << YAML::BeginMap;
        emitString(e, "context", s.build->context);
        emitString(e, "dockerfile", s.build->dockerfile);
        emitString(e, "target", s.build->target);
        emitMap(e, "args", s.build->args);
        e << YAML::EndMap;
    }
    if (s.command) emitList(e, "command", *s.command);
    if (!s.dependsOn.empty()) {
        e << YAML::Key << "depends_on" << YAML::Value << YAML::BeginMap;
        for (auto& [name, d] : s.dependsOn) {
            e << YAML::Key << name << YAML::Value << YAML::BeginMap << YAML::Key << "condition" << YAML::Value
              << d.condition << YAML::Key << "required" << YAML::Value << d.required << YAML::EndMap;
        }
        e << YAML::EndMap;
    }
    if (s.entrypoint) emitList(e, "entrypoint", *s.entrypoint);
    std::map<std::string, std::string> env;
    for (auto& [k, v] : s.environment)
        if (v) env[k] = *v;
    emitMap(e, "environment", env);
    if (!s.expose.empty()) emitList(e, "expose", s.expose);
    if (s.healthcheck) {
        auto& h = *s.healthcheck;
        e << YAML::Key << "healthcheck" << YAML::Value << YAML::BeginMap;
        if (!h.test.empty()) emitList(e, "test", h.test);
        emitString(e, "interval", h.interval);
        emitString(e, "timeout", h.timeout);
        emitString(e, "start_period", h.startPeriod);
        emitString(e, "start_interval", h.startInterval);
        emitString(e, "retries", h.retries);
        if (h.disable) e << YAML::Key << "disable" << YAML::Value << true;
        e << YAML::EndMap;
    }
    emitString(e, "hostname", s.hostname);
    emitString(e, "image", s.image);
    emitMap(e, "labels", s.labels);
    emitString(e, "mem_limit", s.memLimit);
    emitString(e, "cpus", s.cpus);
    emitString(e, "pids_limit", s.pidsLimit);
    e << YAML::Key << "networks" << YAML::Value << YAML::BeginMap;
    for (auto& [net, aliases] : s.networks) {
        e << YAML::Key << net << YAML::Value;
        if (aliases.empty()) e << YAML::Null;
        else {
            e << YAML::BeginMap;
            emitList(e, "aliases", aliases);
            e << YAML::EndMap;
        }
    }
    e << YAML::EndMap;
    if (!s.ports.empty()) {
        e << YAML::Key << "ports" << YAML::Value << YAML::BeginSeq;
        for (auto& p : s.ports) {
            e << YAML::BeginMap;
            emitString(e, "host_ip", p.hostIp);
            emitString(e, "published", p.published);
            e << YAML::Key << "target" << YAML::Value << YAML::DoubleQuoted << p.target;
            e << YAML::Key << "protocol" << YAML::Value << p.protocol << YAML::EndMap;
        }
        e << YAML::EndSeq;
    }
    if (!s.profiles.empty()) emitList(e, "profiles", s.profiles);
    emitString(e, "restart", s.restart);
    emitString(e, "stop_grace_period", s.stopGracePeriod);
    emitString(e, "stop_signal", s.stopSignal);
    emitString(e, "user", s.user);
    if (!s.volumes.empty()) {
        e << YAML::Key << "volumes" << YAML::Value << YAML::BeginSeq;
        for (auto& v : s.volumes) {
            e << YAML::BeginMap << YAML::Key << "type" << YAML::Value << v.type;
            emitString(e, "source", v.source);
            e << YAML::Key << "target" << YAML::Value << v.target;
            if (v.readOnly) e << YAML::Key << "read_only" << YAML::Value << true;
            if (v.tmpfsSize) e << YAML::Key << "tmpfs" << YAML::Value << YAML::BeginMap << YAML::Key << "size"
                               << YAML::Value << v.tmpfsSize << YAML::EndMap;
            e << YAML::EndMap;
        }
        e << YAML::EndSeq;
    }
    emitString(e, "working_dir", s.workingDir);
    e << YAML::EndMap;
}

// docker's sizes: "512M", "1gb", "1.5g" -> what parseMemory reads ("512m", "1g"); bytes as they are.
std::string memorySize(std::string s) {
    for (auto& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
    if (s.size() > 2 && s.back() == 'b' && std::string_view("kmg").find(s[s.size() - 2]) != std::string_view::npos)
        s.pop_back();
    return s;
}

} // namespace

std::string toYaml(const Project& p) {
    YAML::Emitter e;
    e << YAML::BeginMap << YAML::Key << "name" << YAML::Value << p.name;
    e << YAML::Key << "services" << YAML::Value << YAML::BeginMap;
    for (auto& [name, s] : p.services) {
        e << YAML::Key << name << YAML::Value;
        emitService(e, s);
    }
    e << YAML::EndMap << YAML::Key << "networks" << YAML::Value << YAML::BeginMap;
    for (auto& [key, n] : p.networks) {
        e << YAML::Key << key << YAML::Value << YAML::BeginMap << YAML::Key << "name" << YAML::Value << n.name;
        if (n.external) e << YAML::Key << "external" << YAML::Value << true;
        if (n.internal) e << YAML::Key << "internal" << YAML::Value << true;
        emitMap(e, "labels", n.labels);
        e << YAML::EndMap;
    }
    e << YAML::EndMap;
    if (!p.volumes.empty()) {
        e << YAML::Key << "volumes" << YAML::Value << YAML::BeginMap;
        for (auto& [key, v] : p.volumes) {
            e << YAML::Key << key << YAML::Value << YAML::BeginMap << YAML::Key << "name" << YAML::Value << v.name;
            if (v.external) e << YAML::Key << "external" << YAML::Value << true;
            emitMap(e, "labels", v.labels);
            e << YAML::EndMap;
        }
        e << YAML::EndMap;
    }
    e << YAML::EndMap;
    return std::string(e.c_str()) + "\n";
}

std::string configHash(const Project& p, const Service& s) {
    YAML::Emitter e;
    emitService(e, s);
    std::string text = e.c_str();
    // What the service's names resolve to on the engine is part of it too.
    for (auto& [net, aliases] : s.networks) text += "\nnetwork " + p.networks.at(net).name;
    for (auto& v : s.volumes)
        if (v.type == "volume" && !v.source.empty()) text += "\nvolume " + p.volumes.at(v.source).name;
    return image::Digest::ofBytes(text).hex();
}

std::string serviceImage(const Project& p, const Service& s) {
    return s.image.empty() ? p.name + "-" + s.name : s.image;
}

RunFlags runFlags(const Project& p, const Service& s, int number) {
    RunFlags f;
    f.image = serviceImage(p, s);
    f.name = fmt::format("{}-{}-{}", p.name, s.name, number);
    if (s.entrypoint && !s.entrypoint->empty()) {
        // docker's --entrypoint is one word; the rest of a list entrypoint goes before the command.
        f.entrypoint = s.entrypoint->front();
        f.command.assign(s.entrypoint->begin() + 1, s.entrypoint->end());
    } else if (s.entrypoint) {
        f.entrypoint = "";
    }
    if (s.command) f.command.insert(f.command.end(), s.command->begin(), s.command->end());
    for (auto& [k, v] : s.environment)
        if (v) f.env.push_back(k + "=" + *v);
    for (auto& port : s.ports) {
        std::string spec = port.target + "/" + port.protocol;
        if (!port.published.empty()) spec = port.published + ":" + spec;
        if (!port.hostIp.empty()) spec = port.hostIp + ":" + (port.published.empty() ? ":" : "") + spec;
        f.publish.push_back(spec);
    }
    for (auto& v : s.volumes) {
        std::string spec = "type=" + v.type;
        if (v.type == "volume" && !v.source.empty()) spec += ",source=" + p.volumes.at(v.source).name;
        if (v.type == "bind") spec += ",source=" + v.source;
        spec += ",target=" + v.target;
        if (v.readOnly) spec += ",readonly";
        if (v.tmpfsSize) spec += fmt::format(",tmpfs-size={}", v.tmpfsSize);
        f.mounts.push_back(spec);
    }
    // The first network at create; compose_up.cpp connects the others before the start.
    auto primary = s.networks.begin();
    f.network = p.networks.at(primary->first).name;
    f.networkAliases.push_back(s.name);
    for (auto& a : primary->second) f.networkAliases.push_back(a);
    if (s.healthcheck) {
        auto& h = *s.healthcheck;
        if (h.disable || (!h.test.empty() && h.test[0] == "NONE")) {
            f.noHealthcheck = true;
        } else {
            if (h.test.size() >= 2 && h.test[0] == "CMD-SHELL") f.healthCmd = h.test[1];
            f.healthInterval = h.interval;
            f.healthTimeout = h.timeout;
            f.healthStartPeriod = h.startPeriod;
            f.healthStartInterval = h.startInterval;
            f.healthRetries = h.retries;
        }
    }
    f.restart = s.restart;
    if (!s.memLimit.empty()) f.memory = memorySize(s.memLimit);
    f.cpus = s.cpus;
    f.pidsLimit = s.pidsLimit;
    for (auto& [k, v] : s.labels) f.labels.push_back(k + "=" + v);
    auto files = fmt::format("{}", fmt::join(p.configFiles, ","));
    for (auto& [k, v] : std::map<std::string, std::string>{
             {kProjectLabel, p.name}, {kServiceLabel, s.name}, {kNumberLabel, std::to_string(number)},
             {kOneoffLabel, "False"}, {kConfigHashLabel, configHash(p, s)}, {kConfigFilesLabel, files},
             {kWorkingDirLabel, p.workingDir}, {kVersionLabel, kComposeVersion}})
        f.labels.push_back(k + "=" + v);
    f.workdir = s.workingDir;
    f.user = s.user;
    f.hostname = s.hostname;
    f.stopSignal = s.stopSignal;
    if (!s.stopGracePeriod.empty()) {
        // Whole seconds, rounded up; a malformed one is passed on for parseRunFlags to name.
        auto ns = parseDuration(s.stopGracePeriod);
        f.stopTimeout = ns ? std::to_string((*ns + 999'999'999) / 1'000'000'000) : s.stopGracePeriod;
    }
    return f;
}

Result<RunRequest> runRequest(const Project& p, const Service& s, int number) {
    return detail::requestFrom(s, runFlags(p, s, number));
}

Result<RunRequest> detail::requestFrom(const Service& s, const RunFlags& flags) {
    auto request = parseRunFlags(flags);
    if (!request) return fail(Errc::InvalidArgument, fmt::format("service \"{}\": {}", s.name, request.error().message()));
    // An exec-form test (["CMD", ...]) has no run flag: it is set as the API sets it.
    if (s.healthcheck && !s.healthcheck->disable && !s.healthcheck->test.empty() && s.healthcheck->test[0] == "CMD") {
        if (!request->healthcheck) request->healthcheck = HealthConfig{};
        request->healthcheck->test = s.healthcheck->test;
    }
    return request;
}

Result<std::vector<std::string>> startOrder(const Project& p, const std::vector<std::string>& only, bool noDeps) {
    std::vector<std::string> order;
    std::map<std::string, int> state;  // 1 visiting, 2 done
    std::vector<std::string> path;
    std::function<VoidResult(const std::string&, bool)> visit = [&](const std::string& name, bool withDeps) -> VoidResult {
        if (state[name] == 2) return {};
        if (state[name] == 1) {
            auto from = std::find(path.begin(), path.end(), name);
            std::vector<std::string> cycle(from, path.end());
            cycle.push_back(name);
            return fail(Errc::InvalidArgument, fmt::format("dependency cycle: {}", fmt::join(cycle, " -> ")));
        }
        state[name] = 1;
        path.push_back(name);
        if (withDeps)
            for (auto& [dep, d] : p.services.at(name).dependsOn)
                if (p.services.contains(dep)) BERTH_TRYV(visit(dep, true));
        path.pop_back();
        state[name] = 2;
        order.push_back(name);
        return {};
    };
    for (auto& name : only)
        if (!p.services.contains(name)) return fail(Errc::NotFound, fmt::format("no such service: {}", name));
    if (only.empty()) {
        for (auto& [name, s] : p.services) BERTH_TRYV(visit(name, true));
    } else {
        for (auto& name : only) BERTH_TRYV(visit(name, !noDeps));
    }
    return order;
}

} // namespace berth::compose
