#include "cgroup/v2_manager.h"

#include "cgroup/control_files.h"
#include "cgroup/device_filter.h"
#include "sys/scope_guard.h"

#include <signal.h>
#include <unistd.h>

#include <fmt/format.h>

#include <set>
#include <sstream>

namespace berth::cgroup {

using namespace detail;

static std::string quoted(const std::filesystem::path& p) { return "`" + p.string() + "`"; }

static std::set<std::string> words(std::string_view text) {
    std::set<std::string> out;
    std::istringstream in{std::string(text)};
    for (std::string w; in >> w;) out.insert(w);
    return out;
}

V2Manager::V2Manager(std::filesystem::path root, std::filesystem::path relPath,
                     ManagerOptions opts)
    : m_root(std::move(root)), m_dir(m_root / relPath), m_opts(opts),
      m_realFs(isCgroupFs(m_root)) {
    if (!m_opts.createMissingFiles) m_opts.createMissingFiles = !m_realFs;
}

std::string V2Manager::describe() const { return "v2 " + m_dir.string(); }

VoidResult V2Manager::write(const char* file, std::string_view value) const {
    return writeControl(m_dir / file, value, *m_opts.createMissingFiles, m_undo);
}

// Enables in `parent` the controllers it offers and has not enabled yet, in one write:
// a child only gets the interface files of controllers its parent delegates.
VoidResult V2Manager::enableControllers(const std::filesystem::path& parent) const {
    auto available = BERTH_TRY(readControl(parent / "cgroup.controllers"));
    auto enabled = BERTH_TRY(readControl(parent / "cgroup.subtree_control"));
    // A test directory has no kernel to fill in a new child's cgroup.controllers: there,
    // a missing file offers every controller.
    std::set<std::string> have;
    if (available)
        have = words(*available);
    else if (*m_opts.createMissingFiles)
        have = std::set<std::string>(std::begin(kControllers), std::end(kControllers));
    auto on = words(enabled.value_or(""));
    std::string request;
    for (const char* c : kControllers) {
        if (have.count(c) && !on.count(c)) {
            if (!request.empty()) request += ' ';
            request += '+';
            request += c;
        }
    }
    if (request.empty()) return {};
    return writeControl(parent / "cgroup.subtree_control", request, *m_opts.createMissingFiles);
}

VoidResult V2Manager::create(const Resources& res) {
    BERTH_TRYV(validate(res));
    auto rel = std::filesystem::relative(m_dir, m_root);
    auto made = BERTH_TRY_CTX(
        makeCgroupDirs(m_root, rel,
                       [this](const std::filesystem::path& p) { return enableControllers(p); }),
        "create " + describe());
    sys::ScopeGuard undo([&] {
        for (auto it = made.rbegin(); it != made.rend(); ++it)
            (void)removeCgroupDir(*it, m_realFs, std::chrono::milliseconds(0));
    });
    // No kernel behind a test directory to attach a program to.
    if (res.restrictDevices && m_realFs) BERTH_TRYV_CTX(restrictDevices(res), "create " + describe());
    BERTH_TRYV(apply(res));
    undo.dismiss();
    return {};
}

VoidResult V2Manager::restrictDevices(const Resources& res) const {
    static const std::vector<DeviceRule> defaults = [] {
        std::vector<DeviceRule> rules;
        for (const char* text : kDefaultDeviceRules) rules.push_back(*parseDeviceRule(text));
        return rules;
    }();
    static const std::vector<bpf_insn> defaultProgram = compileDeviceFilter(defaults);
    // --device: the default list and its rules, in one program of the container's own.
    std::vector<bpf_insn> withDevices;
    if (!res.deviceRules.empty()) {
        auto rules = defaults;
        for (auto& text : res.deviceRules) rules.push_back(BERTH_TRY(parseDeviceRule(text)));
        withDevices = compileDeviceFilter(rules);
    }
    auto r = attachDeviceFilter(m_dir, res.deviceRules.empty() ? defaultProgram : withDevices);
    // Rootless: no BPF without privilege, and no real device nodes to mknod either.
    if (!r && r.error().sysErrno() == EPERM && ::geteuid() != 0) return {};
    return r;
}

VoidResult V2Manager::update(const Resources& res) {
    BERTH_TRYV(validate(res));
    return applyAllOrNothing(m_undo, *m_opts.createMissingFiles, [&] { return apply(res); });
}

VoidResult V2Manager::apply(const Resources& res) {
    // A missing interface file means a parent does not delegate the controller.
    auto needs = [&](const char* controller, const char* flag) -> VoidResult {
        std::string probe = std::string(controller) == "cpuset" ? "cpuset.cpus"
                                                                : std::string(controller) + ".max";
        if (*m_opts.createMissingFiles || std::filesystem::exists(m_dir / probe)) return {};
        return fail(Errc::Unsupported,
                    fmt::format("{} needs the {} controller, which is not enabled for {} "
                                "(see cgroup.controllers of its parents)",
                                flag, controller, m_dir.string()));
    };
    if (res.memoryBytes) {
        BERTH_TRYV(needs("memory", "--memory"));
        BERTH_TRYV(write("memory.max", std::to_string(*res.memoryBytes)));
        // memory.swap.max holds swap alone; Docker's --memory-swap is memory + swap.
        std::optional<std::string> swap;
        if (res.memorySwapBytes)
            swap = *res.memorySwapBytes == -1 ? std::string("max")
                                              : std::to_string(*res.memorySwapBytes - *res.memoryBytes);
        bool swapAccounted = *m_opts.createMissingFiles || std::filesystem::exists(m_dir / "memory.swap.max");
        if (swap) {
            if (!swapAccounted)
                return fail(Errc::Unsupported,
                            "--memory-swap: this kernel does not account swap (no " +
                                quoted(m_dir / "memory.swap.max") + "; boot with swap accounting)");
            BERTH_TRYV(write("memory.swap.max", *swap));
        } else if (swapAccounted) {
            // Docker's default: as much swap as memory.
            BERTH_TRYV(write("memory.swap.max", std::to_string(*res.memoryBytes)));
        }
    } else if (res.memorySwapBytes && *res.memorySwapBytes != -1) {
        return fail(Errc::InvalidArgument, "a memory+swap limit needs a memory limit as well");
    }
    if (res.cpuQuotaUs) {
        BERTH_TRYV(needs("cpu", "--cpus"));
        BERTH_TRYV(write("cpu.max", fmt::format("{} {}", *res.cpuQuotaUs, res.cpuPeriodUs)));
    }
    if (res.cpuShares) {
        BERTH_TRYV(needs("cpu", "--cpu-shares"));
        BERTH_TRYV(write("cpu.weight", std::to_string(sharesToWeight(*res.cpuShares))));
    }
    if (res.cpusetCpus) {
        BERTH_TRYV(needs("cpuset", "--cpuset-cpus"));
        BERTH_TRYV(write("cpuset.cpus", *res.cpusetCpus));
    }
    if (res.pidsLimit) {
        BERTH_TRYV(needs("pids", "--pids-limit"));
        BERTH_TRYV(write("pids.max",
                         *res.pidsLimit > 0 ? std::to_string(*res.pidsLimit) : std::string("max")));
    }
    return {};
}

VoidResult V2Manager::addProcess(pid_t pid) {
    if (pid <= 0) return fail(Errc::InvalidArgument, "add process: bad pid " + std::to_string(pid));
    return write("cgroup.procs", std::to_string(pid));
}

Result<std::vector<pid_t>> V2Manager::processes() const {
    return readPids(m_dir / "cgroup.procs");
}

Result<Stats> V2Manager::stats() const {
    // Zeros for a removed cgroup would read as an idle container: say it is gone.
    if (!std::filesystem::is_directory(m_dir))
        return fail(Errc::NotFound, "stats: cgroup " + quoted(m_dir) + " does not exist");
    Stats s;
    if (auto cpu = BERTH_TRY(readControl(m_dir / "cpu.stat")))
        s.cpuUsageNs = keyedValue(*cpu, "usage_usec").value_or(0) * 1000;
    if (auto cur = BERTH_TRY(readControl(m_dir / "memory.current"))) {
        s.memoryUsage = BERTH_TRY(parseUint(*cur, m_dir / "memory.current"));
        // Like docker: page cache that the kernel could drop is not the container's use.
        if (auto ms = BERTH_TRY(readControl(m_dir / "memory.stat"))) {
            uint64_t inactive = keyedValue(*ms, "inactive_file").value_or(0);
            if (inactive < s.memoryUsage) s.memoryUsage -= inactive;
        }
    }
    if (auto max = BERTH_TRY(readControl(m_dir / "memory.max"))) {
        std::string_view v = *max;
        if (v.substr(0, 3) != "max") s.memoryLimit = BERTH_TRY(parseUint(v, m_dir / "memory.max"));
    }
    if (auto pids = BERTH_TRY(readControl(m_dir / "pids.current")))
        s.pids = BERTH_TRY(parseUint(*pids, m_dir / "pids.current"));
    if (auto io = BERTH_TRY(readControl(m_dir / "io.stat")))
        sumIoStat(*io, s.blkioRead, s.blkioWrite);
    if (auto ev = BERTH_TRY(readControl(m_dir / "memory.events"))) {
        s.oomKills = keyedValue(*ev, "oom_kill").value_or(0);
        s.oomKillsSource = "memory.events oom_kill";
    }
    return s;
}

VoidResult V2Manager::freeze(bool frozen) {
    BERTH_TRYV(write("cgroup.freeze", frozen ? "1" : "0"));
    // The write only starts freezing; cgroup.events says when every task has stopped.
    auto deadline = std::chrono::steady_clock::now() + m_opts.freezeTimeout;
    const char* want = frozen ? "1" : "0";
    for (int attempt = 0;; ++attempt) {
        auto events = BERTH_TRY(readControl(m_dir / "cgroup.events"));
        if (!events) {
            if (!m_realFs) return {};  // a test directory without the kernel's file
            return fail(Errc::Unsupported, "freeze: no " + quoted(m_dir / "cgroup.events"));
        }
        auto state = keyedValue(*events, "frozen");
        if (state && std::to_string(*state) == want) return {};
        if (std::chrono::steady_clock::now() >= deadline)
            return fail(Errc::Timeout,
                        fmt::format("{} {}: {} still says frozen {} after {} ms",
                                    frozen ? "freeze" : "thaw", m_dir.string(), "cgroup.events",
                                    state ? std::to_string(*state) : "?",
                                    m_opts.freezeTimeout.count()));
        backoffSleep(attempt);
    }
}

VoidResult V2Manager::destroy() {
    if (!std::filesystem::exists(m_dir)) return {};
    if (m_realFs) {
        auto deadline = std::chrono::steady_clock::now() + m_opts.destroyTimeout;
        bool haveKill = std::filesystem::exists(m_dir / "cgroup.kill");
        for (int attempt = 0;; ++attempt) {
            auto pids = BERTH_TRY_CTX(processes(), "destroy " + describe());
            if (pids.empty()) break;
            if (haveKill) {
                BERTH_TRYV_CTX(write("cgroup.kill", "1"), "destroy " + describe());
            } else {
                // Without cgroup.kill a fork can race the loop: repeat until empty.
                for (pid_t p : pids) ::kill(p, SIGKILL);
            }
            if (std::chrono::steady_clock::now() >= deadline)
                return fail(Errc::Timeout, fmt::format("destroy {}: {} processes still alive after {} ms",
                                                       describe(), pids.size(),
                                                       m_opts.destroyTimeout.count()));
            backoffSleep(attempt);
        }
    }
    return removeCgroupDir(m_dir, m_realFs, m_opts.destroyTimeout);
}

} // namespace berth::cgroup
