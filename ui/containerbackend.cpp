#include "containerbackend.h"

#include <QDateTime>
#include <QJsonDocument>

#include <csignal>

namespace berth::ui::backend {

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

ContainerState mapStatus(ContainerStatus s) {
    switch (s) {
    case ContainerStatus::Created: return ContainerState::Created;
    case ContainerStatus::Running: return ContainerState::Running;
    case ContainerStatus::Paused: return ContainerState::Paused;
    case ContainerStatus::Restarting: return ContainerState::Restarting;
    case ContainerStatus::Exited: return ContainerState::Exited;
    case ContainerStatus::Dead: return ContainerState::Dead;
    }
    return ContainerState::Unknown;
}

QDateTime fromRfc3339(const std::string& s) {
    if (s.empty()) return {};
    return QDateTime::fromString(qs(s), Qt::ISODateWithMs);
}

} // namespace

ContainerRow toRow(const ContainerSummary& c) {
    ContainerRow r;
    r.id = qs(c.id);
    r.name = qs(c.name);
    r.image = qs(c.image);
    r.command = qs(c.command);
    r.state = mapStatus(c.state);
    r.exitCode = c.exitCode;
    r.oomKilled = c.oomKilled;
    r.pid = c.pid;
    r.created = QDateTime::fromSecsSinceEpoch(c.created);
    r.startedAt = fromRfc3339(c.startedAt);
    r.finishedAt = fromRfc3339(c.finishedAt);
    if (c.memoryLimit) r.memoryLimit = quint64(*c.memoryLimit);
    for (const auto& p : c.ports) {
        QString text = p.hostPort ? QStringLiteral("%1:%2\u2192%3/%4")
                                        .arg(p.hostIp.empty() ? QStringLiteral("0.0.0.0") : qs(p.hostIp))
                                        .arg(p.hostPort)
                                        .arg(p.containerPort)
                                        .arg(qs(p.protocol))
                                  : QStringLiteral("%1/%2").arg(p.containerPort).arg(qs(p.protocol));
        r.ports.append(text);
        if (p.hostPort && p.protocol == "tcp") r.browserPorts.append(p.hostPort);
    }
    return r;
}

Result<QList<ContainerRow>> listContainers(Engine& engine) {
    auto list = BERTH_TRY(engine.containers().list(true));
    QList<ContainerRow> rows;
    for (const auto& c : list) rows.append(toRow(c));
    return rows;
}

VoidResult act(Engine& engine, ContainerAction action, const QString& qid, std::stop_token) {
    auto& c = engine.containers();
    const std::string id = qid.toStdString();
    VoidResult r;
    switch (action) {
    case ContainerAction::Start: r = c.start(id); break;
    case ContainerAction::Stop: r = c.stop(id); break;
    case ContainerAction::Restart: r = c.restart(id); break;
    case ContainerAction::Pause: r = c.pause(id); break;
    case ContainerAction::Unpause: r = c.unpause(id); break;
    case ContainerAction::Kill: r = c.kill(id, SIGKILL); break;
    case ContainerAction::Remove: r = c.remove(id, true); break;
    }
    if (!r && r.error().code() == Errc::NotModified) return {};  // already as asked
    return r;
}

Result<QString> run(Engine& engine, const RunFlags& flags, bool createOnly, std::stop_token) {
    RunRequest request = BERTH_TRY(parseRunFlags(flags));
    auto& c = engine.containers();
    auto created = BERTH_TRY(c.create(request));
    if (!createOnly)
        BERTH_TRYV_CTX(c.start(created.id), "start " + (request.name.empty() ? created.id.substr(0, 12) : request.name));
    return qs(created.id);
}

Result<QString> inspect(Engine& engine, const QString& id) {
    auto d = BERTH_TRY(engine.containers().inspect(id.toStdString()));
    // The engine's JSON (the object `berth inspect` prints in its array), indented.
    return QString::fromUtf8(QJsonDocument::fromJson(QByteArray::fromStdString(d.json)).toJson(QJsonDocument::Indented));
}

Result<ProcessTable> top(Engine& engine, const QString& id) {
    auto t = BERTH_TRY(engine.containers().top(id.toStdString()));
    ProcessTable out;
    for (const auto& s : t.titles) out.titles.append(qs(s));
    for (const auto& p : t.processes) {
        QStringList row;
        for (const auto& s : p) row.append(qs(s));
        out.rows.append(row);
    }
    return out;
}

} // namespace berth::ui::backend
