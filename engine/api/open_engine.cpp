#include "engine_impl.h"

namespace berth {

Result<std::unique_ptr<Engine>> openEngine(const EngineOptions& options) {
    if (options.aboutToStart) container::ContainerService::prepareToStart();
    auto services = BERTH_TRY(EngineServices::open(options));
    return std::unique_ptr<Engine>(std::make_unique<api::EngineImpl>(std::move(services)));
}

} // namespace berth
