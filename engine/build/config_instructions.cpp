// The instructions that change only an image's config (see config_instructions.h).
#include "build/config_instructions.h"
#include "sys/json_read.h"

#include "build/docker_ignore.h"
#include "image/healthcheck_json.h"

#include <fmt/format.h>

#include <algorithm>

namespace berth::build {

using nlohmann::json;

namespace {

std::string upperCase(std::string s) {
    for (auto& c : s) c = char(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

void setEnvIn(json& list, const std::string& key, const std::string& value) {
    if (!list.is_array()) list = json::array();
    for (auto& e : list)
        if (e.is_string() && e.get<std::string>().compare(0, key.size() + 1, key + "=") == 0) {
            e = key + "=" + value;
            return;
        }
    list.push_back(key + "=" + value);
}

// EXPOSE's "80", "8000-8010/udp": each port under the config's ExposedPorts; returns the
// text history shows ("80/tcp").
Result<std::string> exposePorts(json& cfg, std::string port) {
    std::string proto = "tcp";
    if (auto slash = port.find('/'); slash != std::string::npos) {
        proto = port.substr(slash + 1);
        port = port.substr(0, slash);
        for (auto& c : proto) c = char(std::tolower(static_cast<unsigned char>(c)));
    }
    if (proto != "tcp" && proto != "udp" && proto != "sctp")
        return fail(Errc::InvalidArgument, fmt::format("invalid proto: {}", proto));
    auto dash = port.find('-');
    auto parsePort = [](const std::string& s) -> int {
        if (s.empty() || s.size() > 5 || !std::all_of(s.begin(), s.end(), ::isdigit)) return -1;
        int v = std::stoi(s);
        return v >= 1 && v <= 65535 ? v : -1;
    };
    int lo = parsePort(port.substr(0, dash));
    int hi = dash == std::string::npos ? lo : parsePort(port.substr(dash + 1));
    if (lo < 0 || hi < lo) return fail(Errc::InvalidArgument, fmt::format("invalid containerPort: {}", port));
    for (int p = lo; p <= hi; ++p) cfg["ExposedPorts"][fmt::format("{}/{}", p, proto)] = json::object();
    return port + "/" + proto;
}

// HEALTHCHECK as the image config's Healthcheck (durations in ns; NONE disables the base's).
json healthcheckConfig(const Healthcheck& hc) {
    if (hc.none) return image::healthConfigJson(HealthConfig{.test = {"NONE"}});
    return image::healthConfigJson(HealthConfig{.test = hc.test, .intervalNs = hc.intervalNs, .timeoutNs = hc.timeoutNs,
                                                .startPeriodNs = hc.startPeriodNs, .startIntervalNs = hc.startIntervalNs,
                                                .retries = hc.retries});
}

} // namespace

bool isConfigInstruction(std::string_view k) {
    static const char* const kKeywords[] = {"ENV",   "LABEL",  "CMD",         "ENTRYPOINT", "USER",    "EXPOSE",    "VOLUME",
                                            "STOPSIGNAL", "SHELL", "HEALTHCHECK", "ONBUILD",  "WORKDIR", "MAINTAINER"};
    return std::find(std::begin(kKeywords), std::end(kKeywords), k) != std::end(kKeywords);
}

Result<std::string> applyConfigInstruction(json& image, const Instruction& ins, const ShellLex& lex, const EnvLookup& env,
                                           bool& cmdSet) {
    const auto& k = ins.keyword;
    json& cfg = image["config"];
    if (!cfg.is_object()) cfg = json::object();
    std::string history;  // what `history` shows as created_by

    if (k == "ENV") {
        // All pairs of one ENV are substituted with the values from before it, as Docker does.
        std::vector<std::pair<std::string, std::string>> set;
        for (auto& kv : ins.pairs)
            set.emplace_back(BERTH_TRY(lex.processWord(kv.key, env)), BERTH_TRY(lex.processWord(kv.value, env)));
        history = "ENV";
        for (auto& [key, value] : set) {
            setEnvIn(cfg["Env"], key, value);
            history += " " + key + "=" + value;
        }
    } else if (k == "LABEL") {
        history = "LABEL";
        for (auto& kv : ins.pairs) {
            auto key = BERTH_TRY(lex.processWord(kv.key, env));
            auto value = BERTH_TRY(lex.processWord(kv.value, env));
            if (key.empty()) return fail(Errc::InvalidArgument, "LABEL names can not be blank");
            cfg["Labels"][key] = value;
            history += " " + key + "=" + value;
        }
    } else if (k == "CMD" || k == "ENTRYPOINT") {
        json value = json::array();
        if (ins.json) {
            for (auto& a : ins.args) value.push_back(a);
        } else {
            auto shell = cfg.contains("Shell") && cfg["Shell"].is_array() && !cfg["Shell"].empty()
                             ? cfg["Shell"] : json::array({"/bin/sh", "-c"});
            value = shell;
            value.push_back(ins.args[0]);
        }
        if (k == "CMD") {
            cfg["Cmd"] = value;
            cmdSet = true;
        } else {
            cfg["Entrypoint"] = value;
            // An ENTRYPOINT resets a CMD inherited from the base image.
            if (!cmdSet) cfg["Cmd"] = nullptr;
        }
        history = k + " " + value.dump();
    } else if (k == "USER") {
        auto user = BERTH_TRY(lex.processWord(ins.args[0], env));
        if (user.empty()) return fail(Errc::InvalidArgument, "USER requires a user");
        cfg["User"] = user;
        history = "USER " + user;
    } else if (k == "EXPOSE") {
        history = "EXPOSE";
        for (auto& w : ins.args) {
            auto port = BERTH_TRY(lex.processWord(w, env));
            history += " " + BERTH_TRY(exposePorts(cfg, std::move(port)));
        }
    } else if (k == "VOLUME") {
        history = "VOLUME";
        for (auto& w : ins.args) {
            auto v = ins.json ? w : BERTH_TRY(lex.processWord(w, env));
            if (v.empty()) return fail(Errc::InvalidArgument, "VOLUME specified can not be an empty string");
            cfg["Volumes"][v] = json::object();
            history += " " + v;
        }
    } else if (k == "STOPSIGNAL") {
        auto sig = BERTH_TRY(lex.processWord(ins.args[0], env));
        std::string u = upperCase(sig);
        bool numeric = !u.empty() && std::all_of(u.begin(), u.end(), ::isdigit);
        if (!numeric && !u.starts_with("SIG")) u = "SIG" + u;
        if (!numeric && u.size() < 5) return fail(Errc::InvalidArgument, "invalid signal: " + sig);
        cfg["StopSignal"] = numeric ? sig : u;
        history = "STOPSIGNAL " + sig;
    } else if (k == "SHELL") {
        cfg["Shell"] = ins.args;
        history = "SHELL " + json(ins.args).dump();
    } else if (k == "HEALTHCHECK") {
        json h = healthcheckConfig(*ins.healthcheck);
        cfg["Healthcheck"] = h;
        history = "HEALTHCHECK " + h.dump();
    } else if (k == "ONBUILD") {
        // Recorded for images built FROM this one; upper-cased keyword like Docker.
        std::string trigger = ins.args[0];
        auto sp = trigger.find_first_of(" \t");
        trigger = upperCase(trigger.substr(0, sp)) + (sp == std::string::npos ? "" : trigger.substr(sp));
        if (!cfg["OnBuild"].is_array()) cfg["OnBuild"] = json::array();
        cfg["OnBuild"].push_back(trigger);
        history = "ONBUILD " + trigger;
    } else if (k == "WORKDIR") {
        // Relative paths build on the previous WORKDIR. The directory itself is made by
        // the first RUN or COPY that needs it (and by the runtime at `run`).
        auto dir = BERTH_TRY(lex.processWord(ins.args[0], env));
        std::string prev = sys::jsonString(cfg, "WorkingDir", "/");
        if (prev.empty()) prev = "/";
        dir = cleanPath(dir.starts_with("/") ? dir : prev + "/" + dir);
        cfg["WorkingDir"] = dir;
        history = "WORKDIR " + dir;
    } else if (k == "MAINTAINER") {
        image["author"] = ins.args[0];
        history = "MAINTAINER " + ins.args[0];
    } else {
        return fail(Errc::Internal, "no handler for " + k);
    }
    return history;
}

} // namespace berth::build
