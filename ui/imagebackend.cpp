#include "imagebackend.h"

#include <QDateTime>
#include <QJsonDocument>

namespace berth::ui::backend {

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

QStringList toQ(const std::vector<std::string>& v) {
    QStringList out;
    for (const auto& s : v) out.append(qs(s));
    return out;
}

QDateTime parseTime(const std::string& s) {
    return QDateTime::fromString(qs(s), Qt::ISODateWithMs);
}

} // namespace

Result<QList<ImageRow>> listImages(Engine& engine) {
    auto list = BERTH_TRY(engine.images().list());
    QList<ImageRow> rows;
    for (const auto& img : list) {
        ImageRow base;
        base.id = qs(img.id);
        base.created = parseTime(img.created);
        base.size = img.size;
        base.layerCount = int(img.layerCount);
        if (img.repoTags.empty()) {
            base.repository = base.tag = QStringLiteral("<none>");
            rows.append(base);
            continue;
        }
        for (const auto& name : img.repoTags) {
            ImageRow r = base;
            const QString n = qs(name);
            // The tag follows the last ':' after the last '/' (a registry port is not a tag).
            const int slash = n.lastIndexOf(QLatin1Char('/'));
            const int colon = n.lastIndexOf(QLatin1Char(':'));
            if (colon > slash) {
                r.repository = n.left(colon);
                r.tag = n.mid(colon + 1);
            } else {
                r.repository = n;
                r.tag = QStringLiteral("latest");
            }
            rows.append(r);
        }
    }
    return rows;
}

Result<ImageDetails> imageDetails(Engine& engine, const QString& ref) {
    auto details = BERTH_TRY(engine.images().inspect(ref.toStdString()));
    const auto& cfg = details.config;
    ImageDetails d;
    d.id = qs(details.summary.id);
    d.architecture = qs(cfg.architecture);
    d.os = qs(cfg.os);
    d.author = qs(cfg.author);
    d.workingDir = qs(cfg.workingDir);
    d.user = qs(cfg.user);
    d.stopSignal = qs(cfg.stopSignal);
    d.created = parseTime(cfg.created);
    d.env = toQ(cfg.env);
    d.entrypoint = toQ(cfg.entrypoint);
    d.cmd = toQ(cfg.cmd);
    d.exposedPorts = toQ(cfg.exposedPorts);
    d.volumes = toQ(cfg.volumes);
    for (const auto& [k, v] : cfg.labels) d.labels.insert(qs(k), qs(v));
    for (const auto& h : cfg.history)
        d.history.append(HistoryRow{parseTime(h.created), qs(h.createdBy), qs(h.comment), h.emptyLayer});
    for (size_t i = 0; i < details.layers.size(); ++i) {
        const auto& l = details.layers[i];
        d.layers.append(LayerRow{int(i), qs(l.diffId), l.size, qs(l.createdBy)});
    }
    return d;
}

Result<QString> inspectImage(Engine& engine, const QString& ref) {
    auto d = BERTH_TRY(engine.images().inspect(ref.toStdString()));
    return QString::fromUtf8(QJsonDocument::fromJson(QByteArray::fromStdString(d.json)).toJson(QJsonDocument::Indented));
}

VoidResult tagImage(Engine& engine, const QString& source, const QString& target) {
    return engine.images().tag(source.toStdString(), target.trimmed().toStdString());
}

Result<QStringList> removeImage(Engine& engine, const QString& ref, bool force) {
    auto report = BERTH_TRY(engine.images().remove(ref.toStdString(), force));
    QStringList out = toQ(report.untagged);
    for (const auto& d : report.deleted) out.append(qs(d));
    return out;
}

VoidResult saveImages(Engine& engine, const QStringList& refs, const QString& file,
                      const std::function<void(const std::string&)>& progress) {
    std::vector<std::string> r;
    for (const QString& s : refs) r.push_back(s.toStdString());
    return engine.images().save(r, file.toStdString(), progress);
}

Result<QStringList> loadImages(Engine& engine, const QString& file, std::stop_token stop,
                               const std::function<void(const std::string&)>& progress) {
    auto loaded = BERTH_TRY(engine.images().load(file.toStdString(), progress, stop));
    QStringList names;
    for (const auto& img : loaded) {
        if (img.names.empty()) names.append(qs(img.id.substr(img.id.find(':') + 1, 12)));
        for (const auto& n : img.names) names.append(qs(n));
    }
    return names;
}

} // namespace berth::ui::backend
