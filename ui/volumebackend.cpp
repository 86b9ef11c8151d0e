#include "volumebackend.h"

#include "berth/run_flags.h"

#include <QJsonDocument>

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
    std::map<std::string, std::string> names;
    if (auto all = engine.containers().list(true))
        for (const auto& c : *all) names[c.id] = c.name;
    QList<VolumeRow> rows;
    for (const auto& [v, usedBy] : volumes) {
        VolumeRow r;
        r.name = qs(v.name);
        r.driver = qs(v.driver);
        r.mountpoint = qs(v.mountpoint.string());
        r.created = QDateTime::fromString(qs(v.createdAt), Qt::ISODate);
        r.anonymous = v.anonymous;
        r.labels = qmap(v.labels);
        r.options = qmap(v.options);
        for (const auto& id : usedBy) {
            r.userIds.append(qs(id));
            auto n = names.find(id);
            r.userNames.append(n != names.end() ? qs(n->second) : qs(id.substr(0, 12)));
        }
        rows.append(std::move(r));
    }
    return rows;
}

Result<QString> createVolume(Engine& engine, const QString& name, const QStringList& labels) {
    VolumeCreateRequest req;
    req.name = name.trimmed().toStdString();
    for (const QString& l : labels) {
        auto kv = BERTH_TRY(parseLabel(l.trimmed().toStdString()));
        req.labels[kv.first] = kv.second;
    }
    auto v = BERTH_TRY(engine.volumes().create(req));
    return qs(v.name);
}

Result<VolumeRefusal> removeVolume(Engine& engine, const QString& name) {
    auto removed = engine.volumes().remove(name.toStdString());
    if (removed) return VolumeRefusal{};
    if (removed.error().code() != Errc::Conflict) return std::unexpected(removed.error());
    VolumeRefusal refusal{{}, qs(removed.error().message())};
    if (auto rows = listVolumes(engine))
        for (const VolumeRow& r : *rows)
            if (r.name == name) refusal.usedBy = r.userNames;
    if (refusal.usedBy.isEmpty()) return std::unexpected(removed.error());  // no longer listed as used: as it came
    return refusal;
}

Result<VolumePruneResult> pruneVolumes(Engine& engine, bool all) {
    auto rep = BERTH_TRY(engine.volumes().prune(all));
    VolumePruneResult out;
    for (const auto& n : rep.removed) out.removed.append(qs(n));
    out.reclaimedBytes = rep.reclaimedBytes;
    return out;
}

Result<QString> inspectVolume(Engine& engine, const QString& name) {
    auto d = BERTH_TRY(engine.volumes().inspect(name.toStdString()));
    return QString::fromUtf8(QJsonDocument::fromJson(QByteArray::fromStdString(d.json)).toJson(QJsonDocument::Indented));
}

} // namespace berth::ui::backend
