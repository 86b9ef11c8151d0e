#include "imagebackend.h"

#include "berth/engine.h"

#include <QDateTime>

#include <filesystem>
#include <system_error>

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

// Bytes of regular files under a layer directory (symlinks and whiteouts count nothing).
quint64 directoryBytes(const std::filesystem::path& dir) {
    namespace fs = std::filesystem;
    std::error_code ec;
    quint64 total = 0;
    for (fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
         !ec && it != end; it.increment(ec)) {
        std::error_code e2;
        if (it->is_regular_file(e2) && !it->is_symlink(e2)) total += it->file_size(e2);
    }
    return total;
}

} // namespace

Result<QList<ImageRow>> listImages(Engine& engine) {
    auto list = BERTH_TRY(engine.images().list());
    QList<ImageRow> rows;
    for (const auto& img : list) {
        ImageRow base;
        base.id = qs(img.id.str());
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
    auto summary = BERTH_TRY(engine.images().resolve(ref.toStdString()));
    auto cfg = BERTH_TRY(engine.images().config(summary.id));
    auto paths = BERTH_TRY(engine.images().layerPaths(summary.id));
    ImageDetails d;
    d.id = qs(summary.id.str());
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
    QStringList layerCreatedBy;
    for (const auto& h : cfg.history) {
        d.history.append(HistoryRow{parseTime(h.created), qs(h.createdBy), qs(h.comment), h.emptyLayer});
        if (!h.emptyLayer) layerCreatedBy.append(qs(h.createdBy));
    }
    for (size_t i = 0; i < paths.size(); ++i) {
        LayerRow l;
        l.index = int(i);
        l.diffId = i < cfg.diffIds.size() ? qs(cfg.diffIds[i]) : QString();
        l.path = qs(paths[i].string());
        l.size = directoryBytes(paths[i]);
        l.createdBy = int(i) < layerCreatedBy.size() ? layerCreatedBy[int(i)] : QString();
        d.layers.append(l);
    }
    return d;
}

Result<QString> inspectImage(Engine& engine, const QString& ref) {
    auto summary = BERTH_TRY(engine.images().resolve(ref.toStdString()));
    auto j = BERTH_TRY(engine.images().inspect(summary.id));
    return qs(j.dump(2));
}

VoidResult tagImage(Engine& engine, const QString& source, const QString& target) {
    return engine.images().tag(source.toStdString(), target.trimmed().toStdString());
}

Result<QStringList> removeImage(Engine& engine, const QString& ref, bool force) {
    auto report = BERTH_TRY(engine.images().remove(ref.toStdString(), force));
    QStringList out = toQ(report.untagged);
    for (const auto& d : report.deleted) out.append(qs(d.str()));
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
    image::LoadOptions options;
    options.progress = progress;
    options.stop = stop;
    auto result = BERTH_TRY(engine.images().load(file.toStdString(), options));
    QStringList names;
    for (const auto& img : result.images) {
        if (img.names.empty()) names.append(qs(img.id.shortId()));
        for (const auto& n : img.names) names.append(qs(n));
    }
    return names;
}

} // namespace berth::ui::backend
