#include "engine_network.h"

#include <charconv>

namespace berth {

network::ContainerNetworkRequest networkRequestFor(const container::ContainerRecord& rec,
                                                   const store::StoreLayout& layout,
                                                   const image::ImageStore& images) {
    auto& c = rec.config;
    network::ContainerNetworkRequest r;
    r.id = c.id;
    r.name = c.name;
    r.hostname = c.hostname;
    r.hostsFile = (layout.containers() / c.id / "hosts").string();
    r.network = c.options.network;
    r.ipAddress = c.options.ipAddress;
    r.aliases = c.options.networkAliases;
    for (auto& p : c.options.ports) r.ports.push_back({p.hostIp, p.hostPort, p.containerPort, p.protocol});
    if (c.options.publishAll) {
        auto digest = image::Digest::parse(c.imageId);
        auto config = digest ? images.config(*digest) : Result<image::ImageConfig>(std::unexpected(digest.error()));
        if (config)
            for (auto& e : config->exposedPorts) {  // "80/tcp", "53/udp", "8080"
                auto slash = e.find('/');
                unsigned port = 0;
                auto num = e.substr(0, slash);
                auto [end, ec] = std::from_chars(num.data(), num.data() + num.size(), port);
                if (ec != std::errc() || end != num.data() + num.size() || port == 0 || port > 65535) continue;
                std::string proto = slash == std::string::npos ? "tcp" : e.substr(slash + 1);
                bool already = false;
                for (auto& p : r.ports) already = already || (p.containerPort == port && p.protocol == proto);
                if (!already) r.ports.push_back({"", 0, uint16_t(port), proto});
            }
    }
    return r;
}

} // namespace berth
