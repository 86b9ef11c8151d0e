#include "containerbackend.h"

#include "berth/engine.h"
#include "container/container_service.h"

#include <QDateTime>

#include <csignal>

// The facade gains containers() while this is written; every call is a template on the
// engine type so that, until it does, the calls compile away and each says so clearly.
namespace berth::ui::backend {

namespace {

template <class E>
constexpr bool hasContainers() {
    return requires(E& e) { e.containers(); };
}

Error unavailable() {
    return Error(Errc::Unsupported, "containers are not available in this engine build yet");
}

QString qs(const std::string& s) { return QString::fromStdString(s); }

std::vector<std::string> toStd(const QStringList& l) {
    std::vector<std::string> out;
    for (const QString& s : l) out.push_back(s.toStdString());
    return out;
}

ContainerState mapStatus(container::Status s) {
    switch (s) {
    case container::Status::Created: return ContainerState::Created;
    case container::Status::Running: return ContainerState::Running;
    case container::Status::Paused: return ContainerState::Paused;
    case container::Status::Restarting: return ContainerState::Restarting;
    case container::Status::Exited: return ContainerState::Exited;
    case container::Status::Dead: return ContainerState::Dead;
    }
    return ContainerState::Unknown;
}

QDateTime fromRfc3339(const std::string& s) {
    if (s.empty()) return {};
    return QDateTime::fromString(qs(s), Qt::ISODateWithMs);
}

template <class E>
Result<QList<ContainerRow>> listImpl(E& engine) {
    if constexpr (hasContainers<E>()) {
        auto& svc = engine.containers();
        auto list = BERTH_TRY(svc.list(true));
        QList<ContainerRow> rows;
        for (const auto& c : list) {
            ContainerRow r;
            r.id = qs(c.id);
            r.name = qs(c.name);
            r.image = qs(c.image);
            r.command = qs(c.command);
            r.state = mapStatus(c.state);
            r.exitCode = c.exitCode;
            r.pid = c.pid;
            r.created = QDateTime::fromSecsSinceEpoch(c.created);
            // What the container asked for; a running one's actual host ports (ephemeral ones
            // chosen) from the network layer when it knows them.
            std::vector<container::PortBinding> ports = c.ports;
            if (c.state == container::Status::Running || c.state == container::Status::Paused)
                if (auto actual = engine.networks().ports(c.id); actual && !actual->empty()) {
                    ports.clear();
                    for (const auto& p : *actual) ports.push_back({p.hostIp, p.hostPort, p.containerPort, p.protocol});
                }
            for (const auto& p : ports) {
                QString text = p.hostPort ? QStringLiteral("%1:%2\u2192%3/%4")
                                                .arg(p.hostIp.empty() ? QStringLiteral("0.0.0.0") : qs(p.hostIp))
                                                .arg(p.hostPort)
                                                .arg(p.containerPort)
                                                .arg(qs(p.protocol))
                                          : QStringLiteral("%1/%2").arg(p.containerPort).arg(qs(p.protocol));
                r.ports.append(text);
                if (p.hostPort && p.protocol == "tcp") r.browserPorts.append(p.hostPort);
            }
            if (auto rec = svc.get(c.id)) {
                r.startedAt = fromRfc3339(rec->state.startedAt);
                r.finishedAt = fromRfc3339(rec->state.finishedAt);
                if (rec->config.options.resources.memoryBytes)
                    r.memoryLimit = quint64(*rec->config.options.resources.memoryBytes);
            }
            rows.append(r);
        }
        return rows;
    } else {
        (void)engine;
        return QList<ContainerRow>{};
    }
}

template <class E>
VoidResult actImpl(E& engine, ContainerAction action, const std::string& id) {
    if constexpr (hasContainers<E>()) {
        auto& svc = engine.containers();
        switch (action) {
        case ContainerAction::Start: return svc.start(id);
        case ContainerAction::Stop: return svc.stop(id);
        case ContainerAction::Restart: return svc.restart(id);
        case ContainerAction::Pause: return svc.pause(id);
        case ContainerAction::Unpause: return svc.unpause(id);
        case ContainerAction::Kill: return svc.kill(id, SIGKILL);
        case ContainerAction::Remove: return svc.remove(id, true);
        }
        return fail(Errc::InvalidArgument, "unknown action");
    } else {
        (void)engine, (void)action, (void)id;
        return std::unexpected(unavailable());
    }
}

template <class E>
Result<QString> runImpl(E& engine, const RunOptions& o) {
    if constexpr (hasContainers<E>()) {
        container::CreateOptions c = BERTH_TRY(toCreateOptions(o));
        auto& svc = engine.containers();
        std::string id = BERTH_TRY(svc.create(c));
        if (o.start) BERTH_TRYV_CTX(svc.start(id), "start " + (c.name.empty() ? id.substr(0, 12) : c.name));
        return qs(id);
    } else {
        (void)engine, (void)o;
        return std::unexpected(unavailable());
    }
}

template <class E>
Result<QString> inspectImpl(E& engine, const std::string& id) {
    if constexpr (hasContainers<E>()) {
        auto j = BERTH_TRY(engine.containers().inspect(id));
        return qs(j.dump(2));
    } else {
        (void)engine, (void)id;
        return std::unexpected(unavailable());
    }
}

template <class E>
Result<ProcessTable> topImpl(E& engine, const std::string& id) {
    if constexpr (hasContainers<E>()) {
        auto t = BERTH_TRY(engine.containers().top(id));
        ProcessTable out;
        for (const auto& s : t.titles) out.titles.append(qs(s));
        for (const auto& p : t.processes) {
            QStringList row;
            for (const auto& s : p) row.append(qs(s));
            out.rows.append(row);
        }
        return out;
    } else {
        (void)engine, (void)id;
        return std::unexpected(unavailable());
    }
}

template <class E>
Result<QList<StatsSample>> sampleImpl(E& engine) {
    if constexpr (hasContainers<E>()) {
        auto stats = BERTH_TRY(engine.containers().stats());
        QList<StatsSample> out;
        for (const auto& s : stats) {
            StatsSample x;
            x.id = qs(s.id);
            x.name = qs(s.name);
            x.timeMs = s.timeNano / 1000000;
            x.cpuUsageNs = s.cpuUsageNs;
            x.memoryUsage = s.memoryUsage;
            x.memoryLimit = s.memoryLimit;
            x.netRx = s.netRx;
            x.netTx = s.netTx;
            x.blockRead = s.blkioRead;
            x.blockWrite = s.blkioWrite;
            x.pids = s.pids;
            out.append(x);
        }
        return out;
    } else {
        (void)engine;
        return QList<StatsSample>{};
    }
}

} // namespace

Result<container::CreateOptions> toCreateOptions(const RunOptions& o) {
    container::CreateOptions c;
    c.image = o.image.trimmed().toStdString();
    c.name = o.name.trimmed().toStdString();
    c.cmd = toStd(o.command);
    if (!o.entrypoint.trimmed().isEmpty()) c.entrypoint = std::vector<std::string>{o.entrypoint.trimmed().toStdString()};
    c.env = toStd(o.env);
    c.workingDir = o.workdir.toStdString();
    c.user = o.user.toStdString();
    c.hostname = o.hostname.toStdString();
    c.readOnly = o.readOnly;
    c.privileged = o.privileged;
    c.autoRemove = o.remove;
    c.tty = o.tty;
    if (!o.restartPolicy.isEmpty()) {
        QString policy = o.restartPolicy;
        if (policy == QLatin1String("on-failure") && o.restartMaxRetries > 0) policy += QStringLiteral(":%1").arg(o.restartMaxRetries);
        c.restart = BERTH_TRY_CTX(container::parseRestartPolicy(policy.toStdString()), "restart policy");
    }
    for (const QString& p : o.publish) {
        auto ports = BERTH_TRY_CTX(container::parsePortSpec(p.trimmed().toStdString()), "publish " + p.toStdString());
        c.ports.insert(c.ports.end(), ports.begin(), ports.end());
    }
    if (!o.memory.trimmed().isEmpty())
        c.resources.memoryBytes = BERTH_TRY_CTX(container::parseMemory(o.memory.trimmed().toStdString()), "memory limit");
    if (!o.memorySwap.trimmed().isEmpty()) {
        if (o.memorySwap.trimmed() == QLatin1String("-1"))
            c.resources.memorySwapBytes = -1;
        else
            c.resources.memorySwapBytes =
                BERTH_TRY_CTX(container::parseMemory(o.memorySwap.trimmed().toStdString()), "memory + swap limit");
    }
    if (!o.cpus.trimmed().isEmpty())
        c.resources.cpuQuotaUs = BERTH_TRY_CTX(container::parseCpus(o.cpus.trimmed().toStdString(), c.resources.cpuPeriodUs), "CPU limit");
    if (o.cpuShares > 0) c.resources.cpuShares = uint64_t(o.cpuShares);
    if (!o.cpusetCpus.trimmed().isEmpty()) c.resources.cpusetCpus = o.cpusetCpus.trimmed().toStdString();
    if (o.pidsLimit > 0) c.resources.pidsLimit = o.pidsLimit;
    c.tmpfs = toStd(o.tmpfs);
    for (const QString& v : o.volumes)
        c.mounts.push_back(BERTH_TRY_CTX(container::parseVolumeSpec(v.trimmed().toStdString()), "volume " + v.toStdString()));
    c.network = o.network.trimmed().toStdString();
    c.capAdd = toStd(o.capAdd);
    c.capDrop = toStd(o.capDrop);
    const QString seccomp = o.seccompProfile.trimmed();
    if (!seccomp.isEmpty())
        BERTH_TRYV_CTX(container::parseSecurityOpt(("seccomp=" + seccomp).toStdString(), c), "seccomp profile");
    c.noNewPrivileges = o.noNewPrivileges;
    if (!o.logMaxSize.trimmed().isEmpty())
        BERTH_TRYV_CTX(container::parseLogOpt(("max-size=" + o.logMaxSize.trimmed()).toStdString(), c.log), "log size");
    if (o.logMaxFile > 1) BERTH_TRYV_CTX(container::parseLogOpt("max-file=" + std::to_string(o.logMaxFile), c.log), "log files");
    for (const QString& u : o.ulimits) c.ulimits.push_back(BERTH_TRY_CTX(container::parseUlimit(u.trimmed().toStdString()), "ulimit " + u.toStdString()));
    for (const QString& l : o.labels) {
        const qsizetype eq = l.indexOf(QLatin1Char('='));
        const QString key = (eq < 0 ? l : l.left(eq)).trimmed();
        if (key.isEmpty()) return std::unexpected(Error(Errc::InvalidArgument, "label \"" + l.toStdString() + "\" has no key"));
        c.labels[key.toStdString()] = eq < 0 ? std::string() : l.mid(eq + 1).toStdString();
    }
    return c;
}

bool containersAvailable() { return hasContainers<Engine>(); }

Result<QList<ContainerRow>> listContainers(Engine& engine) { return listImpl(engine); }

VoidResult act(Engine& engine, ContainerAction action, const QString& id, std::stop_token) {
    return actImpl(engine, action, id.toStdString());
}

Result<QString> run(Engine& engine, const RunOptions& options, std::stop_token) {
    return runImpl(engine, options);
}

Result<QString> inspect(Engine& engine, const QString& id) { return inspectImpl(engine, id.toStdString()); }

Result<ProcessTable> top(Engine& engine, const QString& id) { return topImpl(engine, id.toStdString()); }

Result<QList<StatsSample>> sample(Engine& engine) { return sampleImpl(engine); }

QString logPath(Engine& engine, const QString& id) {
    return qs((engine.layout().containers() / id.toStdString() / "log.jsonl").string());
}

} // namespace berth::ui::backend
