#pragma once
// The container calls the GUI makes, in one place: each turns an engine call into snapshots
// (Qt value types) on a worker thread. Nothing here may run on the GUI thread.

#include "snapshots.h"
#include "container/container_options.h"
#include "sys/error.h"

#include <QString>
#include <QStringList>

#include <stop_token>

namespace berth {
class Engine;
}

namespace berth::ui::backend {

enum class ContainerAction { Start, Stop, Restart, Pause, Unpause, Kill, Remove };

struct RunOptions {
    QString image;
    QString name;
    QStringList command;  // empty: the image's default
    QString entrypoint;
    QStringList env;      // "K=V"
    QStringList publish;  // "8080:80/tcp"
    QString workdir;
    QString user;
    QString hostname;
    QString restartPolicy;  // "no", "always", "on-failure", "unless-stopped"
    QString memory;  // "256m", docker units; empty = unlimited
    QString cpus;    // "0.5"; empty = unlimited
    qint64 pidsLimit = 0;
    bool readOnly = false;
    bool privileged = false;
    bool remove = false;  // --rm
    bool start = true;    // run (create + start) or only create
    // The rest of `berth run`'s options (the Run dialog's "More" tab).
    int restartMaxRetries = 0;  // on-failure:N
    bool tty = false;           // -t
    QString memorySwap;         // "512m", "-1" = unlimited swap
    qint64 cpuShares = 0;       // 0 = default
    QString cpusetCpus;         // "0-1"
    QStringList tmpfs;          // "/run:size=64m"
    QStringList capAdd, capDrop;
    QString seccompProfile;     // "", "unconfined" or a JSON file
    bool noNewPrivileges = false;
    QString logMaxSize;         // "10m"
    int logMaxFile = 1;
    QStringList ulimits;        // "nofile=1024:2048"
    QStringList labels;         // "key=value"
    QStringList volumes;        // docker's -v text: "data:/var/lib/x", "/host:/ctr:ro", "/anon"
    QString network;            // "" = the default (bridge), "none", "host" or a network's name
};

bool containersAvailable();
Result<QList<ContainerRow>> listContainers(Engine& engine);
VoidResult act(Engine& engine, ContainerAction action, const QString& id, std::stop_token stop);
Result<QString> run(Engine& engine, const RunOptions& options, std::stop_token stop);
// The dialog's options as the engine's create request, every field checked (errors name
// the field). Shown in a test against each option the engine takes.
Result<container::CreateOptions> toCreateOptions(const RunOptions& options);
Result<QString> inspect(Engine& engine, const QString& id);  // JSON text
Result<ProcessTable> top(Engine& engine, const QString& id);
// Cumulative counters of every running container; cpuPercent is left to the sampler.
Result<QList<StatsSample>> sample(Engine& engine);
// The container's log.jsonl (Docker json-file format).
QString logPath(Engine& engine, const QString& id);

} // namespace berth::ui::backend
