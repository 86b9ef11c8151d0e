#pragma once
// Containers: create, run, observe and remove the containers of one store. Reached through
// berth::Engine::containers() (berth/engine.h). Every call is synchronous and thread-safe
// (and safe with other processes on the same store); a call that waits takes a
// std::stop_token. Containers outlive the caller: each running one has its own
// berth-monitor process.

#include "berth/error.h"
#include "berth/run_request.h"

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

namespace berth {

enum class ContainerStatus { Created, Running, Paused, Restarting, Exited, Dead };
const char* statusName(ContainerStatus s);  // docker's words: "created", "running", ...

// One run of a container's healthcheck (docker's State.Health.Log[i]).
struct HealthResult {
    int64_t startNano = 0, endNano = 0;  // unix ns
    int exitCode = 0;                    // 0 healthy, else a failure; -1: timed out or did not start
    std::string output;                  // stdout and stderr, at most 4096 bytes (then "...")
    bool operator==(const HealthResult&) const = default;
};

// docker's State.Health, kept by the container's monitor while a healthcheck runs.
struct HealthState {
    std::string status = "starting";  // "starting", "healthy", "unhealthy"
    int failingStreak = 0;
    std::vector<HealthResult> log;     // the last 5, oldest first
    bool operator==(const HealthState&) const = default;
};
inline constexpr size_t kHealthLogEntries = 5;
inline constexpr size_t kHealthOutputBytes = 4096;

// One row of `berth ps`, the window's container list and GET /containers/json.
struct ContainerSummary {
    std::string id;       // 64 hex
    std::string name;     // without the leading '/'
    std::string image;    // as the user gave it ("busybox")
    std::string imageId;  // "sha256:…"
    std::string command;  // entrypoint + cmd, joined with spaces
    int64_t created = 0;  // unix seconds
    ContainerStatus state = ContainerStatus::Created;
    std::string status;   // docker's text: "Up 5 minutes", "Exited (0) 2 minutes ago"
    int exitCode = 0;
    pid_t pid = 0;        // the init's host pid while running, else 0
    bool oomKilled = false;
    int restartCount = 0;
    std::string startedAt;   // RFC 3339 with nanoseconds; "" = never
    std::string finishedAt;  // "" = not since its last start
    std::string health;      // "" (no healthcheck), "starting", "healthy", "unhealthy"
    std::optional<int64_t> memoryLimit;  // --memory, bytes
    // As asked at create; while running, as published (ephemeral host ports resolved).
    std::vector<PortBinding> ports;
    std::vector<std::string> networks;   // names of the networks it is attached to / asked for
    std::map<std::string, std::string> labels;
};

// One network a running container is attached to.
struct NetworkAttachment {
    std::string network;    // "bridge" or a user network's name
    std::string networkId;
    std::string ipAddress;  // "10.77.0.2"
    int prefixLength = 0;
    std::string gateway;
    std::string macAddress;
    std::vector<std::string> aliases;
};

// `berth inspect`, the window's Inspect tab and GET /containers/{id}/json: the same data.
struct ContainerDetails {
    ContainerSummary summary;
    RunRequest request;              // what it was created with, as given
    // Resolved at create from the image and the request:
    std::vector<std::string> entrypoint, cmd, env;
    std::string workingDir, user, hostname;
    std::string error;               // the last start error, if any
    pid_t monitorPid = 0;
    std::string monitorLog;          // the last lines its berth-monitor logged (monitor.log), if any
    std::vector<NetworkAttachment> networks;
    std::optional<HealthConfig> healthcheck;  // in effect (image's and request's merged); unset = none
    std::optional<HealthState> health;        // while it has a healthcheck and has started
    std::string json;                // docker inspect's object, NetworkSettings included
};

// Where an attached client's streams go. -1 means "not attached".
struct AttachIo {
    int stdinFd = -1;   // read from here and forward to the container (-i)
    int stdoutFd = -1;
    int stderrFd = -1;  // with a tty, everything arrives on stdoutFd
    // A signalfd of the caller's (or a pipe of signalfd_siginfo records), or -1. SIGWINCH
    // copies ttyFd's window size to the container's (or a -t exec's) pty; any other signal
    // read from it is sent to the container's init (docker's --sig-proxy: the caller puts
    // in it the signals it wants forwarded). A pipe's end (its writer closed: the caller
    // went away) ends an attachment as the detach keys do; an exec runs on.
    int signalFd = -1;
    int ttyFd = -1;     // the caller's terminal whose size a -t container's pty follows
    // Bytes on stdinFd that end the attachment and leave the container running (docker's
    // ctrl-p ctrl-q = "\x10\x11", see parseDetachKeys); a partial match is passed on.
    std::string detachKeys;
};
// What startAttached/attach/exec return instead of an exit code when the user detached.
inline constexpr int kDetached = -1;

struct LogsOptions {
    bool follow = false;       // keep streaming until the container stops (or stop requested)
    int64_t tail = -1;         // last N lines (read from the end of the file); -1 = all
    int64_t sinceNano = 0;     // only lines at or after this time (unix ns); 0 = all
    int64_t untilNano = 0;     // only lines before this time; 0 = no bound
};

struct LogLine {
    std::string stream;  // "stdout" / "stderr"
    std::string text;    // with its trailing '\n' when the container wrote one
    int64_t timeNano = 0;
};

// A container's log opened for a viewer that pages through it (the window's log view):
// lines are addressed by the byte offset where they start; only an index is kept.
// readAppended may run on one thread while lineAt runs on another.
class LogFile {
public:
    virtual ~LogFile() = default;
    struct Appended {
        std::vector<int64_t> starts;  // where each new complete line starts
        int64_t end = 0;              // the end of the last complete line
        bool restarted = false;       // rotated or truncated: earlier offsets are void
    };
    // What was appended since the last call (the first call: the whole log).
    virtual Result<Appended> readAppended() = 0;
    // The line between two offsets from readAppended, parsed (at most 1 MiB of it).
    virtual Result<LogLine> lineAt(int64_t start, int64_t end) = 0;
    // The complete lines from `start` up to `end`, parsed, in order, read in large blocks
    // (search, save); onLine returns false to stop.
    virtual VoidResult forEachLine(int64_t start, int64_t end, const std::function<bool(const LogLine&)>& onLine) = 0;
    // The end of the last complete line readAppended saw.
    virtual int64_t end() const = 0;
    // Readable when the log may have grown: poll it (or a QSocketNotifier), then call
    // drainChanges() and readAppended().
    virtual int changeFd() const = 0;
    virtual void drainChanges() = 0;
};

// One sample of one running container's counters.
struct ContainerStats {
    std::string id;
    std::string name;
    int64_t timeNano = 0;       // when sampled (CLOCK_REALTIME ns)
    uint64_t cpuUsageNs = 0;    // cumulative
    uint64_t systemUsageNs = 0; // host cumulative CPU time, for docker's CPU % formula
    unsigned onlineCpus = 1;
    uint64_t memoryUsage = 0;
    uint64_t memoryLimit = 0;   // 0 = unlimited
    uint64_t pids = 0;
    uint64_t blkioRead = 0;
    uint64_t blkioWrite = 0;
    uint64_t netRx = 0;         // bytes, all of the netns' interfaces but lo
    uint64_t netTx = 0;
    uint64_t netRxPackets = 0;  // the same interfaces' packet, error and drop counters
    uint64_t netTxPackets = 0;
    uint64_t netRxErrors = 0;
    uint64_t netTxErrors = 0;
    uint64_t netRxDropped = 0;
    uint64_t netTxDropped = 0;
    int64_t startedNano = 0;    // when the container (re)started
};
// THE CPU % (100 = one full core), for every front-end: docker's formula, container CPU
// delta / host CPU delta * online CPUs * 100, between two samples of one container. With
// no previous sample (nullptr, or one from before a restart), the average since the
// container started, as podman's --no-stream.
double cpuPercent(const ContainerStats* previous, const ContainerStats& current);

// docker cp: a path in a container, as lstat sees it (HEAD /containers/{id}/archive).
struct ContainerPathStat {
    std::string name;        // the last component ("/" for the root)
    int64_t size = 0;
    uint32_t mode = 0;       // st_mode: type and permission bits
    int64_t mtimeNano = 0;
    std::string linkTarget;  // a symlink's target, as stored
};
struct CopyInOptions {
    // docker's noOverwriteDirNonDir: replacing a directory by a non-directory (or the
    // other way round) is an error.
    bool noOverwriteDirNonDir = false;
    bool keepOwners = false;  // the tar's uid/gid (docker cp -a); else root's
};

struct TopResult {
    std::vector<std::string> titles;  // UID PID PPID C STIME TTY TIME CMD
    std::vector<std::vector<std::string>> processes;
};

struct ExecRequest {
    std::vector<std::string> cmd;
    std::vector<std::string> env;  // "K=V", added to the container's
    std::string user;              // "" = the container's user
    std::string workingDir;        // "" = the container's
    bool tty = false;
    bool interactive = false;
    bool detach = false;
    bool privileged = false;
    // With tty and interactive: these bytes on stdin leave the process running in the
    // background and end exec with kDetached ("" = none).
    std::string detachKeys;
    // Called on exec's thread once the process runs, before exec waits for its exit: a
    // caller that runs exec on a thread of its own learns that it started (the Docker API's
    // detached exec answers then and records the exit code when exec returns).
    std::function<void()> onStarted;
};

struct ContainerPruneReport {
    std::vector<std::string> removedIds;
    uint64_t reclaimedBytes = 0;
};

struct ContainerDiskUsage {
    size_t total = 0;
    size_t active = 0;              // running or paused
    uint64_t sizeBytes = 0;         // writable layers + logs
    uint64_t reclaimableBytes = 0;  // of the stopped ones
    std::map<std::string, uint64_t> sizes;  // per container id: its writable layer + logs
};

// `berth update` / POST /containers/{id}/update: what changes. A set field of `resources`
// replaces the container's (cpuPeriodUs goes with cpuQuotaUs); unset ones stay as they are.
// pidsLimit -1 lifts the limit, memorySwapBytes -1 makes swap unlimited.
struct ContainerUpdate {
    ResourceLimits resources;
    std::optional<RestartPolicy> restart;
};

// `berth diff` / GET /containers/{id}/changes: one path of the container's file system
// that differs from its image, as docker reports it.
struct FileChange {
    enum class Kind { Modified = 0, Added = 1, Deleted = 2 };  // docker's numbers
    Kind kind = Kind::Modified;
    std::string path;  // absolute in the container: "/etc/hosts"
};

// `berth commit` / POST /commit: a new image from a container's changes.
struct CommitRequest {
    std::string reference;             // "repo[:tag]"; "" = an untagged image
    std::string comment;               // -m, the history step's comment
    std::string author;                // -a
    // -c: Dockerfile instructions applied to the config (CMD, ENTRYPOINT, ENV, EXPOSE,
    // LABEL, USER, WORKDIR, VOLUME); any other is refused with its name.
    std::vector<std::string> changes;
    bool pause = true;                 // docker's default: freeze a running container meanwhile
};

struct CreatedContainer {
    std::string id;                     // 64 hex
    std::vector<std::string> warnings;  // "published ports are discarded when using the host network"
};

class Containers {
public:
    virtual ~Containers() = default;

