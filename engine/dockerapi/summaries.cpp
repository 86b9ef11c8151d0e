// docker's list rows (see summaries.h).
#include "summaries.h"

#include "berth/text.h"

namespace berth::dockerapi {

using nlohmann::json;

namespace {

json portsJson(const std::vector<PortBinding>& ports) {
    json out = json::array();
    for (auto& p : ports) {
        json row{{"PrivatePort", p.containerPort}, {"Type", p.protocol}};
        if (p.hostPort) {
            row["IP"] = p.hostIp.empty() ? "0.0.0.0" : p.hostIp;
            row["PublicPort"] = p.hostPort;
        }
        out.push_back(row);
    }
    return out;
}

} // namespace

json containerSummaryJson(const ContainerSummary& c) {
    json networks = json::object();
    for (auto& n : c.networks) networks[n] = json::object();
    return {{"Id", c.id},
            {"Names", json::array({"/" + c.name})},
            {"Image", c.image},
            {"ImageID", c.imageId},
            {"Command", c.command},
            {"Created", c.created},
            {"Ports", portsJson(c.ports)},
            {"Labels", c.labels},
            {"State", statusName(c.state)},
            {"Status", c.status},
            {"HostConfig", {{"NetworkMode", c.networks.empty() ? "default" : c.networks.front()}}},
            {"NetworkSettings", {{"Networks", networks}}},
            {"Mounts", json::array()}};
}

int64_t unixSeconds(const std::string& rfc3339) { return parseTimeNano(rfc3339) / 1000000000; }

json imageSummaryJson(const ImageSummary& s, const std::map<std::string, std::string>& labels) {
    return {{"Id", s.id},
            {"ParentId", ""},
            {"RepoTags", s.repoTags},
            {"RepoDigests", s.repoDigests},
            {"Created", unixSeconds(s.created)},
            {"Size", s.size},
            {"VirtualSize", s.size},  // gone in 1.44, read by older clients
            {"SharedSize", -1},
            {"Labels", labels},
            {"Containers", -1}};
}

json volumeJson(const Volume& v) {
    return {{"Name", v.name},
            {"Driver", v.driver},
            {"Mountpoint", v.mountpoint.string()},
            {"CreatedAt", v.createdAt},
            {"Labels", v.labels},
            {"Scope", "local"},
            {"Options", v.options}};
}

} // namespace berth::dockerapi
