#include "volume/volume_record.h"

#include "sys/fs.h"

#include <nlohmann/json.hpp>

namespace berth::volume {

namespace fs = std::filesystem;

bool isValidVolumeName(std::string_view name) {
    if (name.size() < 2 || name.size() > 255) return false;
    auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); };
    if (!alnum(name[0])) return false;
    for (char c : name.substr(1))
        if (!alnum(c) && c != '_' && c != '.' && c != '-') return false;
    return true;
}

fs::path volumeDir(const fs::path& volumesDir, std::string_view name) { return volumesDir / std::string(name); }
fs::path dataDir(const fs::path& volumesDir, std::string_view name) { return volumeDir(volumesDir, name) / "_data"; }

std::string volumeToJson(const Volume& v) {
    nlohmann::json j{{"Name", v.name},     {"Driver", v.driver},   {"CreatedAt", v.createdAt},
                     {"Labels", v.labels}, {"Options", v.options}, {"Anonymous", v.anonymous}};
    return j.dump(2) + "\n";
}

Result<Volume> readVolume(const fs::path& volumesDir, std::string_view name) {
    if (!isValidVolumeName(name)) return fail(Errc::NotFound, "no such volume: " + std::string(name));
    auto file = volumeDir(volumesDir, name) / "volume.json";
    auto text = sys::readFile(file, 1 << 20);
    if (!text) {
        if (text.error().sysErrno() == ENOENT) return fail(Errc::NotFound, "no such volume: " + std::string(name));
        return fail(text.error().withContext("read volume " + std::string(name)));
    }
    Volume v;
    try {
        auto j = nlohmann::json::parse(*text);
        v.name = j.value("Name", std::string(name));
        v.driver = j.value("Driver", std::string("local"));
        v.createdAt = j.value("CreatedAt", std::string());
        v.labels = j.value("Labels", std::map<std::string, std::string>{});
        v.options = j.value("Options", std::map<std::string, std::string>{});
        v.anonymous = j.value("Anonymous", false);
    } catch (const nlohmann::json::exception& e) {
        return fail(Errc::Corrupt, "volume " + std::string(name) + ": volume.json: " + e.what());
    }
    v.name = std::string(name);  // the directory is the truth
    v.mountpoint = dataDir(volumesDir, name);
    return v;
}

Result<VolumeMountKind> volumeMountKind(const std::map<std::string, std::string>& options) {
    VolumeMountKind k;
    for (auto& [key, value] : options)
        if (key != "type" && key != "o" && key != "device")
            return fail(Errc::InvalidArgument, "invalid option key: \"" + key + "\" (the local driver knows type, o and device)");
    auto get = [&](const char* key) {
        auto it = options.find(key);
        return it == options.end() ? std::string() : it->second;
    };
    std::string type = get("type"), o = get("o"), device = get("device");
    if (type.empty() && o.empty() && device.empty()) return k;
    if (type == "tmpfs") {
        k.kind = VolumeMountKind::Kind::Tmpfs;
        k.data = o;
        return k;
    }
    if (type == "none" && (o == "bind" || o == "rbind")) {
        if (device.empty() || device[0] != '/')
            return fail(Errc::InvalidArgument, "a bind volume (type=none,o=bind) needs an absolute device=/host/path");
        k.kind = VolumeMountKind::Kind::Bind;
        k.device = device;
        return k;
    }
    return fail(Errc::Unsupported, "volume options type=" + type + ",o=" + o +
                                       " are not supported (use type=tmpfs, or type=none,o=bind,device=/path)");
}

} // namespace berth::volume
