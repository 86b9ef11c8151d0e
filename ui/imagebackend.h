#pragma once
// The image calls the GUI makes, in one place: calls of the engine's front door
// (berth/images.h) turned into snapshots on a worker thread. Nothing here may run on the
// GUI thread.

#include "snapshots.h"

#include "berth/engine.h"

#include <QString>
#include <QStringList>

#include <functional>
#include <stop_token>

namespace berth::ui::backend {

// One row per name (an image with two tags gives two rows; an untagged one, one "<none>").
Result<QList<ImageRow>> listImages(Engine& engine);
Result<ImageDetails> imageDetails(Engine& engine, const QString& id);
Result<QString> inspectImage(Engine& engine, const QString& id);  // JSON text
VoidResult tagImage(Engine& engine, const QString& source, const QString& target);
// Returns a sentence-ready summary: the names untagged and ids deleted.
Result<QStringList> removeImage(Engine& engine, const QString& ref, bool force);
VoidResult saveImages(Engine& engine, const QStringList& refs, const QString& file,
                      const std::function<void(const std::string&)>& progress);
Result<QStringList> loadImages(Engine& engine, const QString& file, std::stop_token stop,
                               const std::function<void(const std::string&)>& progress);

} // namespace berth::ui::backend
