#pragma once
// ContainerService: the containers of one store. Creating a container writes its record
// under containers/<id>/; starting it spawns a berth-monitor (one per running container)
// that holds the container's stdio, writes its log and state and applies its restart
// policy, so containers outlive the CLI and the GUI. Every method is safe to call from any
// thread and from several processes at once (mutations take the store's flock).

#include "berth/containers.h"
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
#include <set>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

namespace berth::container {

// The value types of the public Containers API (berth/containers.h) are the service's own.
using berth::AttachIo;
using berth::ContainerStats;
using berth::ContainerSummary;
using berth::cpuPercent;
using berth::kDetached;
using berth::LogLine;
using berth::LogsOptions;
using berth::TopResult;
using ExecOptions = berth::ExecRequest;
using PruneReport = berth::ContainerPruneReport;
using DiskUsage = berth::ContainerDiskUsage;

class ContainerService {
public:
    ContainerService(store::StoreLayout layout, image::ImageStore& images);
    ~ContainerService();

    // Resolves the image and every default, writes the record; returns the full id.
    // A taken name is Errc::AlreadyExists; an unknown image Errc::NotFound.
    // `imageVolumes` false: the image's VOLUMEs get no anonymous volumes (a build's RUN, as
    // BuildKit runs it: what a RUN writes under a VOLUME path stays in its layer).
    Result<std::string> create(const CreateOptions& options, bool imageVolumes = true);

    // Spawns the monitor and returns once the container's process runs, or with the
    // runtime's error (Errc::NotFound for "command not found", PermissionDenied for "not
    // executable"): then nothing is left running. Errc::NotModified when it runs already.
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
    // Returns once the container has stopped. A stopped container is Errc::NotModified.
    VoidResult stop(std::string_view ref, int timeoutSeconds = -1);  // < 0: the container's stop timeout
    VoidResult restart(std::string_view ref, int timeoutSeconds = -1);
    VoidResult kill(std::string_view ref, int signal = 9);
    VoidResult pause(std::string_view ref);
    VoidResult unpause(std::string_view ref);
    // A running container is refused unless `force` (then killed first). `volumes` also
    // removes its anonymous volumes that no other container uses (named ones stay).
    VoidResult remove(std::string_view ref, bool force = false, bool volumes = false);

    // container_modify.cpp: see berth::Containers::rename and update.
    VoidResult rename(std::string_view ref, std::string_view newName);
    VoidResult update(std::string_view ref, const berth::ContainerUpdate& change);
    // container_diff.cpp: see berth::Containers::diff.
    Result<std::vector<berth::FileChange>> diff(std::string_view ref) const;

    Result<std::vector<ContainerSummary>> list(bool all = false) const;
    Result<ContainerRecord> get(std::string_view ref) const;  // by id, id prefix or name
    Result<ContainerSummary> summary(std::string_view ref) const;  // one row of list()
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

    // The image ids ("sha256:…") every container was created from: one read of the records.
    Result<std::set<std::string>> imageIdsInUse() const;

    // Called before a container's monitor starts (the network layer leases addresses and
    // publishes ports there), and `undo` when the start then failed. Set by the Engine.
    struct StartHooks {
        std::function<VoidResult(const ContainerRecord&)> prepare;
        std::function<void(const ContainerRecord&)> undo;
    };
    void setStartHooks(StartHooks hooks);

    // Where the berth-monitor program is: $BERTH_MONITOR, else beside the running
    // executable, else "berth-monitor" on PATH.
    static std::string monitorProgram(const EngineSettings& settings);

    // Call as early as possible before start/run/restart/exec: starts, in the background,
    // the kernel's wait that a container's first cgroup move would otherwise make on the
    // start's critical path (cgroup/migration_warmup.h). Returns at once.
    static void prepareToStart();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace berth::container
