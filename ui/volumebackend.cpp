#include "volumebackend.h"

#include <nlohmann/json.hpp>

namespace berth::ui::backend {

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

QMap<QString, QString> qmap(const std::map<std::string, std::string>& m) {
    QMap<QString, QString> out;
    for (const auto& [k, v] : m) out.insert(qs(k), qs(v));
    return out;
}

} // namespace

Result<QList<VolumeRow>> listVolumes(Engine& engine) {
    auto volumes = BERTH_TRY(engine.volumes().list());
    auto users = BERTH_TRY(engine.containers().volumeUsers());
    std::map<std::string, std::string> names;
    if (auto all = engine.containers().list(true))
        for (const auto& c : *all) names[c.id] = c.name;
    QList<VolumeRow> rows;
    for (const auto& v : volumes) {
        VolumeRow r;
        r.name = qs(v.name);
        r.driver = qs(v.driver);
        r.mountpoint = qs(v.mountpoint.string());
        r.created = QDateTime::fromString(qs(v.createdAt), Qt::ISODate);
        r.anonymous = v.anonymous;
        r.labels = qmap(v.labels);
        r.options = qmap(v.options);
        if (auto it = users.find(v.name); it != users.end())
            for (const auto& id : it->second) {
                r.userIds.append(qs(id));
                auto n = names.find(id);
                r.userNames.append(n != names.end() ? qs(n->second) : qs(id.substr(0, 12)));
            }
        rows.append(std::move(r));
    }
    return rows;
}

Result<QString> createVolume(Engine& engine, const QString& name, const QStringList& labels) {
    volume::CreateRequest req;
    req.name = name.trimmed().toStdString();
    for (const QString& l : labels) {
        const qsizetype eq = l.indexOf(QLatin1Char('='));
        const QString key = (eq < 0 ? l : l.left(eq)).trimmed();
        if (key.isEmpty()) return std::unexpected(Error(Errc::InvalidArgument, "label \"" + l.toStdString() + "\" has no key"));
        req.labels[key.toStdString()] = eq < 0 ? std::string() : l.mid(eq + 1).trimmed().toStdString();
    }
    auto v = BERTH_TRY(engine.volumes().create(req));
    return qs(v.name);
}

VoidResult removeVolume(Engine& engine, const QString& name) { return engine.volumes().remove(name.toStdString()); }

Result<VolumePruneResult> pruneVolumes(Engine& engine, bool all) {
    auto rep = BERTH_TRY(engine.volumes().prune(all));
    VolumePruneResult out;
    for (const auto& n : rep.removed) out.removed.append(qs(n));
    out.reclaimedBytes = rep.reclaimedBytes;
    return out;
}

Result<QString> inspectVolume(Engine& engine, const QString& name) {
    auto& volumes = engine.volumes();
    auto v = BERTH_TRY(volumes.inspect(name.toStdString()));
    auto users = BERTH_TRY(volumes.users(v.name));
    nlohmann::json j{{"CreatedAt", v.createdAt},  {"Driver", v.driver}, {"Labels", v.labels},
                     {"Mountpoint", v.mountpoint.string()}, {"Name", v.name}, {"Options", v.options},
                     {"Scope", "local"}, {"Anonymous", v.anonymous}, {"UsedBy", users},
                     {"Size", volumes.size(v.name)}};
    return qs(j.dump(2));
}

} // namespace berth::ui::backend
