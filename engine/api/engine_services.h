#pragma once
// Inside the front door: the services of one store, wired together (rmi asks containers
// whether an image is in use, containers ask the network layer to prepare a start). The
// public berth::Engine (berth/engine.h, engine/api/engine_impl.*) is built on this; nothing
// outside engine/ may include it.

#include "container/container_service.h"
#include "image/image_store.h"
#include "network/network_service.h"
#include "store/events.h"
#include "store/layout.h"
#include "sys/engine_settings.h"
#include "sys/error.h"

#include "berth/engine.h"

#include <filesystem>
#include <memory>

namespace berth {

class EngineServices {
public:
    static Result<std::unique_ptr<EngineServices>> open(const EngineOptions& options = {});
    ~EngineServices();

    const EngineSettings& settings() const { return m_layout.settings; }
    const store::StoreLayout& layout() const { return m_layout; }
    image::ImageStore& images() { return *m_images; }
    container::ContainerService& containers() { return *m_containers; }
    volume::VolumeService& volumes() { return m_containers->volumes(); }
    network::NetworkService& networks() { return *m_networks; }

private:
    explicit EngineServices(store::StoreLayout layout);
    store::StoreLayout m_layout;
    std::unique_ptr<image::ImageStore> m_images;
    std::unique_ptr<container::ContainerService> m_containers;
    std::unique_ptr<network::NetworkService> m_networks;
};

} // namespace berth
