#include "networkbackend.h"

#include <QJsonDocument>

namespace berth::ui::backend {

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

NetworkRow toRow(const NetworkInfo& n, const std::map<std::string, std::string>& names) {
    NetworkRow r;
    r.name = qs(n.name);
    r.id = qs(n.id);
    r.driver = qs(n.driver);
    r.subnet = qs(n.subnet);
    r.gateway = qs(n.gateway);
    r.bridge = qs(n.bridge);
    r.internal = n.internal;
    r.builtin = n.builtin;
    r.created = QDateTime::fromString(qs(n.created), Qt::ISODate);
    for (const auto& [k, v] : n.labels) r.labels.insert(qs(k), qs(v));
    for (const auto& e : n.containers) {
        NetworkEndpointRow ep;
        ep.containerId = qs(e.containerId);
        ep.containerName = qs(e.containerName);
        if (!e.ipAddress.empty())
            ep.ipAddress = e.prefixLength ? QStringLiteral("%1/%2").arg(qs(e.ipAddress)).arg(e.prefixLength) : qs(e.ipAddress);
        r.endpoints.append(ep);
    }
    for (const auto& id : n.members) {
        auto it = names.find(id);
        r.memberNames.append(it != names.end() ? qs(it->second) : qs(id.substr(0, 12)));
    }
    return r;
}

} // namespace

Result<QList<NetworkRow>> listNetworks(Engine& engine) {
    auto nets = BERTH_TRY(engine.networks().list());
    std::map<std::string, std::string> names;
    if (auto all = engine.containers().list(true))
        for (const auto& c : *all) names[c.id] = c.name;
    QList<NetworkRow> rows;
    for (const auto& n : nets) rows.append(toRow(n, names));
    return rows;
}

Result<QString> createNetwork(Engine& engine, const NetworkCreateRequest& request) {
    CreateNetworkOptions o;
    o.name = request.name.trimmed().toStdString();
    o.subnet = request.subnet.trimmed().toStdString();
    o.gateway = request.gateway.trimmed().toStdString();
    o.internal = request.internal;
    auto n = BERTH_TRY(engine.networks().create(o));
    return qs(n.name);
}

VoidResult removeNetwork(Engine& engine, const QString& name) { return engine.networks().remove(name.toStdString()); }

Result<QStringList> pruneNetworks(Engine& engine) {
    auto rep = BERTH_TRY(engine.networks().prune());
    QStringList out;
    for (const auto& n : rep.removed) out.append(qs(n));
    return out;
}

Result<QString> inspectNetwork(Engine& engine, const QString& name) {
    auto n = BERTH_TRY(engine.networks().inspect(name.toStdString()));
    return QString::fromUtf8(QJsonDocument::fromJson(QByteArray::fromStdString(n.json)).toJson(QJsonDocument::Indented));
}

} // namespace berth::ui::backend
