#pragma once
// The Networks page's engine calls, run on EngineClient's workers.

#include "networksmodel.h"

#include "berth/engine.h"

namespace berth::ui::backend {

struct NetworkCreateRequest {
    QString name;
    QString subnet;   // "" = the next free one
    QString gateway;  // "" = the subnet's first address
    bool internal = false;
};

Result<QList<NetworkRow>> listNetworks(Engine& engine);
Result<QString> createNetwork(Engine& engine, const NetworkCreateRequest& request);
VoidResult removeNetwork(Engine& engine, const QString& name);
Result<QStringList> pruneNetworks(Engine& engine);
Result<QString> inspectNetwork(Engine& engine, const QString& name);  // JSON text

} // namespace berth::ui::backend