    // Resolves the image (it must be in the store: Images::pull first, or use run()),
    // checks the request against the store (a user network that exists, --ip and
    // --network-alias only there, host ports free), writes the record.
    // A taken name is Errc::AlreadyExists; an unknown image Errc::NotFound.
    virtual Result<CreatedContainer> create(const RunRequest& request) = 0;

    // Starts the container's monitor; returns once its process runs, or with the error
    // (Errc::CommandNotFound / NotExecutable for the command; nothing is left running).
    // A running container is Errc::NotModified.
    virtual VoidResult start(std::string_view ref) = 0;
    // start, attached: the container's output to `io` (and io.stdinFd to its stdin when it
    // was created with -i) until it exits; returns its exit code, or kDetached.
    virtual Result<int> startAttached(std::string_view ref, const AttachIo& io) = 0;
    // Attaches to a running container: its output from now on. Returns its exit code
    // once it stopped, or kDetached. A stopped container is Errc::Conflict.
    virtual Result<int> attach(std::string_view ref, const AttachIo& io) = 0;

    // The stop signal (--stop-signal, the image's STOPSIGNAL, else SIGTERM), then SIGKILL after
    // timeoutSeconds; a negative timeout is the container's own (--stop-timeout, else 10).
    // Returns once it stopped. A stopped container is Errc::NotModified.
    virtual VoidResult stop(std::string_view ref, int timeoutSeconds = -1) = 0;
    virtual VoidResult restart(std::string_view ref, int timeoutSeconds = -1) = 0;
    virtual VoidResult kill(std::string_view ref, int signal = 9) = 0;
    virtual VoidResult pause(std::string_view ref) = 0;
    virtual VoidResult unpause(std::string_view ref) = 0;
    // A running container is refused (Errc::Conflict) unless `force` (then killed first).
    // `volumes` also removes its anonymous volumes no other container uses.
    virtual VoidResult remove(std::string_view ref, bool force = false, bool volumes = false) = 0;

