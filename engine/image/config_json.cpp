#include "image/config_json.h"
#include "image/healthcheck_json.h"
#include "sys/json_read.h"

#include <sys/utsname.h>

namespace berth::image {

using nlohmann::json;

static std::vector<std::string> stringList(const json& j, const char* key) {
    std::vector<std::string> out;
    if (auto it = j.find(key); it != j.end() && it->is_array())
        for (auto& v : *it)
            if (v.is_string()) out.push_back(v.get<std::string>());
    return out;
}

static std::string str(const json& j, const char* key) { return sys::jsonString(j, key); }

Result<ImageConfig> parseImageConfig(std::string_view text) {
    auto j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return fail(Errc::Corrupt, "image config is not a JSON object");
    ImageConfig c;
    c.architecture = str(j, "architecture");
    c.os = str(j, "os");
    c.created = str(j, "created");
    c.author = str(j, "author");
    if (auto it = j.find("config"); it != j.end() && it->is_object()) {
        const json& cfg = *it;
        c.env = stringList(cfg, "Env");
        c.entrypoint = stringList(cfg, "Entrypoint");
        c.cmd = stringList(cfg, "Cmd");
        c.workingDir = str(cfg, "WorkingDir");
        c.user = str(cfg, "User");
        c.stopSignal = str(cfg, "StopSignal");
        if (auto h = cfg.find("Healthcheck"); h != cfg.end() && h->is_object()) c.healthcheck = healthConfigFromJson(*h);
        if (auto p = cfg.find("ExposedPorts"); p != cfg.end() && p->is_object())
            for (auto& [port, _] : p->items()) c.exposedPorts.push_back(port);
        if (auto v = cfg.find("Volumes"); v != cfg.end() && v->is_object())
            for (auto& [vol, _] : v->items()) c.volumes.push_back(vol);
        if (auto l = cfg.find("Labels"); l != cfg.end() && l->is_object())
            for (auto& [k, v] : l->items())
                if (v.is_string()) c.labels[k] = v.get<std::string>();
    }
    auto rootfs = j.find("rootfs");
    if (rootfs == j.end() || !rootfs->is_object())
        return fail(Errc::Corrupt, "image config has no rootfs");
    if (str(*rootfs, "type") != "layers")
        return fail(Errc::Corrupt, "image config rootfs type is not \"layers\"");
    for (auto& d : stringList(*rootfs, "diff_ids")) {
        auto digest = Digest::parse(d);
        if (!digest) return fail(digest.error().withContext("image config diff_ids"));
        c.diffIds.push_back(d);
    }
    if (auto h = j.find("history"); h != j.end() && h->is_array())
        for (auto& e : *h) {
            if (!e.is_object()) continue;
            HistoryEntry he;
            he.created = str(e, "created");
            he.createdBy = str(e, "created_by");
            he.comment = str(e, "comment");
            he.emptyLayer = sys::jsonBool(e, "empty_layer");
            c.history.push_back(std::move(he));
        }
    return c;
}

json makeImportConfig(const Digest& diffId, const std::string& created, const std::string& comment) {
    json history = json::object({{"created", created}, {"created_by", "import"}});
    if (!comment.empty()) history["comment"] = comment;
    return {
        {"architecture", hostArchitecture()},
        {"os", "linux"},
        {"created", created},
        {"config",
         {{"Env", {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}}}},
        {"rootfs", {{"type", "layers"}, {"diff_ids", {diffId.str()}}}},
        {"history", json::array({history})},
    };
}

std::string hostArchitecture() {
    utsname u{};
    ::uname(&u);
    std::string m = u.machine;
    if (m == "x86_64") return "amd64";
    if (m == "aarch64") return "arm64";
    if (m.starts_with("armv")) return "arm";
    if (m == "i686" || m == "i386") return "386";
    if (m == "ppc64le") return "ppc64le";
    if (m == "s390x") return "s390x";
    if (m == "riscv64") return "riscv64";
    return m;
}

} // namespace berth::image
