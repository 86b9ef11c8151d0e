#pragma once
// EventsFollower: follows the store's append-only events journal with inotify (through
// QFileSystemWatcher), so what the CLI or another window does shows up at once, without
// polling. It remembers the byte offset it has read up to and reads only what was appended;
// a torn last line waits for its newline. Reading a few appended lines is cheap enough for
// the GUI thread. Bursts are coalesced into one imagesChanged/containersChanged per 100 ms.

#include "storeevent.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QSet>
#include <QTimer>

class QFileSystemWatcher;

namespace berth::ui {

class EventsFollower : public QObject {
    Q_OBJECT
public:
    explicit EventsFollower(const QString& journalPath, QObject* parent = nullptr);

    // Reads whatever was appended since the last read (also called by the watcher).
    void poll();
    qint64 offset() const { return m_offset; }

    static bool parseLine(const QByteArray& line, StoreEvent& out);

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
    void rewatch();

    QString m_path;
    QFileSystemWatcher* m_watcher;
    qint64 m_offset = 0;
    QByteArray m_partial;
    QTimer m_coalesce;
    bool m_imagesDirty = false;
    bool m_containersDirty = false;
    QSet<QString> m_stopAsked;  // ids killed or stopped by a client since their last start
};

} // namespace berth::ui
