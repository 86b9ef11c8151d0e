#include "cgroup/v1_manager.h"

#include "cgroup/control_files.h"
#include "sys/scope_guard.h"

#include <signal.h>

#include <fmt/format.h>

#include <limits>
#include <set>

namespace berth::cgroup {

using namespace detail;
namespace fs = std::filesystem;

static std::string quoted(const fs::path& p) { return "`" + p.string() + "`"; }

namespace {

struct ResolvedMount {
    const char* controller;
    fs::path mount;  // symlinks resolved ("cpu" -> "cpu,cpuacct")
    bool cgroupFs;
};

std::vector<ResolvedMount> resolveMounts(const fs::path& root) {
    std::vector<ResolvedMount> out;
    for (const char* c : V1Manager::kControllers) {
        fs::path mount = root / c;
        std::error_code ec;
        if (!fs::is_directory(mount, ec)) continue;
        fs::path resolved = fs::weakly_canonical(mount, ec);
        if (ec) resolved = mount;
        bool real = isCgroupFs(resolved);
        out.push_back({c, std::move(resolved), real});
    }
    return out;
}

// The host's hierarchies do not move while a process runs, and `stats` of N containers
// opens N managers (a readlink per path component and a statfs per controller each):
// resolve the real root once per process. Other roots (tests' stand-ins) every time.
const std::vector<ResolvedMount>& hostMounts() {
    static const std::vector<ResolvedMount> mounts = resolveMounts("/sys/fs/cgroup");
    return mounts;
}

} // namespace

V1Manager::V1Manager(fs::path root, fs::path relPath, ManagerOptions opts)
    : m_root(std::move(root)), m_rel(std::move(relPath)), m_opts(opts) {
    std::vector<ResolvedMount> own;
    bool host = m_root == fs::path("/sys/fs/cgroup");
    if (!host) own = resolveMounts(m_root);
    for (const auto& r : host ? hostMounts() : own) {
        Hierarchy h{r.mount, r.mount / m_rel};
        m_byController[r.controller] = h;
        bool seen = false;
        for (const auto& u : m_unique) seen = seen || u.mount == r.mount;
        if (!seen) m_unique.push_back(h);
        if (r.cgroupFs) m_realFs = true;
    }
    if (!m_opts.createMissingFiles) m_opts.createMissingFiles = !m_realFs;
}

std::string V1Manager::describe() const { return "v1 " + (m_root / "*" / m_rel).string(); }

std::vector<fs::path> V1Manager::paths() const {
    std::vector<fs::path> out;
    for (const auto& h : m_unique) out.push_back(h.dir);
    return out;
}

const V1Manager::Hierarchy* V1Manager::find(const char* controller) const {
    auto it = m_byController.find(controller);
    return it == m_byController.end() ? nullptr : &it->second;
}

VoidResult V1Manager::require(const char* controller, const char* flag) const {
    if (find(controller)) return {};
    return fail(Errc::Unsupported, fmt::format("{} needs the {} controller, which is not mounted at {}",
                                               flag, controller, (m_root / controller).string()));
}

VoidResult V1Manager::write(const char* controller, const char* file, std::string_view value) const {
    const Hierarchy* h = find(controller);
    if (!h) return fail(Errc::Unsupported, fmt::format("write {}: the {} controller is not mounted at {}",
                                                       file, controller, (m_root / controller).string()));
    return writeControl(h->dir / file, value, *m_opts.createMissingFiles, m_undo);
}

Result<std::optional<std::string>> V1Manager::read(const char* controller, const char* file) const {
    const Hierarchy* h = find(controller);
    if (!h) return std::optional<std::string>();
    return readControl(h->dir / file);
}

// A new cpuset cgroup starts with empty cpus and mems, and no task can join it until both
// are set: copy them from the parent at every level we pass through.
VoidResult V1Manager::inheritCpuset(const fs::path& mount) const {
    fs::path parent = mount;
    for (const auto& part : m_rel) {
        fs::path dir = parent / part;
        for (const char* file : {"cpuset.cpus", "cpuset.mems"}) {
            auto mine = BERTH_TRY(readControl(dir / file));
            if (mine && mine->find_first_not_of(" \n") != std::string::npos) continue;
            auto theirs = BERTH_TRY(readControl(parent / file));
            std::string value = theirs.value_or("");
            while (!value.empty() && (value.back() == '\n' || value.back() == ' ')) value.pop_back();
            if (value.empty()) continue;  // nothing to inherit (a bare test directory)
            BERTH_TRYV(writeControl(dir / file, value, *m_opts.createMissingFiles));
        }
        parent = dir;
    }
    return {};
}

VoidResult V1Manager::create(const Resources& res) {
    BERTH_TRYV(validate(res));
    if (m_unique.empty())
        return fail(Errc::Unsupported, "create " + describe() + ": no cgroup v1 controller is mounted under " +
                                           m_root.string());
    if (res.memoryBytes || res.memorySwapBytes) BERTH_TRYV(require("memory", "--memory"));
    if (res.cpuQuotaUs) BERTH_TRYV(require("cpu", "--cpus"));
    if (res.cpuShares) BERTH_TRYV(require("cpu", "--cpu-shares"));
    if (res.cpusetCpus) BERTH_TRYV(require("cpuset", "--cpuset-cpus"));
    if (res.pidsLimit) BERTH_TRYV(require("pids", "--pids-limit"));

    std::vector<fs::path> made;
    sys::ScopeGuard undo([&] {
        for (auto it = made.rbegin(); it != made.rend(); ++it)
            (void)removeCgroupDir(*it, m_realFs, std::chrono::milliseconds(0));
    });
    for (const auto& h : m_unique) {
        auto dirs = BERTH_TRY_CTX(makeCgroupDirs(h.mount, m_rel, nullptr), "create " + describe());
        made.insert(made.end(), dirs.begin(), dirs.end());
    }
    if (const Hierarchy* cs = find("cpuset"))
        BERTH_TRYV_CTX(inheritCpuset(cs->mount), "create " + describe());
    if (res.restrictDevices) BERTH_TRYV_CTX(restrictDevices(res), "create " + describe());
    BERTH_TRYV(apply(res));
    undo.dismiss();
    return {};
}

// Deny everything, then allow the default list and the --device rules, one rule per write
// as the kernel wants. Done before any process joins, so no task ever holds a device it
// could not open now.
VoidResult V1Manager::restrictDevices(const Resources& res) const {
    if (!find("devices")) return {};
    BERTH_TRYV(write("devices", "devices.deny", "a"));
    for (const char* rule : kDefaultDeviceRules) BERTH_TRYV(write("devices", "devices.allow", rule));
    for (auto& rule : res.deviceRules) BERTH_TRYV(write("devices", "devices.allow", rule));
    return {};
}

VoidResult V1Manager::update(const Resources& res) {
    BERTH_TRYV(validate(res));
    return applyAllOrNothing(m_undo, *m_opts.createMissingFiles, [&] { return apply(res); });
}

// Reads a v1 limit file as a signed number where "unlimited" is INT64_MAX.
static Result<int64_t> currentLimit(const std::optional<std::string>& text, const fs::path& file) {
    if (!text || text->empty()) return std::numeric_limits<int64_t>::max();
    if (text->starts_with("-1")) return std::numeric_limits<int64_t>::max();
    uint64_t v = BERTH_TRY(parseUint(*text, file));
    if (v >= V1Manager::kUnlimitedThreshold) return std::numeric_limits<int64_t>::max();
    return int64_t(v);
}

VoidResult V1Manager::applyMemory(const Resources& res) {
    const fs::path dir = find("memory")->dir;
    const fs::path memswFile = dir / "memory.memsw.limit_in_bytes";
    bool swapAccounted = *m_opts.createMissingFiles || fs::exists(memswFile);
    // Docker's --memory-swap is the total the memsw file takes; unset means 2 x memory.
    std::optional<int64_t> memsw;
    if (res.memorySwapBytes) {
        memsw = *res.memorySwapBytes;
        if (!swapAccounted && memsw != -1)
            return fail(Errc::Unsupported,
                        "--memory-swap: this kernel does not account swap (no " + quoted(memswFile) +
                            "; boot with swapaccount=1)");
    } else if (res.memoryBytes && swapAccounted) {
        memsw = *res.memoryBytes * 2;
    }
    if (!swapAccounted) memsw.reset();
    if (!res.memoryBytes) {
        if (memsw) BERTH_TRYV(writeControl(memswFile, std::to_string(*memsw), *m_opts.createMissingFiles, m_undo));
        return {};
    }
    if (!memsw)
        return writeControl(dir / "memory.limit_in_bytes", std::to_string(*res.memoryBytes),
                            *m_opts.createMissingFiles, m_undo);

    // The kernel keeps memory <= memsw at every step: with current (L, S) and target
    // (L', S'), writing L' first works when L' <= S, else S' first (then L <= S').
    auto curSwapText = BERTH_TRY(readControl(memswFile));
    int64_t curSwap = BERTH_TRY(currentLimit(curSwapText, memswFile));
    auto writeLimit = [&] {
        return writeControl(dir / "memory.limit_in_bytes", std::to_string(*res.memoryBytes),
                            *m_opts.createMissingFiles, m_undo);
    };
    auto writeSwap = [&] { return writeControl(memswFile, std::to_string(*memsw), *m_opts.createMissingFiles, m_undo); };
    if (*res.memoryBytes <= curSwap) {
        BERTH_TRYV(writeLimit());
        BERTH_TRYV(writeSwap());
    } else {
        BERTH_TRYV(writeSwap());
        BERTH_TRYV(writeLimit());
    }
    return {};
}

VoidResult V1Manager::apply(const Resources& res) {
    if (res.memoryBytes || res.memorySwapBytes) {
        BERTH_TRYV(require("memory", "--memory"));
        BERTH_TRYV(applyMemory(res));
    }
    if (res.cpuQuotaUs) {
        BERTH_TRYV(require("cpu", "--cpus"));
        BERTH_TRYV(write("cpu", "cpu.cfs_period_us", std::to_string(res.cpuPeriodUs)));
        BERTH_TRYV(write("cpu", "cpu.cfs_quota_us", std::to_string(*res.cpuQuotaUs)));
    }
    if (res.cpuShares) {
        BERTH_TRYV(require("cpu", "--cpu-shares"));
        BERTH_TRYV(write("cpu", "cpu.shares", std::to_string(*res.cpuShares)));
    }
    if (res.cpusetCpus) {
        BERTH_TRYV(require("cpuset", "--cpuset-cpus"));
        BERTH_TRYV(write("cpuset", "cpuset.cpus", *res.cpusetCpus));
    }
    if (res.pidsLimit) {
        BERTH_TRYV(require("pids", "--pids-limit"));
        BERTH_TRYV(write("pids", "pids.max",
                         *res.pidsLimit > 0 ? std::to_string(*res.pidsLimit) : std::string("max")));
    }
    return {};
}

VoidResult V1Manager::addProcess(pid_t pid) {
    if (pid <= 0) return fail(Errc::InvalidArgument, "add process: bad pid " + std::to_string(pid));
    // cgroup.procs moves the whole thread group ("tasks" would move one thread).
    for (const auto& h : m_unique)
        BERTH_TRYV(writeControl(h.dir / "cgroup.procs", std::to_string(pid), *m_opts.createMissingFiles));
    return {};
}

Result<std::vector<pid_t>> V1Manager::processes() const {
    std::set<pid_t> all;
    for (const auto& h : m_unique) {
        auto pids = BERTH_TRY(readPids(h.dir / "cgroup.procs"));
        all.insert(pids.begin(), pids.end());
    }
    return std::vector<pid_t>(all.begin(), all.end());
}

Result<Stats> V1Manager::stats() const {
    // Zeros for a removed cgroup would read as an idle container: say it is gone.
    bool any = false;
    for (const auto& u : m_unique) any = any || fs::is_directory(u.dir);
    if (!any) return fail(Errc::NotFound, "stats: cgroup " + describe() + " does not exist");
    Stats s;
    const Hierarchy* h = nullptr;
    if (auto cpu = BERTH_TRY(read("cpuacct", "cpuacct.usage")); cpu && (h = find("cpuacct")))
        s.cpuUsageNs = BERTH_TRY(parseUint(*cpu, h->dir / "cpuacct.usage"));
    if (const Hierarchy* mem = find("memory")) {
        if (auto usage = BERTH_TRY(readControl(mem->dir / "memory.usage_in_bytes"))) {
            s.memoryUsage = BERTH_TRY(parseUint(*usage, mem->dir / "memory.usage_in_bytes"));
            if (auto ms = BERTH_TRY(readControl(mem->dir / "memory.stat"))) {
                uint64_t inactive = keyedValue(*ms, "total_inactive_file").value_or(0);
                if (inactive < s.memoryUsage) s.memoryUsage -= inactive;
            }
        }
        if (auto limit = BERTH_TRY(readControl(mem->dir / "memory.limit_in_bytes"))) {
            uint64_t v = BERTH_TRY(parseUint(*limit, mem->dir / "memory.limit_in_bytes"));
            s.memoryLimit = v >= kUnlimitedThreshold ? 0 : v;
        }
        auto oom = BERTH_TRY(readControl(mem->dir / "memory.oom_control"));
        auto kills = oom ? keyedValue(*oom, "oom_kill") : std::nullopt;
        if (kills) {
            s.oomKills = *kills;
            s.oomKillsSource = "memory.oom_control oom_kill";
        } else if (auto failcnt = BERTH_TRY(readControl(mem->dir / "memory.failcnt"))) {
            // Kernels before 4.13 count no kills: the limit hits are the closest sign.
            s.oomKills = BERTH_TRY(parseUint(*failcnt, mem->dir / "memory.failcnt"));
            s.oomKillsSource = "memory.failcnt";
        }
    }
    if (const Hierarchy* p = find("pids")) {
        if (auto cur = BERTH_TRY(readControl(p->dir / "pids.current")))
            s.pids = BERTH_TRY(parseUint(*cur, p->dir / "pids.current"));
    }
    if (auto io = BERTH_TRY(read("blkio", "blkio.throttle.io_service_bytes")))
        sumBlkioServiceBytes(*io, s.blkioRead, s.blkioWrite);
    return s;
}

VoidResult V1Manager::freeze(bool frozen) {
    BERTH_TRYV(require("freezer", frozen ? "pause" : "unpause"));
    const fs::path state = find("freezer")->dir / "freezer.state";
    const char* want = frozen ? "FROZEN" : "THAWED";
    BERTH_TRYV(writeControl(state, want, *m_opts.createMissingFiles));
    // Reads FREEZING until every task has stopped; writing FROZEN again retries the tasks
    // that were busy in the kernel.
    auto deadline = std::chrono::steady_clock::now() + m_opts.freezeTimeout;
    for (int attempt = 0;; ++attempt) {
        auto text = BERTH_TRY(readControl(state)).value_or("");
        while (!text.empty() && text.back() == '\n') text.pop_back();
        if (text == want) return {};
        if (std::chrono::steady_clock::now() >= deadline)
            return fail(Errc::Timeout, fmt::format("{} {}: freezer.state still reads {} after {} ms",
                                                   frozen ? "freeze" : "thaw", state.parent_path().string(),
                                                   text, m_opts.freezeTimeout.count()));
        backoffSleep(attempt);
        if (frozen && attempt % 10 == 9) BERTH_TRYV(writeControl(state, want, false));
    }
}

VoidResult V1Manager::destroy() {
    if (m_realFs) {
        auto deadline = std::chrono::steady_clock::now() + m_opts.destroyTimeout;
        const Hierarchy* fr = find("freezer");
        for (int attempt = 0;; ++attempt) {
            auto pids = BERTH_TRY_CTX(processes(), "destroy " + describe());
            if (pids.empty()) break;
            for (pid_t p : pids) ::kill(p, SIGKILL);
            // A frozen task acts on SIGKILL only once thawed.
            if (fr && fs::exists(fr->dir / "freezer.state"))
                (void)writeControl(fr->dir / "freezer.state", "THAWED", false);
            if (std::chrono::steady_clock::now() >= deadline)
                return fail(Errc::Timeout, fmt::format("destroy {}: {} processes still alive after {} ms",
                                                       describe(), pids.size(),
                                                       m_opts.destroyTimeout.count()));
            backoffSleep(attempt);
        }
    }
    std::optional<Error> first;
    for (const auto& h : m_unique) {
        auto r = removeCgroupDir(h.dir, m_realFs, m_opts.destroyTimeout);
        if (!r && !first) first = r.error();
    }
    if (first) return fail(std::move(*first));
    return {};
}

} // namespace berth::cgroup
