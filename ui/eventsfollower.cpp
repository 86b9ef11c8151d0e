#include "eventsfollower.h"

#include <QFile>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QJsonDocument>
#include <QJsonObject>

namespace berth::ui {

EventsFollower::EventsFollower(const QString& journalPath, QObject* parent)
    : QObject(parent), m_path(journalPath), m_watcher(new QFileSystemWatcher(this)) {
    qRegisterMetaType<berth::ui::StoreEvent>();
    // History is not news: start at the current end of the journal.
    m_offset = QFileInfo(m_path).size();
    m_coalesce.setSingleShot(true);
    m_coalesce.setInterval(100);
    connect(&m_coalesce, &QTimer::timeout, this, [this] {
        if (m_imagesDirty) emit imagesChanged();
        if (m_containersDirty) emit containersChanged();
        m_imagesDirty = m_containersDirty = false;
    });
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, [this] {
        poll();
        rewatch();  // a replaced or re-created file drops its watch
    });
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, [this] {
        rewatch();
        poll();
    });
    rewatch();
}

void EventsFollower::rewatch() {
    const QString dir = QFileInfo(m_path).absolutePath();
    if (!m_watcher->directories().contains(dir)) m_watcher->addPath(dir);
    if (QFileInfo::exists(m_path) && !m_watcher->files().contains(m_path))
        m_watcher->addPath(m_path);
}

bool EventsFollower::parseLine(const QByteArray& line, StoreEvent& out) {
    QJsonParseError err;
    const auto doc = QJsonDocument::fromJson(line, &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject()) return false;
    const auto o = doc.object();
    out.timeNano = qint64(o.value(QLatin1String("time")).toDouble());
    out.type = o.value(QLatin1String("type")).toString();
    out.action = o.value(QLatin1String("action")).toString();
    out.id = o.value(QLatin1String("id")).toString();
    out.name = o.value(QLatin1String("name")).toString();
    const auto attrs = o.value(QLatin1String("attributes")).toObject();
    for (auto it = attrs.begin(); it != attrs.end(); ++it)
        out.attributes.insert(it.key(), it.value().isString() ? it.value().toString()
                                                              : it.value().toVariant().toString());
    return !out.type.isEmpty();
}

void EventsFollower::poll() {
    QFile f(m_path);
    if (!f.open(QIODevice::ReadOnly)) return;
    const qint64 size = f.size();
    if (size < m_offset) {  // truncated or replaced: start over
        m_offset = 0;
        m_partial.clear();
    }
    if (size == m_offset) return;
    f.seek(m_offset);
    QByteArray data = f.read(size - m_offset);
    m_offset += data.size();
    data.prepend(m_partial);
    const int lastNl = data.lastIndexOf('\n');
    m_partial = data.mid(lastNl + 1);
    if (lastNl < 0) return;
    QList<StoreEvent> events;
    for (const QByteArray& line : QByteArrayView(data).first(lastNl).toByteArray().split('\n')) {
        StoreEvent e;
        if (line.trimmed().isEmpty() || !parseLine(line, e)) continue;
        if (e.type == QLatin1String("image")) m_imagesDirty = true;
        if (e.type == QLatin1String("container")) {
            m_containersDirty = true;
            if (e.action == QLatin1String("kill") || e.action == QLatin1String("stop")) {
                m_stopAsked.insert(e.id);  // the engine journals these before it signals
            } else if (e.action == QLatin1String("start")) {
                m_stopAsked.remove(e.id);
            } else if (e.action == QLatin1String("die")) {
                const QString code = e.attributes.value(QStringLiteral("exitCode"),
                                                        e.attributes.value(QStringLiteral("exit_code")));
                bool ok = false;
                const int exitCode = code.toInt(&ok);
                const bool byUser = m_stopAsked.remove(e.id) ||
                                    e.attributes.value(QStringLiteral("stopped")) == QLatin1String("true");
                if (ok && exitCode != 0 && !byUser) emit containerDied(e.id, e.name, exitCode);
            } else if (e.action == QLatin1String("oom")) {
                emit containerOomKilled(e.id, e.name);
            }
        }
        events.append(e);
    }
    if (!events.isEmpty()) {
        emit eventsArrived(events);
        if (!m_coalesce.isActive()) m_coalesce.start();
    }
}

} // namespace berth::ui
