#include "container/lifecycle.h"

#include "container/container_volumes.h"
#include "container/health.h"
#include "store/events.h"

namespace berth::container {

VoidResult Lifecycle::event(const char* action, std::map<std::string, std::string> attributes) const {
    // Like docker, every container event carries the container's labels (docker-compose
    // follows its project's events with a label filter); the event's own attributes win.
    for (const auto& [key, value] : m_config.options.labels) attributes.try_emplace(key, value);
    attributes["image"] = m_config.image;
    attributes["name"] = m_config.name;
    return store::appendEvent(m_store.layout(), {0, "container", action, m_config.id, m_config.name, std::move(attributes)});
}

VoidResult Lifecycle::recordHealth(const HealthState& health, bool changed) const {
    auto state = m_store.updateState(m_config.id, [&](ContainerState& s) { s.health = health; });
    if (!state) return std::unexpected(state.error().withContext("record the healthcheck"));
    if (!changed || health.status == "starting") return {};
    return event(("health_status: " + health.status).c_str());
}

VoidResult Lifecycle::recordStart(pid_t initPid, pid_t monitorPid, int64_t startedNano, int restartCount) const {
    auto state = m_store.updateState(m_config.id, [&](ContainerState& s) {
        s.status = Status::Running;
        s.pid = initPid;
        s.monitorPid = monitorPid;
        s.exitCode = 0;
        s.oomKilled = false;
        s.error.clear();
        s.startedAt = formatTimeNano(startedNano);
        s.restartCount = restartCount;
        if (m_config.healthcheck) {
            if (!s.health) s.health.emplace();
            healthStarting(*s.health);
        }
    });
    auto journal = event("start");
    if (!state) return std::unexpected(state.error().withContext("record the start"));
    return journal;
}

VoidResult Lifecycle::recordFailedStart(const Error& error, int exitCode, bool firstStart) const {
    auto state = m_store.updateState(m_config.id, [&](ContainerState& s) {
        s.status = firstStart ? Status::Created : Status::Exited;
        s.pid = 0;
        s.monitorPid = 0;
        s.exitCode = exitCode;
        s.error = error.message();
        if (!firstStart) s.finishedAt = formatTimeNano(nowNano());
    });
    if (!state) return std::unexpected(state.error().withContext("record the failed start"));
    return {};
}

VoidResult Lifecycle::recordExit(int exitCode, bool oomKilled, bool restarting, int restartCount) const {
    VoidResult first;
    auto keep = [&first](VoidResult r, const char* what) {
        if (!r && first) first = std::unexpected(std::move(r).error().withContext(what));
    };
    auto state = m_store.updateState(m_config.id, [&](ContainerState& s) {
        s.status = restarting ? Status::Restarting : Status::Exited;
        s.pid = 0;
        s.exitCode = exitCode;
        s.oomKilled = oomKilled;
        s.finishedAt = formatTimeNano(nowNano());
        s.restartCount = restartCount;
    });
    keep(state ? VoidResult{} : VoidResult(std::unexpected(state.error())), "record the exit");
    if (oomKilled) keep(event("oom"), "journal the oom");
    keep(event("die", {{"exitCode", std::to_string(exitCode)}}), "journal the death");
    return first;
}

VoidResult Lifecycle::recordRestartCount(int restartCount) const {
    auto state = m_store.updateState(m_config.id, [&](ContainerState& s) { s.restartCount = restartCount; });
    if (!state) return std::unexpected(state.error().withContext("record the restart count"));
    return {};
}

VoidResult Lifecycle::recordStopDuringBackoff() const {
    auto state = m_store.updateState(m_config.id, [](ContainerState& s) { s.status = Status::Exited; });
    if (!state) return std::unexpected(state.error().withContext("record the stop during the restart back-off"));
    return {};
}

bool Lifecycle::shouldRestart(int exitCode, int restartCount, bool stopRequested) const {
    using K = RestartPolicy::Kind;
    if (stopRequested) return false;
    const auto& p = m_config.options.restart;
    switch (p.kind) {
    case K::No: return false;
    case K::Always:
    case K::UnlessStopped: return true;
    case K::OnFailure: return exitCode != 0 && (p.maxRetries == 0 || restartCount < p.maxRetries);
    }
    return false;
}

VoidResult Lifecycle::remove(bool anonymousVolumes) const {
    BERTH_TRYV(m_store.removeRecord(m_config));
    if (anonymousVolumes) removeAnonymousVolumes(m_store.layout(), m_config);
    return {};
}

} // namespace berth::container
