#pragma once
// EventsFollower: follows the store's events journal through the engine's EventStream
// (berth/system.h: the engine's parser, an inotify fd watched with a QSocketNotifier), so
// what the CLI or another window does shows up at once, without polling. Reading a few
// appended events is cheap enough for the GUI thread. Bursts are coalesced into one
// imagesChanged/containersChanged per 100 ms.

#include "storeevent.h"

#include "berth/system.h"

#include <QList>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <memory>

class QSocketNotifier;

namespace berth::ui {

class EventsFollower : public QObject {
    Q_OBJECT
public:
    // From the stream's position on (the engine opens it at the journal's end: history is
    // not news). A null stream follows nothing.
    explicit EventsFollower(std::unique_ptr<EventStream> stream, QObject* parent = nullptr);
    ~EventsFollower() override;

    // Reads whatever was appended since the last read (also called when the fd fires).
    void poll();

    static StoreEvent toStoreEvent(const Event& e);

    // The container's last die came after a "stop" or "kill" (from any client) seen while
    // the window was open.
    bool stoppedOnRequest(const QString& id) const { return m_stoppedOnRequest.contains(id); }

signals:
    void eventsArrived(const QList<berth::ui::StoreEvent>& events);
    void imagesChanged();
    void containersChanged();
    // A container's main process ended with a non-zero code, not by a user's stop: not
    // after a journaled "kill" or "stop" (any client: this window, the CLI, another
    // window) since its last start.
    void containerDied(const QString& id, const QString& name, int exitCode);
    void containerOomKilled(const QString& id, const QString& name);

private:
    void track(const StoreEvent& e);

    std::unique_ptr<EventStream> m_stream;
    QSocketNotifier* m_notifier = nullptr;
    QTimer m_coalesce;
    bool m_imagesDirty = false;
    bool m_containersDirty = false;
    QSet<QString> m_stopAsked;  // ids killed or stopped by a client since their last start
    QSet<QString> m_stoppedOnRequest;  // ids whose last die followed such a request
};

} // namespace berth::ui
