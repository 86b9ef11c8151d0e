// NetworkService: stub while the implementation lands (see network_service.h).
#include "network/network_service.h"

namespace berth::network {

struct NetworkService::Impl {
    explicit Impl(store::StoreLayout l) : layout(std::move(l)) {}
    store::StoreLayout layout;
    ContainerResolver resolver;
};

NetworkService::NetworkService(store::StoreLayout layout) : m_impl(std::make_unique<Impl>(std::move(layout))) {}
NetworkService::~NetworkService() = default;

void NetworkService::setContainerResolver(ContainerResolver resolver) { m_impl->resolver = std::move(resolver); }

static Error notYet() { return Error(Errc::Unsupported, "networks are not implemented yet"); }

Result<NetworkInfo> NetworkService::create(const CreateNetworkOptions&) { return std::unexpected(notYet()); }
Result<std::vector<NetworkInfo>> NetworkService::list() const { return std::unexpected(notYet()); }
Result<NetworkInfo> NetworkService::inspect(std::string_view) const { return std::unexpected(notYet()); }
VoidResult NetworkService::remove(std::string_view) { return std::unexpected(notYet()); }
VoidResult NetworkService::connect(std::string_view, std::string_view, const ConnectOptions&) { return std::unexpected(notYet()); }
VoidResult NetworkService::disconnect(std::string_view, std::string_view, bool) { return std::unexpected(notYet()); }
Result<NetworkPruneReport> NetworkService::prune() { return std::unexpected(notYet()); }
Result<std::vector<PublishedPort>> NetworkService::ports(std::string_view) const { return std::unexpected(notYet()); }
VoidResult NetworkService::reconcile() { return {}; }

} // namespace berth::network
