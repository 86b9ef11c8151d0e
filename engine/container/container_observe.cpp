// Looking at containers: status text, inspect, logs, top, stats.
#include "container/container_service.h"

#include "container/health.h"
#include "container/log_file.h"
#include "image/healthcheck_json.h"
#include "container/log_reader.h"
#include "container/service_impl.h"
#include "container/container_volumes.h"
#include "cgroup/net_dev.h"
#include "sys/fs.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <deque>
#include <fmt/format.h>

namespace berth::container {

namespace fs = std::filesystem;

std::string statusText(const ContainerRecord& rec, int64_t now) {
    auto& st = rec.state;
    auto since = [&](const std::string& t) {
        int64_t ns = parseTimeNano(t);
        return ns > 0 ? (now - ns) / 1000000000 : 0;
    };
    switch (st.status) {
    case Status::Created: return "Created";
    case Status::Running:
        return "Up " + humanDuration(since(st.startedAt)) +
               (rec.config.healthcheck && st.health ? healthSuffix(*st.health) : std::string());
    case Status::Paused: return "Up " + humanDuration(since(st.startedAt)) + " (Paused)";
    case Status::Restarting:
        return fmt::format("Restarting ({}) {} ago", st.exitCode, humanDuration(since(st.finishedAt)));
    case Status::Exited:
        return fmt::format("Exited ({}) {} ago", st.exitCode, humanDuration(since(st.finishedAt)));
    case Status::Dead: return "Dead";
    }
    return "";
}

Result<nlohmann::json> ContainerService::inspect(std::string_view ref) const {
    auto rec = BERTH_TRY(m_impl->find(ref));
    auto& c = rec.config;
    auto& o = c.options;
    auto& st = rec.state;
    using nlohmann::json;
    json portBindings = json::object(), ports = json::object();
    for (auto& p : c.exposedPorts) ports[p] = nullptr;
    for (auto& p : o.ports) {
        std::string key = std::to_string(p.containerPort) + "/" + p.protocol;
        json b{{"HostIp", p.hostIp}, {"HostPort", p.hostPort ? std::to_string(p.hostPort) : ""}};
        portBindings[key].push_back(b);
        ports[key].push_back(b);
    }
    json ulimits = json::array();
    for (auto& u : o.ulimits) ulimits.push_back({{"Name", u.name}, {"Soft", u.soft}, {"Hard", u.hard}});
    json tmpfs = json::object();
    for (auto& t : o.tmpfs) {
        auto colon = t.find(':');
        tmpfs[t.substr(0, colon)] = colon == std::string::npos ? "" : t.substr(colon + 1);
    }
    json binds = json::array();  // docker's HostConfig.Binds: the -v binds as "src:dst[:ro]"
    for (auto& m : o.mounts)
        if (m.type == MountRequest::Type::Bind) binds.push_back(m.source + ":" + m.target + (m.readOnly ? ":ro" : ""));
    json devices = json::array();
    for (auto& d : o.devices)
        devices.push_back({{"PathOnHost", d.pathOnHost}, {"PathInContainer", d.pathInContainer},
                           {"CgroupPermissions", d.permissions}});
    json securityOpt = json::array();
    if (!o.seccompProfile.empty()) securityOpt.push_back("seccomp=" + o.seccompProfile);
    if (o.noNewPrivileges) securityOpt.push_back("no-new-privileges");
    json logConfig = json::object();
    if (o.log.maxSize) logConfig["max-size"] = std::to_string(o.log.maxSize);
    if (o.log.maxFile > 1) logConfig["max-file"] = std::to_string(o.log.maxFile);
    std::string lower;
    for (auto it = c.lowerDirs.rbegin(); it != c.lowerDirs.rend(); ++it)
        lower += (lower.empty() ? "" : ":") + it->string();
    auto& r = o.resources;
    bool running = st.status == Status::Running || st.status == Status::Paused;
    auto args = c.args();
    json j{
        {"Id", c.id},
        {"Created", c.created},
        {"Path", args.empty() ? "" : args[0]},
        {"Args", args.size() > 1 ? json(std::vector<std::string>(args.begin() + 1, args.end())) : json::array()},
        {"State",
         {{"Status", statusName(st.status)},
          {"Running", running},
          {"Paused", st.status == Status::Paused},
          {"Restarting", st.status == Status::Restarting},
          {"OOMKilled", st.oomKilled},
          {"Dead", st.status == Status::Dead},
          {"Pid", running ? st.pid : 0},
          {"ExitCode", st.exitCode},
          {"Error", st.error},
          {"StartedAt", st.startedAt.empty() ? "0001-01-01T00:00:00Z" : st.startedAt},
          {"FinishedAt", st.finishedAt.empty() ? "0001-01-01T00:00:00Z" : st.finishedAt}}},
        {"Image", c.imageId},
        {"ResolvConfPath", (rec.dir / "resolv.conf").string()},
        {"HostnamePath", (rec.dir / "hostname").string()},
        {"HostsPath", (rec.dir / "hosts").string()},
        {"LogPath", (rec.dir / "log.jsonl").string()},
        {"Name", "/" + c.name},
        {"RestartCount", st.restartCount},
        {"Driver", "overlay"},
        {"Platform", "linux"},
        {"HostConfig",
         {{"Memory", r.memoryBytes.value_or(0)},
          {"MemorySwap", r.memorySwapBytes.value_or(0)},
          {"NanoCpus", r.cpuQuotaUs ? *r.cpuQuotaUs * 1000000000 / r.cpuPeriodUs : 0},
          {"CpuQuota", r.cpuQuotaUs.value_or(0)},
          {"CpuPeriod", r.cpuQuotaUs ? r.cpuPeriodUs : 0},
          {"CpuShares", r.cpuShares.value_or(0)},
          {"CpusetCpus", r.cpusetCpus.value_or("")},
          {"PidsLimit", r.pidsLimit ? json(*r.pidsLimit) : json(nullptr)},
          {"ReadonlyRootfs", o.readOnly},
          {"Tmpfs", tmpfs},
          {"CapAdd", o.capAdd},
          {"CapDrop", o.capDrop},
          {"Privileged", o.privileged},
          {"SecurityOpt", securityOpt},
          {"RestartPolicy", {{"Name", o.restart.name()}, {"MaximumRetryCount", o.restart.maxRetries}}},
          {"AutoRemove", o.autoRemove},
          {"LogConfig", {{"Type", "json-file"}, {"Config", logConfig}}},
          {"PortBindings", portBindings},
          {"Ulimits", ulimits},
          {"Binds", binds},
          {"Init", o.init},
          {"Devices", devices},
          {"NetworkMode", o.network.empty() ? "default" : o.network},
          {"Dns", o.dns},
          {"DnsSearch", o.dnsSearch},
          {"DnsOptions", o.dnsOptions},
          {"ExtraHosts", o.addHosts},
          {"ShmSize", o.shmSize},
          {"Sysctls", o.sysctls}}},
        {"GraphDriver",
         {{"Name", "overlay"},
          {"Data",
           {{"LowerDir", lower},
            {"UpperDir", (rec.dir / "upper").string()},
            {"WorkDir", (rec.dir / "work").string()},
            {"MergedDir", (rec.dir / "rootfs").string()}}}}},
        {"Config",
         {{"Hostname", c.hostname},
          {"User", c.user},
          {"Tty", o.tty},
          {"OpenStdin", o.interactive},
          {"Env", c.env},
          {"Cmd", c.cmd},
          {"Entrypoint", c.entrypoint.empty() ? json(nullptr) : json(c.entrypoint)},
          {"Image", c.image},
          {"WorkingDir", c.workingDir},
          {"Labels", o.labels},
          {"StopSignal", c.stopSignal}}},
        {"NetworkSettings", {{"Ports", ports}}},
    };
    if (o.stopTimeout) j["Config"]["StopTimeout"] = *o.stopTimeout;
    if (c.healthcheck) j["Config"]["Healthcheck"] = image::healthConfigJson(*c.healthcheck);
    else if (o.healthcheck && o.healthcheck->test == std::vector<std::string>{"NONE"})
        j["Config"]["Healthcheck"] = image::healthConfigJson(*o.healthcheck);  // --no-healthcheck
    if (c.healthcheck && st.health) j["State"]["Health"] = healthStateJson(*st.health);
    j["Mounts"] = mountsJson(m_impl->store.layout(), c);
    return j;
}

// Reads every complete line of `path` from `offset`, advancing it.
static void readLines(const fs::path& path, uint64_t& offset, std::string& carry,
                      const std::function<void(std::string_view)>& onLine) {
    sys::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return;
    if (::lseek(fd.get(), off_t(offset), SEEK_SET) < 0) return;
    char buf[65536];
    while (true) {
        ssize_t n = ::read(fd.get(), buf, sizeof buf);
        if (n <= 0) break;
        offset += uint64_t(n);
        carry.append(buf, size_t(n));
        size_t pos = 0;
        while (true) {
            auto nl = carry.find('\n', pos);
            if (nl == std::string::npos) break;
            onLine(std::string_view(carry).substr(pos, nl - pos));
            pos = nl + 1;
        }
        carry.erase(0, pos);
    }
}

VoidResult ContainerService::logs(std::string_view ref, const LogsOptions& options,
                                  const std::function<bool(const LogLine&)>& onLine,
                                  std::stop_token stop) const {
    auto id = BERTH_TRY(m_impl->store.resolve(ref));
    auto dir = m_impl->store.dir(id);
    bool stopped = false;
    auto accept = [&](const ParsedLogLine& p) -> bool {
        if (options.sinceNano && p.timeNano < options.sinceNano) return false;
        if (options.untilNano && p.timeNano >= options.untilNano) return false;
        return true;
    };
    auto deliver = [&](ParsedLogLine&& p) {
        if (stopped) return;
        LogLine l{std::move(p.stream), std::move(p.text), p.timeNano};
        if (!onLine(l)) stopped = true;
    };

    // Watch before reading, so nothing written in between is missed when following.
    sys::UniqueFd ino;
    if (options.follow) {
        ino.reset(::inotify_init1(IN_CLOEXEC | IN_NONBLOCK));
        if (!ino) return failErrno("inotify_init1");
        ::inotify_add_watch(ino.get(), dir.c_str(), IN_MODIFY | IN_MOVED_TO | IN_CREATE | IN_DELETE_SELF | IN_MOVE_SELF);
    }

    // Everything written so far: all files for a full read, or the last N lines.
    auto files = logFiles(dir);
    uint64_t offset = 0;
    std::string carry;
    if (options.tail < 0) {
        for (size_t i = 0; i < files.size(); ++i) {
            uint64_t off = 0;
            std::string c;
            readLines(files[i], off, c, [&](std::string_view line) {
                ParsedLogLine p;
                if (decodeLogLine(line, p) && accept(p)) deliver(std::move(p));
            });
            if (i + 1 == files.size()) {
                offset = off;
                carry = c;
            }
        }
    } else {
        // The last N lines, read from the end of the newest file back (a 1M-line log is
        // not read to show 2 lines), into older files only when the newest has too few.
        std::vector<ParsedLogLine> last;  // newest first
        for (size_t i = files.size(); i-- > 0;) {
            auto read = BERTH_TRY(readLinesBackwards(files[i], [&](std::string_view line) {
                if (int64_t(last.size()) >= options.tail) return false;
                ParsedLogLine p;
                if (decodeLogLine(line, p) && accept(p)) last.push_back(std::move(p));
                return int64_t(last.size()) < options.tail;
            }));
            if (i + 1 == files.size()) {
                offset = read.size - read.partial.size();
                carry.clear();
            }
            if (int64_t(last.size()) >= options.tail) break;
        }
        for (auto it = last.rbegin(); it != last.rend(); ++it) deliver(std::move(*it));
    }
    if (!options.follow || stopped) return {};

    sys::UniqueFd wake(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
    std::stop_callback cb(stop, [&] {
        uint64_t one = 1;
        (void)!::write(wake.get(), &one, sizeof one);
    });
    auto logPath = dir / "log.jsonl";
    struct stat st0;
    ino_t inode = ::stat(logPath.c_str(), &st0) == 0 ? st0.st_ino : 0;
    while (!stopped && !stop.stop_requested()) {
        auto rec = m_impl->store.load(id);
        bool active = false;
        pid_t monitorPid = 0;
        if (rec) {
            reconcileState(*rec);
            auto s = rec->state.status;
            active = s == Status::Running || s == Status::Paused || s == Status::Restarting;
            monitorPid = rec->state.monitorPid;
        }
        // The file may have been rotated: start over on the new one.
        struct stat st;
        if (::stat(logPath.c_str(), &st) == 0 && st.st_ino != inode) {
            inode = st.st_ino;
            offset = 0;
            carry.clear();
        } else if (::stat(logPath.c_str(), &st) == 0 && uint64_t(st.st_size) < offset) {
            offset = 0;  // truncated (max-file 1)
            carry.clear();
        }
        readLines(logPath, offset, carry, [&](std::string_view line) {
            ParsedLogLine p;
            if (decodeLogLine(line, p) && accept(p)) deliver(std::move(p));
        });
        if (!active) break;
        auto mon = openPidFd(monitorPid);
        pollfd fds[3] = {{ino.get(), POLLIN, 0}, {wake.get(), POLLIN, 0}, {mon ? mon.get() : -1, POLLIN, 0}};
        int r = ::poll(fds, 3, 1000);
        if (r > 0 && fds[0].revents) {
            char buf[4096];
            while (::read(ino.get(), buf, sizeof buf) > 0) {}
        }
    }
    return {};
}

static std::string readSmall(const std::string& path) {
    auto t = sys::readFile(path, 1 << 20);
    return t ? *t : "";
}

Result<TopResult> ContainerService::top(std::string_view ref) const {
    auto rec = BERTH_TRY(m_impl->find(ref));
    if (rec.state.status != Status::Running && rec.state.status != Status::Paused)
        return fail(Errc::Conflict, "container " + rec.config.name + " is not running");
    std::error_code ec;
    auto nsOf = [&](pid_t pid) {
        return fs::read_symlink("/proc/" + std::to_string(pid) + "/ns/pid", ec).string();
    };
    std::string ns = nsOf(rec.state.pid);
    if (ns.empty()) return fail(Errc::Conflict, "container " + rec.config.name + " is not running");
    TopResult out;
    out.titles = {"UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"};
    long ticks = ::sysconf(_SC_CLK_TCK);
    double uptime = std::atof(readSmall("/proc/uptime").c_str());
    int64_t bootUnix = int64_t(::time(nullptr)) - int64_t(uptime);
    DIR* d = ::opendir("/proc");
    if (!d) return failErrno("open /proc");
    std::vector<std::pair<int, std::vector<std::string>>> rows;
    while (auto* e = ::readdir(d)) {
        int pid = std::atoi(e->d_name);
        if (pid <= 0) continue;
        std::error_code ec2;
        auto link = fs::read_symlink("/proc/" + std::string(e->d_name) + "/ns/pid", ec2).string();
        if (link != ns) continue;
        std::string base = "/proc/" + std::string(e->d_name);
        std::string stat = readSmall(base + "/stat");
        auto close = stat.rfind(')');
        if (close == std::string::npos) continue;
        // Fields after the command: state ppid ... utime(14) stime(15) ... starttime(22).
        std::vector<std::string> f;
        size_t pos = close + 2;
        while (pos < stat.size()) {
            auto sp = stat.find(' ', pos);
            if (sp == std::string::npos) sp = stat.size();
            f.push_back(stat.substr(pos, sp - pos));
            pos = sp + 1;
        }
        if (f.size() < 20) continue;
        std::string uid = "0";
        std::string status = readSmall(base + "/status");
        if (auto u = status.find("\nUid:\t"); u != std::string::npos)
            uid = status.substr(u + 6, status.find('\t', u + 6) - (u + 6));
        uint64_t cpuTicks = std::stoull(f[11]) + std::stoull(f[12]);
        uint64_t secs = cpuTicks / uint64_t(ticks);
        int64_t start = bootUnix + int64_t(std::stoull(f[19]) / uint64_t(ticks));
        time_t st = time_t(start);
        struct tm tm {};
        localtime_r(&st, &tm);
        std::string cmd = readSmall(base + "/cmdline");
        while (!cmd.empty() && cmd.back() == '\0') cmd.pop_back();
        for (auto& ch : cmd)
            if (ch == '\0') ch = ' ';
        if (cmd.empty()) cmd = "[" + stat.substr(stat.find('(') + 1, close - stat.find('(') - 1) + "]";
        rows.push_back({pid, {uid, std::to_string(pid), f[1], "0", fmt::format("{:02}:{:02}", tm.tm_hour, tm.tm_min),
                              "?", fmt::format("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60), cmd}});
    }
    ::closedir(d);
    std::sort(rows.begin(), rows.end(), [](auto& a, auto& b) { return a.first < b.first; });
    for (auto& r : rows) out.processes.push_back(std::move(r.second));
    return out;
}

static uint64_t hostCpuNs() {
    std::string s = readSmall("/proc/stat");
    if (s.rfind("cpu ", 0) != 0) return 0;
    uint64_t total = 0;
    size_t pos = 4, nl = s.find('\n');
    while (pos < nl) {
        while (pos < nl && s[pos] == ' ') ++pos;
        size_t end = s.find(' ', pos);
        if (end > nl) end = nl;
        if (end > pos) total += std::strtoull(s.substr(pos, end - pos).c_str(), nullptr, 10);
        pos = end;
    }
    return total * (1000000000ull / uint64_t(::sysconf(_SC_CLK_TCK)));
}

// The init's network namespace's counters; none (0) when it has just gone.
static void netCounters(pid_t pid, ContainerStats& s) {
    cgroup::NetDevCounters c;
    if (!cgroup::parseNetDev(readSmall("/proc/" + std::to_string(pid) + "/net/dev"), c)) c = {};
    s.netRx = c.rxBytes;
    s.netTx = c.txBytes;
    s.netRxPackets = c.rxPackets;
    s.netTxPackets = c.txPackets;
    s.netRxErrors = c.rxErrors;
    s.netTxErrors = c.txErrors;
    s.netRxDropped = c.rxDropped;
    s.netTxDropped = c.txDropped;
}

Result<std::vector<ContainerStats>> ContainerService::stats(const std::vector<std::string>& refs) const {
    std::vector<ContainerRecord> recs;
    if (refs.empty()) {
        // The state first: the config (the larger file) only of running containers.
        for (auto& id : m_impl->store.ids()) {
            auto state = m_impl->store.loadState(id);
            if (!state || (state->status != Status::Running && state->status != Status::Paused)) continue;
            auto config = m_impl->store.loadConfig(id);
            if (!config) continue;  // removed meanwhile
            ContainerRecord r{std::move(*config), std::move(*state), m_impl->store.dir(id)};
            reconcileState(r);
            if (r.state.status == Status::Running || r.state.status == Status::Paused) recs.push_back(std::move(r));
        }
    } else {
        for (auto& ref : refs) recs.push_back(BERTH_TRY(m_impl->find(ref)));
    }
    std::vector<ContainerStats> out;
    uint64_t sysNs = hostCpuNs();
    long cpus = ::sysconf(_SC_NPROCESSORS_ONLN);
    for (auto& rec : recs) {
        ContainerStats s;
        s.id = rec.config.id;
        s.name = rec.config.name;
        s.timeNano = nowNano();
        s.systemUsageNs = sysNs;
        s.onlineCpus = unsigned(cpus > 0 ? cpus : 1);
        s.startedNano = parseTimeNano(rec.state.startedAt);
        bool running = rec.state.status == Status::Running || rec.state.status == Status::Paused;
        if (running) {
            auto cg = BERTH_TRY(m_impl->cgroupFor(rec.config.id));
            if (auto raw = cg->stats()) {
                s.cpuUsageNs = raw->cpuUsageNs;
                s.memoryUsage = raw->memoryUsage;
                s.memoryLimit = raw->memoryLimit;
                s.pids = raw->pids;
                s.blkioRead = raw->blkioRead;
                s.blkioWrite = raw->blkioWrite;
            }
            netCounters(rec.state.pid, s);
        }
        out.push_back(std::move(s));
    }
    return out;
}

} // namespace berth::container
