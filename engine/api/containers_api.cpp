// berth::Containers over ContainerService, with what only the engine as a whole knows: the
// network checks before a create, live ports, and docker's NetworkSettings in inspect.
#include "engine_impl.h"

#include "container/log_reader.h"

#include <nlohmann/json.hpp>

namespace berth {

double cpuPercent(const ContainerStats* previous, const ContainerStats& cur) {
    const bool samePeriod = previous && previous->id == cur.id && previous->startedNano == cur.startedNano &&
                            cur.cpuUsageNs >= previous->cpuUsageNs && cur.timeNano > previous->timeNano;
    if (samePeriod) {
        // Docker's formula; two samples within one tick of the host's counters fall back to
        // the wall clock between them (the same figure, less precisely measured).
        double cpuDelta = double(cur.cpuUsageNs - previous->cpuUsageNs);
        if (cur.systemUsageNs > previous->systemUsageNs)
            return cpuDelta / double(cur.systemUsageNs - previous->systemUsageNs) * double(cur.onlineCpus) * 100.0;
        return cpuDelta / double(cur.timeNano - previous->timeNano) * 100.0;
    }
    if (cur.startedNano > 0 && cur.timeNano > cur.startedNano)
        return double(cur.cpuUsageNs) / double(cur.timeNano - cur.startedNano) * 100.0;
    return 0.0;
}

} // namespace berth

