#pragma once
// ContainerService: the containers of one store. Creating a container writes its record
// under containers/<id>/; starting it spawns a berth-monitor (one per running container)
// that holds the container's stdio, writes its log and state and applies its restart
// policy, so containers outlive the CLI and the GUI. Every method is safe to call from any
// thread and from several processes at once (mutations take the store's flock).

#include "container/container_options.h"
#include "container/container_record.h"
#include "image/image_store.h"
#include "store/layout.h"
#include "sys/error.h"
#include "volume/volume_service.h"

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

namespace berth::container {

// One row of `berth ps`.
struct ContainerSummary {
    std::string id;       // 64 hex
    std::string name;     // without the leading '/'
    std::string image;    // as the user gave it ("busybox")
    std::string imageId;  // "sha256:…"
    std::string command;  // entrypoint + cmd, joined with spaces
    int64_t created = 0;  // unix seconds
    Status state = Status::Created;
    std::string status;   // docker's text: "Up 5 minutes", "Exited (0) 2 minutes ago"
    int exitCode = 0;
    pid_t pid = 0;        // the init's host pid while running, else 0
    bool oomKilled = false;
    int restartCount = 0;
    std::vector<PortBinding> ports;
    std::map<std::string, std::string> labels;
};

// Where an attached client's streams go. -1 means "not attached".
struct AttachIo {
    int stdinFd = -1;   // read from here and forward to the container (-i)
    int stdoutFd = -1;
    int stderrFd = -1;  // with a tty, everything arrives on stdoutFd
    // A signalfd of the caller's, or -1. SIGWINCH copies ttyFd's window size to the
    // container's pty; any other signal read from it is sent to the container's init
    // (docker's --sig-proxy: the caller puts in it the signals it wants forwarded).
    int signalFd = -1;
    int ttyFd = -1;     // the caller's terminal whose size a -t container's pty follows
    // Bytes on stdinFd that end the attachment and leave the container running (docker's
    // ctrl-p ctrl-q = "\x10\x11"); a partial match is passed on once it stops matching.
    std::string detachKeys;
};
// What startAttached/attach return instead of an exit code when the user detached.
inline constexpr int kDetached = -1;

struct LogsOptions {
    bool follow = false;       // keep streaming until the container stops (or stop requested)
    int64_t tail = -1;         // last N lines; -1 = all
    int64_t sinceNano = 0;     // only lines at or after this time (unix ns); 0 = all
    int64_t untilNano = 0;     // only lines before this time; 0 = no bound
};

struct LogLine {
    std::string stream;  // "stdout" / "stderr"
    std::string text;    // with its trailing '\n' when the container wrote one
    int64_t timeNano = 0;
};

// One sample of one running container. CPU % needs two samples: cpuPercent() below.
struct ContainerStats {
    std::string id;
    std::string name;
    int64_t timeNano = 0;       // when sampled (CLOCK_REALTIME ns)
    uint64_t cpuUsageNs = 0;    // cumulative
    uint64_t systemUsageNs = 0; // host cumulative CPU time, for docker's CPU % formula
    unsigned onlineCpus = 1;
    uint64_t memoryUsage = 0;
    uint64_t memoryLimit = 0;   // 0 = unlimited (then the host's RAM is shown)
    uint64_t pids = 0;
    uint64_t blkioRead = 0;
    uint64_t blkioWrite = 0;
    uint64_t netRx = 0;
    uint64_t netTx = 0;
    int64_t startedNano = 0;    // when the container (re)started: a single sample's CPU %
                                // is its average since then, as podman's --no-stream
};
// Docker's formula: container CPU delta / host CPU delta * online CPUs * 100.
double cpuPercent(const ContainerStats& previous, const ContainerStats& current);

struct TopResult {
    std::vector<std::string> titles;  // UID PID PPID C STIME TTY TIME CMD
    std::vector<std::vector<std::string>> processes;
};

struct ExecOptions {
    std::vector<std::string> cmd;
    std::vector<std::string> env;  // "K=V", added to the container's
    std::string user;              // "" = the container's user
    std::string workingDir;        // "" = the container's
    bool tty = false;
    bool interactive = false;
    bool detach = false;
    bool privileged = false;
    // With tty and interactive: these bytes on stdin leave the process running in the
    // background and end exec with kDetached (docker's --detach-keys; "" = none).
    std::string detachKeys;
};

struct PruneReport {
    std::vector<std::string> removedIds;
    uint64_t reclaimedBytes = 0;
};

// Disk use of containers, for `system df`.
struct DiskUsage {
    size_t total = 0;
    size_t active = 0;         // running or paused
    uint64_t sizeBytes = 0;    // writable layers + logs
    uint64_t reclaimableBytes = 0;  // of the stopped ones
};

class ContainerService {
public:
    ContainerService(store::StoreLayout layout, image::ImageStore& images);
    ~ContainerService();

