#pragma once
// The engine facade: the one entry point ui/ and app/ use. Opening an Engine opens (and
// creates when missing) one store; its services do the work. Thread-safe; long operations
// take a progress callback and a std::stop_token.

#include "container/container_service.h"
#include "image/image_store.h"
#include "network/network_service.h"
#include "store/events.h"
#include "store/layout.h"
#include "sys/error.h"

#include <filesystem>
#include <memory>

namespace berth {

struct EngineOptions {
    std::filesystem::path root;     // empty: store::defaultRoot()
    std::filesystem::path runRoot;  // empty: store::defaultRunRoot(root)
};

class Engine {
public:
    static Result<std::unique_ptr<Engine>> open(const EngineOptions& options = {});
    ~Engine();

    const store::StoreLayout& layout() const { return m_layout; }
    image::ImageStore& images() { return *m_images; }
    container::ContainerService& containers() { return *m_containers; }
    volume::VolumeService& volumes() { return m_containers->volumes(); }
    network::NetworkService& networks() { return *m_networks; }

private:
    explicit Engine(store::StoreLayout layout);
    store::StoreLayout m_layout;
    std::unique_ptr<image::ImageStore> m_images;
    std::unique_ptr<container::ContainerService> m_containers;
    std::unique_ptr<network::NetworkService> m_networks;
};

} // namespace berth
