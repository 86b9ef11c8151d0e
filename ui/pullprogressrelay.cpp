#include "pullprogressrelay.h"

#include <QMetaObject>

#include <chrono>
#include <memory>
#include <mutex>

namespace berth::ui {

namespace {

struct RelayState {
    std::mutex mutex;
    PullSnapshot snapshot;
    bool pending = false;
    std::chrono::steady_clock::time_point lastPost{};
};

} // namespace

PullProgressFn PullProgressRelay::make(QObject* context, std::function<void(const PullSnapshot&)> deliver,
                                                 int intervalMs) {
    auto state = std::make_shared<RelayState>();
    auto sink = std::make_shared<std::function<void(const PullSnapshot&)>>(std::move(deliver));
    const auto interval = std::chrono::milliseconds(intervalMs);
    return [context, state, sink, interval](const PullProgress& p) {
        bool post = false;
        {
            std::lock_guard lock(state->mutex);
            auto& snap = state->snapshot;
            ++snap.events;
            bool stateChanged = true;
            switch (p.kind) {
            case PullProgress::Kind::Resolved:
                snap.resolved = QString::fromStdString(p.message);
                break;
            case PullProgress::Kind::Message:
                snap.messages.append(QString::fromStdString(p.message));
                break;
            case PullProgress::Kind::Layer: {
                const QString id = QString::fromStdString(p.layerId);
                PullLayerRow* row = nullptr;
                for (auto& r : snap.layers)
                    if (r.id == id) row = &r;
                if (!row) {
                    snap.layers.append(PullLayerRow{id, p.state, 0, 0});
                    row = &snap.layers.last();
                } else {
                    stateChanged = row->state != p.state;
                }
                row->state = p.state;
                // Extraction reports no bytes: keep the download's figures for the bar.
                if (p.total > 0 || p.current > 0) {
                    row->current = p.current;
                    row->total = p.total;
                }
                break;
            }
            }
            const auto now = std::chrono::steady_clock::now();
            if (!state->pending && (stateChanged || now - state->lastPost >= interval)) {
                state->pending = true;
                state->lastPost = now;
                ++snap.deliveries;
                post = true;
            }
        }
        if (!post) return;
        QMetaObject::invokeMethod(
            context,
            [state, sink] {
                PullSnapshot copy;
                {
                    std::lock_guard lock(state->mutex);
                    copy = state->snapshot;
                    state->pending = false;
                }
                (*sink)(copy);
            },
            Qt::QueuedConnection);
    };
}

} // namespace berth::ui