    // Renames a container, running or not, and journals "rename" (docker's oldName
    // attribute). Errc::AlreadyExists when the name is taken, InvalidArgument when it is
    // not a valid name, Conflict when it is the container's name already.
    virtual VoidResult rename(std::string_view ref, std::string_view newName) = 0;
    // Changes limits and the restart policy, and records them (journals "update"). A running
    // container's cgroup changes at once, all or nothing: a value the kernel refuses is an
    // error with the kernel's reason (EBUSY, EINVAL) and the container is left as it was.
    virtual VoidResult update(std::string_view ref, const ContainerUpdate& update) = 0;

    // What the container changed in its image's file system (its writable layer, whiteouts
    // and opaque directories read as deletions), sorted by path.
    virtual Result<std::vector<FileChange>> diff(std::string_view ref) = 0;
    // Writes the container's file system (its image's layers and its changes, flattened)
    // as a tar to `outFd`. Volumes and the mounts of a running container are not in it.
    virtual VoidResult exportFileSystem(std::string_view ref, int outFd) = 0;
    // A new image: the container's image plus one layer of its changes, its config changed
    // as request.changes say; returns the image id ("sha256:…").
    virtual Result<std::string> commit(std::string_view ref, const CommitRequest& request) = 0;

    // Newest first; without `all` only running (and paused, restarting) ones.
    virtual Result<std::vector<ContainerSummary>> list(bool all = false) = 0;
    virtual Result<ContainerDetails> inspect(std::string_view ref) = 0;  // by id, id prefix or name
    // Calls `onLine` per line (return false to stop); with follow, blocks until the
    // container stops or `stop` is requested. A tail is read from the end of the file.
    virtual VoidResult logs(std::string_view ref, const LogsOptions& options,
                            const std::function<bool(const LogLine&)>& onLine, std::stop_token stop = {}) = 0;
    virtual Result<std::unique_ptr<LogFile>> openLog(std::string_view ref) = 0;
    // Blocks until the container is not running; returns its exit code.
    virtual Result<int> wait(std::string_view ref, std::stop_token stop = {}) = 0;
    virtual Result<TopResult> top(std::string_view ref) = 0;
    // One sample per running container named (all running ones when `refs` is empty).
    virtual Result<std::vector<ContainerStats>> stats(const std::vector<std::string>& refs = {}) = 0;
    // Runs a command in a running container; returns its exit code (0 with detach,
    // kDetached when the user typed the detach keys). Errc::CommandNotFound/NotExecutable
    // for the command (docker: 127/126).
    virtual Result<int> exec(std::string_view ref, const ExecRequest& request, const AttachIo& io) = 0;
    // The host ports a container publishes: as published while it runs, else as asked.
    virtual Result<std::vector<PortBinding>> ports(std::string_view ref) = 0;
    virtual Result<ContainerPruneReport> prune() = 0;
    virtual Result<ContainerDiskUsage> diskUsage() = 0;

    // docker cp's side in the container. Paths are absolute in it and resolved within its
    // root (a symlink in the container never leads out of it). A running container is seen
    // as its processes see it (its volumes too); a stopped one's own file system (image and
    // changes, not its volumes) is mounted for the call.
    virtual Result<ContainerPathStat> statPath(std::string_view ref, std::string_view path) = 0;
    // A tar of `path` written to `outFd`, its entries named from the last component
    // ("hosts"; "etc", "etc/passwd"…; a path ending in "/." gives the directory's contents).
    virtual VoidResult copyFrom(std::string_view ref, std::string_view path, int outFd) = 0;
    // A tar (plain or compressed) read from `inFd`, extracted into the directory `dir`:
    // "../" climbing out of it is refused, links are made and never followed, devices refused.
    virtual VoidResult copyTo(std::string_view ref, std::string_view dir, int inFd, const CopyInOptions& options) = 0;
};

} // namespace berth
