// berth::Networks over the network service, and docker's `network inspect` JSON.
#include "engine_impl.h"

#include <nlohmann/json.hpp>

namespace berth::api {

namespace {

std::string networkJson(const NetworkInfo& n) {
    using nlohmann::json;
    json containers = json::object();
    for (auto& c : n.containers)
        containers[c.containerId] = {{"Name", c.containerName},
                                     {"EndpointID", c.hostInterface},
                                     {"MacAddress", c.macAddress},
                                     {"IPv4Address", c.ipAddress + "/" + std::to_string(c.prefixLength)},
                                     {"IPv6Address", ""},
                                     {"Aliases", c.aliases}};
    json config = json::array();
    if (!n.subnet.empty()) config.push_back({{"Subnet", n.subnet}, {"Gateway", n.gateway}});
    // As docker: the default bridge shows its device; a user network shows the driver
    // options it was created with (Berth takes none), not its generated device, or
    // docker-compose sees an option it did not ask for and wants the network recreated.
    json options = json::object();
    if (n.builtin && !n.bridge.empty()) options["com.docker.network.bridge.name"] = n.bridge;
    json j{{"Name", n.name},
           {"Id", n.id},
           // The built-in networks have no creation time: Go's zero time, as docker's
           // clients parse the field as RFC 3339 and refuse "".
           {"Created", n.created.empty() ? std::string("0001-01-01T00:00:00Z") : n.created},
           {"Scope", "local"},
           {"Driver", n.driver},
           {"EnableIPv6", false},
           {"IPAM", {{"Driver", "default"}, {"Options", json::object()}, {"Config", config}}},
           {"Internal", n.internal},
           {"Attachable", false},
           {"Containers", containers},
           {"Members", n.members},
           {"Options", options},
           {"Labels", n.labels}};
    return j.dump();
}

} // namespace

Result<NetworkInfo> NetworksApi::create(const CreateNetworkOptions& options) { return m_s.networks().create(options); }
Result<std::vector<NetworkInfo>> NetworksApi::list() { return m_s.networks().list(); }

Result<NetworkDetails> NetworksApi::inspect(std::string_view ref) {
    auto info = BERTH_TRY(m_s.networks().inspect(ref));
    auto json = networkJson(info);
    return NetworkDetails{std::move(info), std::move(json)};
}

VoidResult NetworksApi::remove(std::string_view ref) { return m_s.networks().remove(ref); }
VoidResult NetworksApi::connect(std::string_view network, std::string_view container, const ConnectOptions& options) {
    return m_s.networks().connect(network, container, options);
}
VoidResult NetworksApi::disconnect(std::string_view network, std::string_view container, bool force) {
    return m_s.networks().disconnect(network, container, force);
}
Result<NetworkPruneReport> NetworksApi::prune() { return m_s.networks().prune(); }
VoidResult NetworksApi::releaseContainer(std::string_view containerId, bool namespaceGone) {
    return m_s.networks().releaseContainer(containerId, namespaceGone);
}

} // namespace berth::api
