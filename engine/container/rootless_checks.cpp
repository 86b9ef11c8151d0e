#include "container/rootless_checks.h"

#include "cgroup/rootless_cgroup.h"
#include "runtime/rootless_network.h"

namespace berth::container {

VoidResult checkRootlessOptions(const CreateOptions& options, const EngineSettings& settings) {
    if (!settings.rootless()) return {};
    // A limit flag is refused, never ignored.
    BERTH_TRYV(cgroup::checkRootlessLimits(options.resources, cgroup::hostRootlessCgroups(settings)));
    if (options.network == "host" || options.network == "none" || options.ports.empty()) return {};
    std::vector<runtime::RootlessPort> ports;
    for (const auto& p : options.ports) ports.push_back({p.hostIp, p.hostPort, p.containerPort, p.protocol});
    return runtime::checkRootlessPorts(ports, runtime::detectRootlessNetwork(settings.runtime.rootlessNetwork).unprivilegedPortStart);
}

} // namespace berth::container
