#pragma once
// The Volumes page's engine calls, run on EngineClient's workers: snapshots of the
// volumes with the containers using them, create, remove, prune, inspect text.

#include "volumesmodel.h"

#include "berth/engine.h"

#include <QList>
#include <QMap>
#include <QString>

namespace berth::ui::backend {

struct VolumePruneResult {
    QStringList removed;
    quint64 reclaimedBytes = 0;
};

Result<QList<VolumeRow>> listVolumes(Engine& engine);
// labels: "key=value" lines.
Result<QString> createVolume(Engine& engine, const QString& name, const QStringList& labels);
// A removal the engine refused because containers use the volume: their names (the
// engine's message gives ids) and the engine's message.
struct VolumeRefusal {
    QStringList usedBy;
    QString reason;
};
// Removed: an empty VolumeRefusal; refused as in use: who uses it; any other failure: the error.
Result<VolumeRefusal> removeVolume(Engine& engine, const QString& name);
Result<VolumePruneResult> pruneVolumes(Engine& engine, bool all);
// docker volume inspect's JSON, with the containers using it.
Result<QString> inspectVolume(Engine& engine, const QString& name);

} // namespace berth::ui::backend
