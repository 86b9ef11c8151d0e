#include "health_probe.h"

#include "container/health.h"
#include "container/spec_builder.h"
#include "runtime/launcher.h"
#include "sys/spawn.h"

#include <fcntl.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace berth::monitor {

namespace {

int64_t monotonicMs() {
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return int64_t(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

void logFailure(const char* what, const Error& e) {
    std::fprintf(stderr, "%s berth-monitor: %s: %s\n", container::formatTimeNano(container::nowNano()).c_str(), what,
                 e.message().c_str());
    std::fflush(stderr);
}

} // namespace

HealthProbe::HealthProbe(const container::ContainerStore& store, const container::ContainerConfig& config,
                         HealthConfig check, std::optional<HealthState> kept)
    : m_store(store), m_config(config), m_check(std::move(check)), m_state(kept ? std::move(*kept) : HealthState{}) {}

void HealthProbe::containerStarted(pid_t initPid, int64_t startedNano) {
    m_initPid = initPid;
    m_startedNano = startedNano;
    container::healthStarting(m_state);  // Lifecycle::recordStart wrote the same into the record
    scheduleNext();
}

void HealthProbe::containerStopped() {
    if (m_pid > 0) {
        ::kill(-m_pid, SIGKILL);
        ::kill(m_pid, SIGKILL);
    }
    m_pid = -1;  // reaped() leaves it to the monitor
    m_exited = false;
    m_output.reset();
    m_nextMs = -1;
    m_initPid = -1;
}

void HealthProbe::scheduleNext() {
    // docker: the start interval while starting within the start period, else the interval.
    bool early = m_state.status == "starting" && m_check.startPeriodNs > 0 &&
                 container::nowNano() - m_startedNano < m_check.startPeriodNs;
    int64_t ns = early ? container::healthStartIntervalNs(m_check) : container::healthIntervalNs(m_check);
    m_nextMs = monotonicMs() + std::max<int64_t>(ns / 1000000, 1);
}

int HealthProbe::msUntilDue() const {
    if (m_exited) return 0;
    int64_t due = m_pid > 0 ? m_deadlineMs : m_nextMs;
    if (due < 0) return -1;
    return int(std::clamp<int64_t>(due - monotonicMs(), 0, 24 * 3600 * 1000));
}

void HealthProbe::tick(const runtime::ContainerSpec& spec, cgroup::CgroupManager& cgroup) {
    if (m_exited) complete();
    int64_t now = monotonicMs();
    if (m_pid > 0) {
        if (!m_timedOut && now >= m_deadlineMs) {
            // The check's own session: its children go with it.
            m_timedOut = true;
            ::kill(-m_pid, SIGKILL);
            ::kill(m_pid, SIGKILL);
        }
        return;
    }
    if (m_nextMs >= 0 && now >= m_nextMs && m_initPid > 0) start(spec, cgroup);
}

void HealthProbe::start(const runtime::ContainerSpec& spec, cgroup::CgroupManager& cgroup) {
    m_nextMs = -1;
    m_checkStartNano = container::nowNano();
    m_timedOut = m_truncated = false;
    m_buffer.clear();
    // A paused container's checks wait: the check would freeze with it.
    if (auto st = m_store.loadState(m_config.id); st && st->status == container::Status::Paused) {
        scheduleNext();
        return;
    }
    auto failed = [&](const Error& e) { finish(-1, e.message()); };
    auto proc = container::buildProcess(m_config, m_store.dir(m_config.id), container::healthCommand(m_check), {},
                                        m_config.user, m_config.workingDir, false, false);
    if (!proc) return failed(proc.error());
    int p[2];
    if (::pipe2(p, O_CLOEXEC) < 0) return failed(Error::fromErrno("pipe for the healthcheck"));
    sys::UniqueFd readEnd(p[0]), writeEnd(p[1]);
    runtime::Stdio stdio{-1, writeEnd.get(), writeEnd.get()};  // docker keeps both streams as one output
    auto launched = runtime::execIn(m_initPid, spec, *proc, stdio, [&](pid_t pid) { return cgroup.addProcess(pid); });
    if (!launched) return failed(launched.error());
    ::fcntl(readEnd.get(), F_SETFL, O_NONBLOCK);
    m_output = std::move(readEnd);
    m_pid = launched->pid;
    m_deadlineMs = monotonicMs() + std::max<int64_t>(container::healthTimeoutNs(m_check) / 1000000, 1);
}

void HealthProbe::append(std::string_view bytes) {
    size_t room = kHealthOutputBytes - std::min(m_buffer.size(), kHealthOutputBytes);
    if (bytes.size() > room) m_truncated = true;
    m_buffer.append(bytes.substr(0, room));
}

void HealthProbe::readOutput() {
    char buf[4096];
    // Bounded: a check that keeps writing cannot keep the monitor here.
    for (int reads = 0; m_output && reads < 16; ++reads) {
        ssize_t n = ::read(m_output.get(), buf, sizeof buf);
        if (n > 0) {
            append(std::string_view(buf, size_t(n)));
            continue;
        }
        if (n == 0 || (errno != EINTR && errno != EAGAIN)) m_output.reset();
        return;
    }
}

bool HealthProbe::reaped(pid_t pid, int status) {
    if (pid != m_pid || pid <= 0) return false;
    // Taken in by tick(), which the monitor calls only while the init runs: a check that
    // died with the container is not a result.
    m_pid = -1;
    m_exited = true;
    m_exitStatus = status;
    return true;
}

void HealthProbe::complete() {
    m_exited = false;
    // What it wrote before it exited is in the pipe; a child of its still holding the
    // pipe is not waited for.
    readOutput();
    m_output.reset();
    if (m_timedOut) {
        finish(-1, "Health check exceeded timeout (" + container::goDuration(container::healthTimeoutNs(m_check)) + ")");
        return;
    }
    std::string out = std::move(m_buffer);
    if (m_truncated) out += "...";
    finish(sys::exitCodeOf(m_exitStatus, -1), std::move(out));
}

void HealthProbe::finish(int exitCode, std::string output) {
    if (m_initPid <= 0) return;  // the container stopped meanwhile
    HealthResult r{.startNano = m_checkStartNano, .endNano = container::nowNano(), .exitCode = exitCode,
                   .output = std::move(output)};
    bool changed = container::applyHealthResult(m_state, std::move(r), m_check, m_startedNano);
    if (auto rec = container::Lifecycle(m_store, m_config).recordHealth(m_state, changed); !rec)
        logFailure("record the healthcheck's result", rec.error());
    m_buffer.clear();
    m_buffer.shrink_to_fit();
    scheduleNext();
}

} // namespace berth::monitor