    // Resolves the image and every default, writes the record; returns the full id.
    // A taken name is Errc::AlreadyExists; an unknown image Errc::NotFound.
    Result<std::string> create(const CreateOptions& options);

    // Spawns the monitor and returns once the container's process runs, or with the
    // runtime's error (Errc::NotFound for "command not found", PermissionDenied for "not
    // executable"): then nothing is left running.
    VoidResult start(std::string_view ref);
    // Like start, but attached: forwards the container's output to `io` (and io.stdinFd to
    // its stdin when the container was created with -i) until it exits; returns its exit
    // code. Starting a running container attaches to... nothing: Errc::Conflict.
    Result<int> startAttached(std::string_view ref, const AttachIo& io);
    // Attaches to a running container (through its monitor's attach.sock): its output from
    // now on, io.stdinFd to its stdin when it was created with -i. Returns its exit code
    // once it has stopped, or kDetached. A stopped container is Errc::Conflict.
    Result<int> attach(std::string_view ref, const AttachIo& io);

    // SIGTERM (or the image's stop signal), then SIGKILL after `timeoutSeconds`.
    // Returns once the container has stopped. A stopped container is not an error.
    VoidResult stop(std::string_view ref, int timeoutSeconds = 10);
    VoidResult restart(std::string_view ref, int timeoutSeconds = 10);
    VoidResult kill(std::string_view ref, int signal = 9);
    VoidResult pause(std::string_view ref);
    VoidResult unpause(std::string_view ref);
    // A running container is refused unless `force` (then killed first). `volumes` also
    // removes its anonymous volumes that no other container uses (named ones stay).
    VoidResult remove(std::string_view ref, bool force = false, bool volumes = false);

    Result<std::vector<ContainerSummary>> list(bool all = false) const;
    Result<ContainerRecord> get(std::string_view ref) const;  // by id, id prefix or name
    Result<nlohmann::json> inspect(std::string_view ref) const;  // like docker inspect
    // Calls `onLine` per line (return false to stop); with follow, blocks until the
    // container stops or `stop` is requested.
    VoidResult logs(std::string_view ref, const LogsOptions& options,
                    const std::function<bool(const LogLine&)>& onLine,
                    std::stop_token stop = {}) const;
    // Blocks until the container is not running; returns its exit code.
    Result<int> wait(std::string_view ref, std::stop_token stop = {}) const;
    Result<TopResult> top(std::string_view ref) const;
    // One sample per running container named (all running ones when `refs` is empty).
    Result<std::vector<ContainerStats>> stats(const std::vector<std::string>& refs = {}) const;
    // Runs a command in a running container; returns its exit code (0 with -d, kDetached
    // when the user typed the detach keys). Signals read from io.signalFd are passed on
    // to the process (docker's sig-proxy; only without a tty).
    Result<int> exec(std::string_view ref, const ExecOptions& options, const AttachIo& io);
    Result<PruneReport> prune();
    Result<DiskUsage> diskUsage() const;

    // The store's volumes; it knows which containers use each through this service.
    volume::VolumeService& volumes();
    // Volume name -> ids of the containers (any state) mounting it.
    Result<std::map<std::string, std::vector<std::string>>> volumeUsers() const;

    // Full ids of the containers (any state) created from image `imageId` ("sha256:…").
    Result<std::vector<std::string>> containersUsingImage(std::string_view imageId) const;

    // Called before a container's monitor starts (the network layer leases addresses and
    // publishes ports there), and `undo` when the start then failed. Set by the Engine.
    struct StartHooks {
        std::function<VoidResult(const ContainerRecord&)> prepare;
        std::function<void(const ContainerRecord&)> undo;
    };
    void setStartHooks(StartHooks hooks);

    // Where the berth-monitor program is: $BERTH_MONITOR, else beside the running
    // executable, else "berth-monitor" on PATH.
    static std::string monitorProgram();

    // Call as early as possible before start/run/restart/exec: starts, in the background,
    // the kernel's wait that a container's first cgroup move would otherwise make on the
    // start's critical path (cgroup/migration_warmup.h). Returns at once.
    static void prepareToStart();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace berth::container
