// rename and update: the changes a container's record takes after create. Both rewrite
// config.json under the container's lock; a running container's monitor reads the new
// name, limits and restart policy when its process exits (before it decides to restart).
#include "container/container_modify.h"

#include "container/lifecycle.h"
#include "container/rootless_checks.h"
#include "container/service_impl.h"

namespace berth::container {

Result<ResourceLimits> mergeLimits(const ResourceLimits& current, const ResourceLimits& change) {
    ResourceLimits out = current;
    if (change.memoryBytes) {
        const auto& swap = current.memorySwapBytes;
        if (!change.memorySwapBytes && swap && *swap != -1 && *change.memoryBytes > *swap)
            return fail(Errc::Conflict, "Memory limit should be smaller than already set memoryswap limit, "
                                        "update the memoryswap at the same time");
        out.memoryBytes = change.memoryBytes;
    }
    if (change.memorySwapBytes) out.memorySwapBytes = change.memorySwapBytes;
    if (change.cpuQuotaUs) {
        out.cpuQuotaUs = change.cpuQuotaUs;
        out.cpuPeriodUs = change.cpuPeriodUs;
    }
    if (change.cpuShares) out.cpuShares = change.cpuShares;
    if (change.cpusetCpus) out.cpusetCpus = change.cpusetCpus;
    if (change.pidsLimit) out.pidsLimit = change.pidsLimit;
    return out;
}

VoidResult ContainerService::rename(std::string_view ref, std::string_view newNameText) {
    auto& im = *m_impl;
    std::string newName(newNameText);
    if (newName.starts_with('/')) newName.erase(0, 1);
    if (newName.empty()) return fail(Errc::InvalidArgument, "Neither old nor new names may be empty");
    if (!isValidName(newName))
        return fail(Errc::InvalidArgument,
                    "Invalid container name (" + newName + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
    auto rec = BERTH_TRY(im.find(ref));
    const std::string oldName = rec.config.name;
    if (oldName == newName)
        return fail(Errc::Conflict, "Renaming a container with the same name as its current name");
    {
        // The new name is claimed before the record changes and the old one released
        // after: at every moment the container has a name that leads to it.
        auto lock = BERTH_TRY(im.store.lockStore());
        BERTH_TRYV(im.store.claimName(newName, rec.config.id));
        auto renamed = im.store.updateConfig(rec.config.id, [&](ContainerConfig& c) -> VoidResult {
            c.name = newName;
            return {};
        });
        if (!renamed) {
            im.store.releaseName(newName, rec.config.id);
            return std::unexpected(renamed.error().withContext("rename container " + oldName));
        }
        im.store.releaseName(oldName, rec.config.id);
        rec.config = std::move(*renamed);
    }
    im.event(rec.config, "rename", {{"oldName", "/" + oldName}});
    return {};
}

VoidResult ContainerService::update(std::string_view ref, const ContainerUpdate& change) {
    auto& im = *m_impl;
    auto rec = BERTH_TRY(im.find(ref));
    const bool restartAsked = change.restart && change.restart->kind != RestartPolicy::Kind::No;
    if (restartAsked && rec.config.options.autoRemove)
        return fail(Errc::Conflict, "Restart policy cannot be updated because AutoRemove is enabled for the container");
    auto updated = BERTH_TRY(im.store.updateConfig(rec.config.id, [&](ContainerConfig& c) -> VoidResult {
        auto merged = BERTH_TRY(mergeLimits(c.options.resources, change.resources));
        BERTH_TRYV(validateLimits(merged));
        CreateOptions asked = c.options;
        asked.resources = merged;
        BERTH_TRYV(checkRootlessOptions(asked, im.store.layout().settings));
        // A running (or paused) container's cgroup takes the limits now, all or nothing. A
        // stopped or restarting one has no cgroup: its next start applies the record.
        auto now = BERTH_TRY(im.store.load(c.id));
        reconcileState(now);
        if (now.state.status == Status::Running || now.state.status == Status::Paused) {
            auto cg = BERTH_TRY(im.cgroupFor(c.id));
            cgroup::Resources res(merged);
            res.restrictDevices = !c.options.privileged;
            BERTH_TRYV_CTX(cg->update(res), "update container " + c.name);
        }
        c.options.resources = merged;
        if (change.restart) c.options.restart = *change.restart;
        return {};
    }));
    im.event(updated, "update");
    return {};
}

} // namespace berth::container