namespace berth::api {

namespace {

bool isRunning(ContainerStatus s) { return s == ContainerStatus::Running || s == ContainerStatus::Paused; }

bool isUserNetwork(const std::string& net) {
    return !net.empty() && net != "bridge" && net != "none" && net != "host" && net != "default";
}

} // namespace

Result<std::vector<std::string>> ContainersApi::checkNetworkRequest(RunRequest& o) {
    std::vector<std::string> warnings;
    if (o.network == "default") o.network.clear();  // the engine's default (see parseRunFlags)
    const std::string& net = o.network;
    if (net == "host" || net == "none") {
        if (!o.ports.empty() || o.publishAll)
            warnings.push_back("published ports are discarded when using the " + net + " network");
        o.ports.clear();
        o.publishAll = false;
        if (!o.ipAddress.empty() || !o.networkAliases.empty())
            return fail(Errc::InvalidArgument, "--ip and --network-alias need a user network, not " + net);
        return warnings;
    }
    const bool userNet = isUserNetwork(net);
    if (userNet) BERTH_TRYV(m_s.networks().inspect(net));
    if (!userNet && !o.ipAddress.empty())
        return fail(Errc::InvalidArgument, "--ip is only allowed on user networks (create one with berth network create)");
    if (!userNet && !o.networkAliases.empty())
        return fail(Errc::InvalidArgument, "--network-alias is only allowed on user networks");
    BERTH_TRYV(m_s.networks().checkPorts(o.ports));
    return warnings;
}

Result<CreatedContainer> ContainersApi::create(const RunRequest& request) {
    RunRequest r = request;
    CreatedContainer out;
    out.warnings = BERTH_TRY(checkNetworkRequest(r));
    out.id = BERTH_TRY(m_s.containers().create(r));
    return out;
}

VoidResult ContainersApi::start(std::string_view ref) { return m_s.containers().start(ref); }
Result<int> ContainersApi::startAttached(std::string_view ref, const AttachIo& io) {
    return m_s.containers().startAttached(ref, io);
}
Result<int> ContainersApi::attach(std::string_view ref, const AttachIo& io) { return m_s.containers().attach(ref, io); }
VoidResult ContainersApi::stop(std::string_view ref, int timeoutSeconds) { return m_s.containers().stop(ref, timeoutSeconds); }
VoidResult ContainersApi::restart(std::string_view ref, int timeoutSeconds) {
    return m_s.containers().restart(ref, timeoutSeconds);
}
VoidResult ContainersApi::kill(std::string_view ref, int signal) { return m_s.containers().kill(ref, signal); }
VoidResult ContainersApi::pause(std::string_view ref) { return m_s.containers().pause(ref); }
VoidResult ContainersApi::unpause(std::string_view ref) { return m_s.containers().unpause(ref); }
VoidResult ContainersApi::remove(std::string_view ref, bool force, bool volumes) {
    return m_s.containers().remove(ref, force, volumes);
}

VoidResult ContainersApi::rename(std::string_view ref, std::string_view newName) {
    return m_s.containers().rename(ref, newName);
}
VoidResult ContainersApi::update(std::string_view ref, const ContainerUpdate& update) {
    return m_s.containers().update(ref, update);
}
Result<std::vector<FileChange>> ContainersApi::diff(std::string_view ref) { return m_s.containers().diff(ref); }

std::vector<PortBinding> ContainersApi::livePorts(const std::string& id, const std::vector<PortBinding>& asked) {
    auto live = m_s.networks().ports(id);
    if (!live || live->empty()) return asked;
    return *live;
}

Result<std::vector<ContainerSummary>> ContainersApi::list(bool all) {
    auto rows = BERTH_TRY(m_s.containers().list(all));
    for (auto& r : rows)
        if (isRunning(r.state)) r.ports = livePorts(r.id, r.ports);
    return rows;
}

Result<std::vector<PortBinding>> ContainersApi::ports(std::string_view ref) {
    auto rec = BERTH_TRY(m_s.containers().get(ref));
    if (!isRunning(rec.state.status)) return rec.config.options.ports;
    return livePorts(rec.config.id, rec.config.options.ports);
}

Result<ContainerDetails> ContainersApi::inspect(std::string_view ref) {
    using nlohmann::json;
    auto& svc = m_s.containers();
    auto rec = BERTH_TRY(svc.get(ref));
    auto j = BERTH_TRY(svc.inspect(rec.config.id));
    ContainerDetails d;
    auto& c = rec.config;
    auto& st = rec.state;
    d.request = c.options;
    d.entrypoint = c.entrypoint;
    d.cmd = c.cmd;
    d.env = c.env;
    d.workingDir = c.workingDir;
    d.user = c.user;
    d.hostname = c.hostname;
    d.error = st.error;
    d.monitorPid = st.monitorPid;
    d.healthcheck = c.healthcheck;
    if (c.healthcheck) d.health = st.health;
    d.summary = BERTH_TRY(svc.summary(c.id));
    const bool running = isRunning(st.status);
    if (running) d.summary.ports = livePorts(c.id, c.options.ports);

    json settings = {{"IPAddress", ""}, {"IPPrefixLen", 0}, {"Gateway", ""}, {"MacAddress", ""},
                     {"Ports", j["NetworkSettings"].value("Ports", json::object())}, {"Networks", json::object()}};
    if (auto nets = m_s.networks().list())
        for (auto& n : *nets)
            for (auto& e : n.containers) {
                if (e.containerId != c.id) continue;
                d.networks.push_back({n.name, n.id, e.ipAddress, e.prefixLength, n.gateway, e.macAddress, e.aliases});
                settings["Networks"][n.name] = {{"NetworkID", n.id}, {"IPAddress", e.ipAddress},
                                                {"IPPrefixLen", e.prefixLength}, {"Gateway", n.gateway},
                                                {"MacAddress", e.macAddress}, {"Aliases", e.aliases}};
                if (settings["IPAddress"] == "") {
                    settings["IPAddress"] = e.ipAddress;
                    settings["IPPrefixLen"] = e.prefixLength;
                    settings["Gateway"] = n.gateway;
                    settings["MacAddress"] = e.macAddress;
                }
            }
    if (settings["Networks"].empty()) {
        // Not running: the networks it joins at its next start, without addresses (docker's
        // clients, docker-compose among them, look here before connecting one again).
        network::ContainerNetworkRequest want;
        want.id = c.id;
        want.network = c.options.network;
        want.aliases = c.options.networkAliases;
        if (auto planned = m_s.networks().plannedAttachments(want))
            for (auto& p : *planned)
                settings["Networks"][p.networkName] = {{"NetworkID", p.networkId}, {"IPAddress", ""}, {"IPPrefixLen", 0},
                                                       {"Gateway", ""}, {"MacAddress", ""}, {"Aliases", p.aliases}};
    }
    if (running) {
        json ports = json::object();
        for (auto& p : d.summary.ports)
            ports[std::to_string(p.containerPort) + "/" + p.protocol].push_back(
                {{"HostIp", p.hostIp.empty() ? "0.0.0.0" : p.hostIp},
                 {"HostPort", p.hostPort ? std::to_string(p.hostPort) : ""}});
        for (auto& e : c.exposedPorts)
            if (!ports.contains(e)) ports[e] = nullptr;
        settings["Ports"] = ports;
    }
    j["NetworkSettings"] = settings;
    // The monitor's own failures (monitor.log): its last lines, newest last.
    auto monitorLog = rec.dir / "monitor.log";
    std::vector<std::string> lines;
    (void)container::readLinesBackwards(monitorLog, [&](std::string_view l) {
        lines.emplace_back(l);
        return lines.size() < 20;
    });
    for (auto it = lines.rbegin(); it != lines.rend(); ++it) d.monitorLog += *it + "\n";
    j["MonitorLogPath"] = monitorLog.string();
    if (!d.monitorLog.empty()) j["State"]["MonitorLog"] = d.monitorLog;
    d.json = j.dump();
    return d;
}

VoidResult ContainersApi::logs(std::string_view ref, const LogsOptions& options,
                               const std::function<bool(const LogLine&)>& onLine, std::stop_token stop) {
    return m_s.containers().logs(ref, options, onLine, stop);
}

Result<std::unique_ptr<LogFile>> ContainersApi::openLog(std::string_view ref) {
    auto rec = BERTH_TRY(m_s.containers().get(ref));
    return container::openJsonLogFile(rec.dir);
}

Result<int> ContainersApi::wait(std::string_view ref, std::stop_token stop) { return m_s.containers().wait(ref, stop); }
Result<TopResult> ContainersApi::top(std::string_view ref) { return m_s.containers().top(ref); }
Result<std::vector<ContainerStats>> ContainersApi::stats(const std::vector<std::string>& refs) {
    return m_s.containers().stats(refs);
}
Result<int> ContainersApi::exec(std::string_view ref, const ExecRequest& request, const AttachIo& io) {
    return m_s.containers().exec(ref, request, io);
}
Result<ContainerPruneReport> ContainersApi::prune() { return m_s.containers().prune(); }
Result<ContainerDiskUsage> ContainersApi::diskUsage() { return m_s.containers().diskUsage(); }

} // namespace berth::api
