#include "statssampler.h"

#include "containerbackend.h"
#include "engineclient.h"

namespace berth::ui {

StatsSampler::StatsSampler(EngineClient* client, QObject* parent)
    : QObject(parent), m_client(client), m_host(std::make_shared<HostStats>()) {
    qRegisterMetaType<berth::ui::StatsSample>();
    qRegisterMetaType<berth::ui::HostSample>();
    m_timer.setInterval(1000);
    m_timer.setTimerType(Qt::CoarseTimer);
    connect(&m_timer, &QTimer::timeout, this, &StatsSampler::sampleNow);
}

void StatsSampler::setIntervalMs(int ms) { m_timer.setInterval(qBound(200, ms, 60000)); }

void StatsSampler::setActive(bool active) {
    if (active == m_timer.isActive()) return;
    if (active) {
        m_timer.start();
        sampleNow();
    } else {
        m_timer.stop();
        m_prev.clear();  // a gap must not read as one long CPU burst
    }
}

void StatsSampler::sampleNow() {
    if (m_inFlight) return;  // a slow sample must not pile up behind itself
    m_inFlight = true;
    auto host = m_host;
    struct Out {
        QList<StatsSample> samples;
        HostSample host;
    };
    m_client->submit(
        QString(), QStringLiteral("stats"), this,
        [host](Engine& engine, std::stop_token, const ProgressFn&) -> Result<Out> {
            Out out;
            out.host = host->sample();
            auto s = backend::sample(engine);
            if (s) out.samples = std::move(*s);
            return out;
        },
        [this](Out out) {
            m_inFlight = false;
            deliver(std::move(out.samples), out.host);
        },
        [this](const Error&) { m_inFlight = false; });
}

void StatsSampler::deliver(QList<StatsSample> samples, HostSample host) {
    QHash<QString, Prev> next;
    for (StatsSample& s : samples) {
        auto it = m_prev.constFind(s.id);
        if (it != m_prev.constEnd() && s.timeMs > it->timeMs && s.cpuUsageNs >= it->cpuNs) {
            const double wallNs = double(s.timeMs - it->timeMs) * 1e6;
            s.cpuPercent = 100.0 * double(s.cpuUsageNs - it->cpuNs) / wallNs;
        }
        next.insert(s.id, Prev{s.cpuUsageNs, s.timeMs});
    }
    m_prev = std::move(next);
    emit sampled(samples, host);
}

} // namespace berth::ui
