#include "statssampler.h"

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
        std::vector<ContainerStats> samples;
        HostSample host;
    };
    m_client->submit(
        QString(), QStringLiteral("stats"), this,
        [host](Engine& engine, std::stop_token, const ProgressFn&) -> Result<Out> {
            Out out;
            out.host = host->sample();
            if (auto s = engine.containers().stats()) out.samples = std::move(*s);
            return out;
        },
        [this](Out out) {
            m_inFlight = false;
            deliver(std::move(out.samples), out.host);
        },
        [this](const Error&) { m_inFlight = false; });
}

StatsSample StatsSampler::toSample(const ContainerStats& s, const ContainerStats* previous) {
    StatsSample x;
    x.id = QString::fromStdString(s.id);
    x.name = QString::fromStdString(s.name);
    x.timeMs = s.timeNano / 1000000;
    x.cpuPercent = cpuPercent(previous, s);
    x.cpuUsageNs = s.cpuUsageNs;
    x.memoryUsage = s.memoryUsage;
    x.memoryLimit = s.memoryLimit;
    x.netRx = s.netRx;
    x.netTx = s.netTx;
    x.blockRead = s.blkioRead;
    x.blockWrite = s.blkioWrite;
    x.pids = s.pids;
    return x;
}

void StatsSampler::deliver(std::vector<ContainerStats> samples, HostSample host) {
    QHash<QString, ContainerStats> next;
    QList<StatsSample> out;
    for (ContainerStats& s : samples) {
        const QString id = QString::fromStdString(s.id);
        auto it = m_prev.constFind(id);
        out.append(toSample(s, it != m_prev.constEnd() ? &*it : nullptr));
        next.insert(id, std::move(s));
    }
    m_prev = std::move(next);
    emit sampled(out, host);
}

} // namespace berth::ui
