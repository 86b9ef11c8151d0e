#include "engine_services.h"

#include "engine_network.h"

namespace berth {

EngineServices::EngineServices(store::StoreLayout layout)
    : m_layout(std::move(layout)),
      m_images(std::make_unique<image::ImageStore>(m_layout)),
      m_containers(std::make_unique<container::ContainerService>(m_layout, *m_images)),
      m_networks(std::make_unique<network::NetworkService>(m_layout)) {
    // rmi refuses an image that a container (in any state) was created from.
    m_images->setInUseCheck([this] {
        auto ids = m_containers->imageIdsInUse();
        return ids ? std::move(*ids) : std::set<std::string>{};
    });
    // The network layer sits below containers: it learns of them through this.
    m_networks->setContainerResolver([this](std::string_view ref) -> Result<network::ContainerRef> {
        auto rec = BERTH_TRY(m_containers->get(ref));
        bool running = rec.state.status == container::Status::Running || rec.state.status == container::Status::Paused;
        return network::ContainerRef{rec.config.id, rec.config.name, running ? rec.state.pid : 0, rec.config.options.network};
    });
    // Addresses and published ports are prepared before a container's monitor starts.
    m_containers->setStartHooks(
        {[this](const container::ContainerRecord& rec) -> VoidResult {
             return m_networks->prepareContainer(networkRequestFor(rec, m_layout, *m_images));
         },
         [this](const container::ContainerRecord& rec) { (void)m_networks->releaseContainer(rec.config.id); }});
}

EngineServices::~EngineServices() = default;

Result<std::unique_ptr<EngineServices>> EngineServices::open(const EngineOptions& options) {
    // The one place an engine reads its environment (sys/engine_settings.h).
    // The layout carries the settings down to every service (StoreLayout::settings).
    auto layout = BERTH_TRY(store::openLayout(resolveEngineSettings({.root = options.root, .runRoot = options.runRoot})));
    std::unique_ptr<EngineServices> engine(new EngineServices(std::move(layout)));
    // What containers that died unseen left (leases, veths, port rules): cheap when none.
    (void)engine->networks().reconcile();
    return engine;
}

} // namespace berth
