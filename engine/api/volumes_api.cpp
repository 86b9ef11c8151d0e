// berth::Volumes over the volume service, with the containers using each volume.
#include "engine_impl.h"

#include <nlohmann/json.hpp>

namespace berth::api {

Result<Volume> VolumesApi::create(const VolumeCreateRequest& request) { return m_s.volumes().create(request); }

Result<std::vector<VolumeSummary>> VolumesApi::list() {
    auto volumes = BERTH_TRY(m_s.volumes().list());
    auto users = BERTH_TRY(m_s.containers().volumeUsers());
    std::vector<VolumeSummary> out;
    out.reserve(volumes.size());
    for (auto& v : volumes) {
        auto it = users.find(v.name);
        out.push_back({std::move(v), it == users.end() ? std::vector<std::string>{} : it->second});
    }
    return out;
}

Result<VolumeDetails> VolumesApi::inspect(std::string_view name) {
    auto v = BERTH_TRY(m_s.volumes().inspect(name));
    auto users = BERTH_TRY(m_s.volumes().users(v.name));
    nlohmann::json j{{"CreatedAt", v.createdAt},  {"Driver", v.driver}, {"Labels", v.labels},
                     {"Mountpoint", v.mountpoint.string()}, {"Name", v.name}, {"Options", v.options},
                     {"Scope", "local"}, {"Anonymous", v.anonymous}, {"UsedBy", users}};
    VolumeDetails d;
    d.summary = {std::move(v), std::move(users)};
    d.json = j.dump();
    return d;
}

Result<uint64_t> VolumesApi::size(std::string_view name) {
    BERTH_TRYV(m_s.volumes().inspect(name));
    return m_s.volumes().size(name);
}

VoidResult VolumesApi::remove(std::string_view name, bool force) { return m_s.volumes().remove(name, force); }
Result<VolumePruneReport> VolumesApi::prune(bool all) { return m_s.volumes().prune(all); }

} // namespace berth::api
