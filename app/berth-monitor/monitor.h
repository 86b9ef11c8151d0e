#pragma once
// The monitor of one container (see DESIGN.md): single-threaded, one poll loop. It starts
// the container's init through the runtime, copies its output into log.jsonl (and to an
// attached client), reaps it and cleans up. What a start or an exit records, whether the
// container restarts and its --rm removal are container::Lifecycle's (engine/container).

#include "health_probe.h"

#include "cgroup/cgroup_manager.h"
#include "container/container_store.h"
#include "container/lifecycle.h"
#include "container/log_file.h"
#include "runtime/container_spec.h"
#include "runtime/rootless_network.h"
#include "sys/unique_fd.h"

#include <memory>
#include <string>

namespace berth::monitor {

class Monitor {
public:
    Monitor(store::StoreLayout layout, std::string id, int syncFd);
    int run();

private:
    VoidResult prepare();
    // One life of the container: start, supervise until its init exits. Returns the exit
    // code (128+signal), or the start error.
    Result<int> startOnce();
    VoidResult connectRootlessNetwork(pid_t pid);
    int supervise();
    void handleSignals();
    // One message from a client; `starter` is the CLI that started us (its end of input
    // ends the container's stdin, like docker's StdinOnce; an attach client's does not).
    void handleClient(sys::UniqueFd& client, bool starter);
    void acceptClients();           // new `berth attach` clients on attach.sock
    void applyQueuedResize();       // a Resize the starter queued before we began (-t)
    void resizePty();
    void pumpOutput(int index);
    void reportFailure(const Error& e, int exitCode);
    void finishRun(int exitCode, bool restarting);
    // Reads again what rename and update change in the record while the container runs
    // (name, restart policy, limits), before the exit is recorded and a restart decided.
    void refreshConfig();
    // The engine's owner of the records and decisions of a container's life.
    container::Lifecycle lifecycle() const { return {m_store, m_config}; }
    // Releases what the container held, tells the clients its exit code, and exits.
    [[noreturn]] void cleanupAndExit(int exitCode);
    // The container's mount namespace outlives its init while we hold it (m_mountNs), so
    // the overlay's unmount (which syncs the host filesystem) happens in a child of ours
    // after the exit is recorded, not in the init's exit that `stop` waits for.
    void holdMountNamespace(pid_t init);
    void releaseMountNamespaceInBackground();
    void sendClient(char type, std::string_view payload);

    store::StoreLayout m_layout;
    container::ContainerStore m_store;
    std::string m_id;
    sys::UniqueFd m_client;  // the starting CLI's socket, while attached
    sys::UniqueFd m_listen;  // attach.sock
    static constexpr int kMaxAttached = 8;
    sys::UniqueFd m_attached[kMaxAttached];  // `berth attach` clients
    unsigned short m_rows = 0, m_cols = 0;   // the pty's size as clients last asked (kept across restarts)
    sys::UniqueFd m_signals;
    container::ContainerConfig m_config;
    runtime::ContainerSpec m_spec;
    std::unique_ptr<cgroup::CgroupManager> m_cgroup;
    runtime::RootlessNetwork m_rootlessNet;  // pasta/slirp4netns of a rootless container
    std::unique_ptr<container::LogWriter> m_log;
    sys::UniqueFd m_mountNs;      // the container's mount namespace (kept containers)
    sys::UniqueFd m_overlayLock;  // flock on overlay.lock: one live overlay per upper dir
    std::unique_ptr<HealthProbe> m_health;  // only with a healthcheck

    pid_t m_initPid = -1;
    bool m_initExited = false;
    int m_exitCode = 0;
    sys::UniqueFd m_out[2];   // our read ends of the container's stdout/stderr (or pty master)
    sys::UniqueFd m_stdin;    // our write end of its stdin (or pty master dup)
    bool m_tty = false;
    bool m_stopRequested = false;
    int m_restartCount = 0;
    int64_t m_startedNano = 0;
};

// `berth-monitor --exec-fd N` (the request, JSON, read from fd N): runs one process in the container (see container_exec.cpp).
int runExec(const store::StoreLayout& layout, const std::string& id, int syncFd, const std::string& json);

} // namespace berth::monitor
