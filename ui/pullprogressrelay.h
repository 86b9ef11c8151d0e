#pragma once
// PullProgressRelay: carries Images::pull() progress from the worker thread to the
// GUI thread without flooding it. The worker's callback folds every event into one snapshot
// (per layer: state, bytes, total) under a mutex, and posts at most one queued delivery at a
// time, and no more often than every `intervalMs` for byte counts alone (a layer's state
// change is posted at once). The delivery reads the newest snapshot, so nothing is lost by
// throttling: only intermediate byte counts are skipped.

#include "berth/images.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>

namespace berth::ui {

struct PullLayerRow {
    QString id;  // first 12 hex of the layer digest
    LayerState state = LayerState::Waiting;
    quint64 current = 0;
    quint64 total = 0;
};

struct PullSnapshot {
    QString resolved;       // "latest: Pulling from library/busybox"
    QStringList messages;   // other lines, in order
    QList<PullLayerRow> layers;  // in the order they were first reported
    quint64 events = 0;     // progress events folded in so far
    quint64 deliveries = 0; // deliveries posted so far (tests compare the two)
};

class PullProgressRelay {
public:
    // `context` must outlive the worker (EngineClient does: it waits for its pool); the
    // delivery runs on its thread. `deliver` gets the newest snapshot.
    static PullProgressFn make(QObject* context, std::function<void(const PullSnapshot&)> deliver,
                                         int intervalMs = 100);
};

} // namespace berth::ui
