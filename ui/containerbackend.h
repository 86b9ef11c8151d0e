#pragma once
// The container calls the GUI makes, in one place: each turns a call of the engine's
// front door (berth/containers.h) into snapshots (Qt value types) on a worker thread.
// Nothing here may run on the GUI thread.

#include "snapshots.h"

#include "berth/engine.h"
#include "berth/run_flags.h"

#include <QString>

#include <stop_token>

namespace berth::ui::backend {

enum class ContainerAction { Start, Stop, Restart, Pause, Unpause, Kill, Remove };

Result<QList<ContainerRow>> listContainers(Engine& engine);
// Already in the state asked for (Errc::NotModified) is success.
VoidResult act(Engine& engine, ContainerAction action, const QString& id, std::stop_token stop);
// The Run… dialog's flags through the engine's one parser (berth::parseRunFlags), then
// create, and start unless `createOnly`. Returns the id.
Result<QString> run(Engine& engine, const RunFlags& flags, bool createOnly, std::stop_token stop);
// docker inspect's object, as `berth inspect` prints it (indented).
Result<QString> inspect(Engine& engine, const QString& id);
Result<ProcessTable> top(Engine& engine, const QString& id);
// A list row from the engine's summary (ports as published: "0.0.0.0:8080→80/tcp").
ContainerRow toRow(const ContainerSummary& s);

} // namespace berth::ui::backend
