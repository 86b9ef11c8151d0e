#pragma once
// StatsSampler: the one sampler for all running containers (and the host totals). Every
// interval (1 s by default) it runs one job that reads every running container's counters,
// then turns cumulative CPU time into a percentage against the previous sample with the
// engine's one formula (berth::cpuPercent, the same as `berth stats`).
// The window stops it while hidden or minimised, so an idle Berth costs nothing.

#include "hoststats.h"
#include "snapshots.h"

#include "berth/containers.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <memory>
#include <mutex>

namespace berth::ui {

class EngineClient;

class StatsSampler : public QObject {
    Q_OBJECT
public:
    explicit StatsSampler(EngineClient* client, QObject* parent = nullptr);

    void setIntervalMs(int ms);
    int intervalMs() const { return m_timer.interval(); }
    void setActive(bool active);
    bool isActive() const { return m_timer.isActive(); }
    // Takes one sample now (also used by tests).
    void sampleNow();
    // One engine sample as the window shows it; CPU % by berth::cpuPercent against
    // `previous` (nullptr: the average since the container started).
    static StatsSample toSample(const ContainerStats& s, const ContainerStats* previous);

signals:
    void sampled(const QList<berth::ui::StatsSample>& containers, const berth::ui::HostSample& host);

private:
    void deliver(std::vector<ContainerStats> samples, HostSample host);

    EngineClient* m_client;
    QTimer m_timer;
    bool m_inFlight = false;
    QHash<QString, ContainerStats> m_prev;
    // HostStats keeps counters between samples; only one sampling job runs at a time.
    std::shared_ptr<HostStats> m_host;
};

} // namespace berth::ui
