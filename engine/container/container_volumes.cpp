#include "container/container_volumes.h"

#include "sys/fs.h"

#include <sys/stat.h>

namespace berth::container {

VoidResult checkMounts(const CreateOptions& options) {
    BERTH_TRYV(validateMounts(options.mounts, options.tmpfs));
    for (auto& m : options.mounts) {
        if (m.type != MountRequest::Type::Bind) continue;
        struct stat st{};
        if (::stat(m.source.c_str(), &st) != 0) {
            if (errno == ENOENT || errno == ENOTDIR)
                return fail(Errc::NotFound, "invalid mount config for type \"bind\": bind source path does not exist: " + m.source);
            return failErrno("bind source " + m.source);
        }
    }
    return {};
}

void nameAnonymousVolumes(std::vector<MountRequest>& mounts) {
    for (auto& m : mounts)
        if (m.type == MountRequest::Type::Volume && m.source.empty()) {
            m.source = sys::randomHex(32);
            m.anonymous = true;
        }
}

Result<std::vector<std::string>> createMissingVolumes(volume::VolumeService& volumes,
                                                      const std::vector<MountRequest>& mounts) {
    std::vector<std::string> created;
    auto undo = [&] {
        for (auto& n : created) (void)volumes.removeLocked(n);
    };
    for (auto& m : mounts) {
        if (m.type != MountRequest::Type::Volume || volumes.exists(m.source)) continue;
        volume::CreateRequest req;
        req.name = m.source;
        req.anonymous = m.anonymous;
        auto v = volumes.createLocked(req);
        if (!v) {
            undo();
            return fail(v.error().withContext("volume for " + m.target));
        }
        created.push_back(m.source);
    }
    return created;
}

Result<std::map<std::string, std::vector<std::string>>> volumeUsers(const ContainerStore& store) {
    std::map<std::string, std::vector<std::string>> out;
    for (auto& id : store.ids()) {
        auto c = store.loadConfig(id);
        if (!c) continue;  // removed meanwhile
        for (auto& m : c->options.mounts)
            if (m.type == MountRequest::Type::Volume && !m.source.empty()) {
                auto& users = out[m.source];
                if (users.empty() || users.back() != id) users.push_back(id);
            }
    }
    return out;
}

void removeAnonymousVolumes(volume::VolumeService& volumes, const ContainerConfig& config) {
    for (auto& m : config.options.mounts)
        if (m.type == MountRequest::Type::Volume && m.anonymous && !m.source.empty())
            (void)volumes.remove(m.source, true);  // in use elsewhere: Conflict, kept
}

void removeAnonymousVolumes(const store::StoreLayout& layout, const ContainerConfig& config) {
    volume::VolumeService volumes(layout);
    ContainerStore store(layout);
    volumes.setUsersLookup([&store] { return volumeUsers(store); });
    removeAnonymousVolumes(volumes, config);
}

nlohmann::json mountsJson(const store::StoreLayout& layout, const ContainerConfig& config) {
    auto out = nlohmann::json::array();
    for (auto& m : config.options.mounts) {
        nlohmann::json j{{"Type", mountTypeName(m.type)}};
        if (m.type == MountRequest::Type::Volume) {
            j["Name"] = m.source;
            j["Source"] = volume::dataDir(layout.volumes(), m.source).string();
            j["Driver"] = "local";
        } else {
            j["Source"] = m.type == MountRequest::Type::Tmpfs ? "" : m.source;
        }
        j["Destination"] = m.target;
        j["Mode"] = m.readOnly ? "ro" : "";
        j["RW"] = !m.readOnly;
        j["Propagation"] = m.type == MountRequest::Type::Bind ? "rprivate" : "";
        out.push_back(std::move(j));
    }
    for (auto& t : config.options.tmpfs)
        out.push_back({{"Type", "tmpfs"}, {"Source", ""}, {"Destination", t.substr(0, t.find(':'))},
                       {"Mode", ""}, {"RW", true}, {"Propagation", ""}});
    return out;
}

} // namespace berth::container
