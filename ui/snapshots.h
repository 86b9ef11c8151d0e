#pragma once
// Value snapshots that workers produce and models swap in. Plain data with Qt types so the
// GUI never holds engine objects; a worker fills them, the GUI thread only reads them.

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <cstdint>

namespace berth::ui {

struct ImageRow {
    QString id;          // "sha256:…"
    QString repository;  // "busybox" or "<none>"
    QString tag;         // "latest" or "<none>"
    QDateTime created;
    quint64 size = 0;
    int layerCount = 0;
    QString reference() const {
        return repository == QLatin1String("<none>") ? id : repository + QLatin1Char(':') + tag;
    }
};

struct LayerRow {
    int index = 0;
    QString diffId;
    quint64 size = 0;
    QString createdBy;
};

struct HistoryRow {
    QDateTime created;
    QString createdBy;
    QString comment;
    bool emptyLayer = false;
};

struct ImageDetails {
    QString id;
    QString architecture, os, author, workingDir, user, stopSignal;
    QDateTime created;
    QStringList env, entrypoint, cmd, exposedPorts, volumes;
    QMap<QString, QString> labels;
    QList<LayerRow> layers;
    QList<HistoryRow> history;
};

enum class ContainerState { Created, Running, Paused, Restarting, Exited, Dead, Unknown };

struct ContainerRow {
    QString id;
    QString name;
    QString image;
    QString command;
    ContainerState state = ContainerState::Unknown;
    int exitCode = 0;
    QDateTime created;
    QDateTime startedAt;
    QDateTime finishedAt;
    QStringList ports;   // "0.0.0.0:8080→80/tcp"
    QList<int> browserPorts;  // published TCP host ports ("Open in Browser" goes to 127.0.0.1:port)
    quint64 memoryLimit = 0;
    int pid = 0;
    bool oomKilled = false;  // its last run ended in the kernel's OOM kill
    // Its last run ended by a stop or kill someone asked for (the events journal's "stop" or
    // "kill" before its "die", or this window's own Stop): shown as stopped, not failed.
    bool stopRequested = false;
};

// One sample of one running container; cpuPercent is computed by the sampler from the
// previous sample (100 = one full core).
struct StatsSample {
    QString id;
    QString name;
    qint64 timeMs = 0;  // since epoch
    double cpuPercent = 0;
    quint64 cpuUsageNs = 0;
    quint64 memoryUsage = 0;
    quint64 memoryLimit = 0;
    quint64 netRx = 0, netTx = 0;
    quint64 blockRead = 0, blockWrite = 0;
    quint64 pids = 0;
};

struct HostSample {
    qint64 timeMs = 0;
    double cpuPercent = 0;  // all cores, 0..100
    quint64 memTotal = 0;
    quint64 memUsed = 0;
    int cpuCount = 1;
};

struct ProcessTable {
    QStringList titles;
    QList<QStringList> rows;
};

QString stateName(ContainerState s);  // translated

} // namespace berth::ui

Q_DECLARE_METATYPE(berth::ui::ImageRow)
Q_DECLARE_METATYPE(berth::ui::ContainerRow)
Q_DECLARE_METATYPE(berth::ui::StatsSample)
Q_DECLARE_METATYPE(berth::ui::HostSample)
