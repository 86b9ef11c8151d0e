#include "berth/engine.h"

namespace berth {

Engine::Engine(store::StoreLayout layout)
    : m_layout(std::move(layout)),
      m_images(std::make_unique<image::ImageStore>(m_layout)),
      m_containers(std::make_unique<container::ContainerService>(m_layout, *m_images)) {
    // rmi refuses an image that a container (in any state) was created from.
    m_images->setInUseCheck([this](const image::Digest& id) {
        auto users = m_containers->containersUsingImage(id.str());
        return users && !users->empty();
    });
}

Engine::~Engine() = default;

Result<std::unique_ptr<Engine>> Engine::open(const EngineOptions& options) {
    auto root = options.root.empty() ? store::defaultRoot() : options.root;
    auto layout = BERTH_TRY(store::openLayout(root, options.runRoot));
    return std::unique_ptr<Engine>(new Engine(std::move(layout)));
}

} // namespace berth
