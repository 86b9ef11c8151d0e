#include "eventsfollower.h"

#include <QSocketNotifier>

namespace berth::ui {

EventsFollower::EventsFollower(std::unique_ptr<EventStream> stream, QObject* parent)
    : QObject(parent), m_stream(std::move(stream)) {
    qRegisterMetaType<berth::ui::StoreEvent>();
    m_coalesce.setSingleShot(true);
    m_coalesce.setInterval(100);
    connect(&m_coalesce, &QTimer::timeout, this, [this] {
        if (m_imagesDirty) emit imagesChanged();
        if (m_containersDirty) emit containersChanged();
        m_imagesDirty = m_containersDirty = false;
    });
    if (m_stream && m_stream->fd() >= 0) {
        m_notifier = new QSocketNotifier(m_stream->fd(), QSocketNotifier::Read, this);
        connect(m_notifier, &QSocketNotifier::activated, this, [this] {
            m_stream->drainChanges();
            poll();
        });
    }
}

EventsFollower::~EventsFollower() = default;

StoreEvent EventsFollower::toStoreEvent(const Event& e) {
    StoreEvent out;
    out.timeNano = e.timeNano;
    out.type = QString::fromStdString(e.type);
    out.action = QString::fromStdString(e.action);
    out.id = QString::fromStdString(e.id);
    out.name = QString::fromStdString(e.name);
    for (const auto& [k, v] : e.attributes) out.attributes.insert(QString::fromStdString(k), QString::fromStdString(v));
    return out;
}

void EventsFollower::track(const StoreEvent& e) {
    if (e.type == QLatin1String("image")) m_imagesDirty = true;
    if (e.type != QLatin1String("container")) return;
    m_containersDirty = true;
    if (e.action == QLatin1String("kill") || e.action == QLatin1String("stop")) {
        m_stopAsked.insert(e.id);  // the engine journals these before it signals
    } else if (e.action == QLatin1String("start")) {
        m_stopAsked.remove(e.id);
        m_stoppedOnRequest.remove(e.id);
    } else if (e.action == QLatin1String("die")) {
        const QString code = e.attributes.value(QStringLiteral("exitCode"), e.attributes.value(QStringLiteral("exit_code")));
        bool ok = false;
        const int exitCode = code.toInt(&ok);
        const bool byUser = m_stopAsked.remove(e.id);
        if (byUser) m_stoppedOnRequest.insert(e.id);
        else m_stoppedOnRequest.remove(e.id);
        if (ok && exitCode != 0 && !byUser) emit containerDied(e.id, e.name, exitCode);
    } else if (e.action == QLatin1String("oom")) {
        emit containerOomKilled(e.id, e.name);
    }
}

void EventsFollower::poll() {
    if (!m_stream) return;
    auto read = m_stream->read();
    if (!read || read->empty()) return;
    QList<StoreEvent> events;
    for (const Event& raw : *read) {
        if (raw.type.empty()) continue;
        StoreEvent e = toStoreEvent(raw);
        track(e);
        events.append(e);
    }
    if (!events.isEmpty()) {
        emit eventsArrived(events);
        if (!m_coalesce.isActive()) m_coalesce.start();
    }
}

} // namespace berth::ui
