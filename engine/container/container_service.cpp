#include "container/container_service.h"
#include "container/health.h"
#include "container/lifecycle.h"

#include "container/service_impl.h"
#include "container/container_volumes.h"
#include "container/log_file.h"
#include "container/spec_builder.h"
#include "sys/spawn.h"
#include "sys/scope_guard.h"
#include "store/events.h"
#include "sys/fs.h"
#include "container/rootless_checks.h"
#include "berth/run_flags.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

namespace berth::container {

namespace fs = std::filesystem;

ContainerService::ContainerService(store::StoreLayout layout, image::ImageStore& images)
    : m_impl(std::make_unique<Impl>(std::move(layout), images)) {
    m_impl->volumes.setUsersLookup([this] { return volumeUsers(); });
}

volume::VolumeService& ContainerService::volumes() { return m_impl->volumes; }

Result<std::map<std::string, std::vector<std::string>>> ContainerService::volumeUsers() const {
    return container::volumeUsers(m_impl->store);
}

ContainerService::~ContainerService() = default;

std::string ContainerService::monitorProgram(const EngineSettings& settings) {
    return sys::helperProgram("berth-monitor", settings.helpers.monitor);
}

void ContainerService::Impl::event(const ContainerConfig& c, const char* action,
                                   std::map<std::string, std::string> attrs) const {
    (void)Lifecycle(store, c).event(action, std::move(attrs));  // the journal is a record, not the operation
}

Result<ContainerRecord> ContainerService::Impl::find(std::string_view ref) const {
    auto id = BERTH_TRY(store.resolve(ref));
    auto rec = BERTH_TRY(store.load(id));
    reconcileState(rec);
    return rec;
}

Result<std::unique_ptr<cgroup::CgroupManager>> ContainerService::Impl::cgroupFor(const std::string& id) {
    return cgroup::openHostManager("berth/" + id, store.layout().settings);
}

static bool hasKey(const std::vector<std::string>& env, const std::string& kv) {
    auto key = kv.substr(0, kv.find('='));
    for (auto& e : env)
        if (e.compare(0, key.size() + 1, key + "=") == 0) return true;
    return false;
}

VoidResult validateLimits(const ResourceLimits& r) {
    if (r.memoryBytes && *r.memoryBytes < 6 * 1024 * 1024)
        return fail(Errc::InvalidArgument, "minimum memory limit allowed is 6MB");
    if (r.memorySwapBytes && *r.memorySwapBytes != -1) {
        if (!r.memoryBytes)
            return fail(Errc::InvalidArgument, "you should always set the memory limit when using the memory-swap limit");
        if (*r.memorySwapBytes < *r.memoryBytes)
            return fail(Errc::InvalidArgument, "minimum memory-swap limit should be larger than the memory limit");
    }
    if (r.pidsLimit && *r.pidsLimit == 0)
        return fail(Errc::InvalidArgument, "--pids-limit must be positive (or -1 for unlimited)");
    if (r.cpuShares && *r.cpuShares != 0 && *r.cpuShares < 2)
        return fail(Errc::InvalidArgument, "--cpu-shares must be at least 2");
    if (r.cpusetCpus) {
        auto& s = *r.cpusetCpus;
        if (s.empty() || s.find_first_not_of("0123456789,-") != std::string::npos)
            return fail(Errc::InvalidArgument, "invalid --cpuset-cpus `" + s + "`");
    }
    return {};
}

static VoidResult validateOptions(const CreateOptions& o) {
    BERTH_TRYV(validateLimits(o.resources));
    BERTH_TRYV(deviceNodes(o.devices));
    if (!o.workingDir.empty() && o.workingDir[0] != '/')
        return fail(Errc::InvalidArgument, "the working directory '" + o.workingDir +
                                               "' is invalid, it needs to be an absolute path");
    if (o.autoRemove && o.restart.kind != RestartPolicy::Kind::No)
        return fail(Errc::InvalidArgument, "conflicting options: cannot specify both --restart and --rm");
    for (auto& t : o.tmpfs)
        if (t.empty() || t[0] != '/')
            return fail(Errc::InvalidArgument, "--tmpfs needs an absolute path: `" + t + "`");
    if (!o.hostname.empty() && (o.hostname.size() > 64 || o.hostname.find_first_of("/ \t") != std::string::npos))
        return fail(Errc::InvalidArgument, "invalid hostname `" + o.hostname + "`");
    return {};
}

// The image's environment with `-e` applied: KEY=VALUE replaces or adds; a bare KEY takes the
// caller's value, and is dropped (as docker drops it) when the caller has none.
static std::vector<std::string> mergeEnv(std::vector<std::string> env, const std::vector<std::string>& given) {
    for (auto& e : given) {
        std::string kv = e;
        if (kv.find('=') == std::string::npos) {
            const char* v = std::getenv(kv.c_str());
            if (!v) continue;
            kv += std::string("=") + v;
        }
        if (hasKey(env, kv)) {
            auto key = kv.substr(0, kv.find('=') + 1);
            for (auto& x : env)
                if (x.compare(0, key.size(), key) == 0) x = kv;
        } else {
            env.push_back(kv);
        }
    }
    return env;
}

Result<std::string> ContainerService::create(const CreateOptions& options, bool imageVolumes) {
    auto& im = *m_impl;
    BERTH_TRYV(validateOptions(options));
    BERTH_TRYV(checkMounts(options));
    BERTH_TRYV(checkRootlessOptions(options, im.store.layout().settings));  // rootless: limits, low ports
    if (!options.name.empty() && !isValidName(options.name))
        return fail(Errc::InvalidArgument, "invalid container name \"" + options.name +
                                               "\", only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
    if (options.image.empty()) return fail(Errc::InvalidArgument, "no image given");
    auto summary = im.images.resolve(options.image);
    if (!summary) {
        if (summary.error().code() == Errc::NotFound)
            return fail(Errc::NotFound, "Unable to find image '" + options.image + "' locally");
        return fail(summary.error());
    }
    auto imageConfig = BERTH_TRY_CTX(im.images.config(summary->id), "image " + options.image);
    auto layers = BERTH_TRY_CTX(im.images.layerPaths(summary->id), "image " + options.image);

    ContainerConfig c;
    c.id = sys::randomHex(32);
    c.name = options.name;
    c.image = options.image;
    c.imageId = summary->id.str();
    c.createdNano = nowNano();
    c.created = formatTimeNano(c.createdNano);
    if (options.entrypoint) {
        c.entrypoint = *options.entrypoint;
        c.cmd = options.cmd;
    } else {
        c.entrypoint = imageConfig.entrypoint;
        c.cmd = options.cmd.empty() ? imageConfig.cmd : options.cmd;
    }
    if (c.entrypoint.empty() && c.cmd.empty())
        return fail(Errc::InvalidArgument, "no command specified");
    c.env = mergeEnv(imageConfig.env, options.env);
    c.workingDir = options.workingDir.empty() ? imageConfig.workingDir : options.workingDir;
    if (c.workingDir.empty()) c.workingDir = "/";
    c.user = options.user.empty() ? imageConfig.user : options.user;
    c.hostname = options.hostname.empty() ? c.id.substr(0, 12) : options.hostname;
    c.stopSignal = !options.stopSignal.empty()    ? options.stopSignal
                   : imageConfig.stopSignal.empty() ? "SIGTERM"
                                                    : imageConfig.stopSignal;
    if (signalNumber(c.stopSignal) < 0) c.stopSignal = "SIGTERM";
    c.exposedPorts = imageConfig.exposedPorts;
    c.lowerDirs = layers;
    c.healthcheck = effectiveHealthcheck(imageConfig.healthcheck, options.healthcheck);
    c.options = options;
    // The image's VOLUMEs not mounted otherwise: anonymous volumes, filled from the image
    // when first mounted (the runtime's copy-up), kept in the record like `-v /path`.
    if (imageVolumes) BERTH_TRYV(addVolumePaths(c.options, imageConfig.volumes, "the image's VOLUME"));
    nameAnonymousVolumes(c.options.mounts);

    // Build the record in a private directory, then publish it with one rename under
    // the store lock: readers see a whole container or none.
    auto tmp = im.store.layout().containers() / (".new-" + c.id);
    sys::ScopeGuard guard([&] { (void)sys::removeAll(tmp); });
    BERTH_TRYV(sys::makeDirs(tmp / "upper"));
    BERTH_TRYV(sys::makeDirs(tmp / "work"));
    BERTH_TRYV(sys::makeDirs(tmp / "rootfs"));
    if (!options.seccompProfile.empty() && options.seccompProfile != "unconfined") {
        auto text = BERTH_TRY_CTX(sys::readFile(options.seccompProfile, size_t(4) << 20), "seccomp profile");
        auto fd = BERTH_TRY(sys::openFile(tmp / "seccomp.json", O_WRONLY | O_CREAT | O_TRUNC, 0600));
        BERTH_TRYV(sys::writeAll(fd.borrow(), text));
    }
    // The record must survive a crash, except for --rm containers that die with it.
    auto writeConfig = [&]() -> VoidResult {
        std::string text = toJson(c).dump(2);
        auto fd = BERTH_TRY(sys::openFile(tmp / "config.json", O_WRONLY | O_CREAT | O_TRUNC, 0600));
        BERTH_TRYV(sys::writeAll(fd.borrow(), text));
        if (!options.autoRemove && ::fdatasync(fd.get()) < 0) return failErrno("fsync container config");
        return {};
    };
    // The config names the container: a generated name is picked before it is written
    // (one write and one fsync), and checked again under the lock below.
    auto pickName = [&] {
        for (int i = 0; i < 100; ++i) {
            c.name = randomName();
            if (i > 5) c.name += std::to_string(i);
            if (!im.store.nameTaken(c.name)) break;
        }
    };
    bool generatedName = c.name.empty();
    if (generatedName) pickName();
    BERTH_TRYV(writeConfig());
    {
        auto lock = BERTH_TRY(im.store.lockStore());
        if (generatedName && im.store.nameTaken(c.name)) {
            // Taken meanwhile by another process: pick again under the lock and rewrite.
            pickName();
            BERTH_TRYV(writeConfig());
        }
        BERTH_TRYV(writeEtcFiles(c, tmp));
        // The volumes are made and the container published under the volumes' lock: a
        // concurrent prune sees either no volume or a volume with its user.
        auto volumesLock = BERTH_TRY(im.volumes.lock());
        auto madeVolumes = BERTH_TRY(createMissingVolumes(im.volumes, c.options.mounts));
        sys::ScopeGuard volumesGuard([&] {
            for (auto& n : madeVolumes) (void)im.volumes.removeLocked(n);
        });
        BERTH_TRYV(im.store.claimName(c.name, c.id));
        if (::rename(tmp.c_str(), im.store.dir(c.id).c_str()) < 0) {
            int e = errno;
            im.store.releaseName(c.name, c.id);
            return failErrno("publish container " + c.id, e);
        }
        guard.dismiss();
        volumesGuard.dismiss();
        if (!options.autoRemove) (void)sys::fsyncDir(im.store.layout().containers());
    }
    im.event(c, "create");
    return c.id;
}

static ContainerSummary summaryOf(const ContainerRecord& rec, int64_t now) {
    auto& st = rec.state;
    ContainerSummary s;
    s.id = rec.config.id;
    s.name = rec.config.name;
    s.image = rec.config.image;
    s.imageId = rec.config.imageId;
    for (auto& a : rec.config.args()) s.command += (s.command.empty() ? "" : " ") + a;
    s.created = rec.config.createdNano / 1000000000;
    s.state = st.status;
    s.status = statusText(rec, now);
    s.exitCode = st.exitCode;
    s.pid = st.status == Status::Running || st.status == Status::Paused ? st.pid : 0;
    s.oomKilled = st.oomKilled;
    s.restartCount = st.restartCount;
    s.startedAt = st.startedAt;
    s.finishedAt = st.finishedAt;
    s.memoryLimit = rec.config.options.resources.memoryBytes;
    s.ports = rec.config.options.ports;
    s.networks = {rec.config.options.network.empty() ? std::string("bridge") : rec.config.options.network};
    s.labels = rec.config.options.labels;
    if (rec.config.healthcheck && st.health && (st.status == Status::Running || st.status == Status::Paused))
        s.health = st.health->status;
    return s;
}

Result<ContainerSummary> ContainerService::summary(std::string_view ref) const {
    auto rec = BERTH_TRY(m_impl->find(ref));
    reconcileState(rec);
    return summaryOf(rec, nowNano());
}

Result<std::vector<ContainerSummary>> ContainerService::list(bool all) const {
    auto records = BERTH_TRY(m_impl->store.loadAll());
    // Newest first, by the nanosecond creation time (stable for equal times).
    std::stable_sort(records.begin(), records.end(),
                     [](auto& a, auto& b) { return a.config.createdNano > b.config.createdNano; });
    int64_t now = nowNano();
    std::vector<ContainerSummary> out;
    for (auto& rec : records) {
        reconcileState(rec);
        auto& st = rec.state;
        bool active = st.status == Status::Running || st.status == Status::Paused ||
                      st.status == Status::Restarting;
        if (!all && !active) continue;
        out.push_back(summaryOf(rec, now));
    }
    return out;
}

Result<ContainerRecord> ContainerService::get(std::string_view ref) const { return m_impl->find(ref); }

VoidResult ContainerService::remove(std::string_view ref, bool force, bool volumes) {
    auto& im = *m_impl;
    auto rec = BERTH_TRY(im.find(ref));
    auto st = rec.state.status;
    if (st == Status::Running || st == Status::Paused || st == Status::Restarting) {
        if (!force)
            return fail(Errc::Conflict, "cannot remove container \"" + rec.config.name +
                                            "\": container is " + statusName(st) +
                                            ": stop the container before removing or force remove");
        BERTH_TRYV(im.stopRunning(rec, SIGKILL, 0));
        auto again = im.store.load(rec.config.id);
        if (!again) return {};  // --rm: the monitor removed it already
        rec = std::move(*again);
    }
    {
        auto lock = BERTH_TRY(im.store.lockStore());
        if (!sys::exists(rec.dir / "config.json")) return {};
        // A monitor that died without cleaning up leaves its cgroup: take it down.
        if (rec.state.status == Status::Dead)
            if (auto cg = im.cgroupFor(rec.config.id)) (void)(*cg)->destroy();
        BERTH_TRYV(Lifecycle(im.store, rec.config).remove(volumes));
    }
    (void)Lifecycle(im.store, rec.config).removed();
    return {};
}

Result<PruneReport> ContainerService::prune() {
    PruneReport report;
    auto records = BERTH_TRY(m_impl->store.loadAll());
    for (auto& rec : records) {
        reconcileState(rec);
        if (rec.state.status != Status::Exited && rec.state.status != Status::Created &&
            rec.state.status != Status::Dead)
            continue;
        uint64_t size = sys::treeBytes(rec.dir / "upper");
        if (remove(rec.config.id, false, false)) {
            report.removedIds.push_back(rec.config.id);
            report.reclaimedBytes += size;
        }
    }
    return report;
}

Result<DiskUsage> ContainerService::diskUsage() const {
    DiskUsage du;
    auto records = BERTH_TRY(m_impl->store.loadAll());
    for (auto& rec : records) {
        reconcileState(rec);
        ++du.total;
        uint64_t size = sys::treeBytes(rec.dir / "upper");
        for (auto& f : logFiles(rec.dir)) {
            struct stat st;
            if (::stat(f.c_str(), &st) == 0) size += uint64_t(st.st_size);
        }
        du.sizeBytes += size;
        du.sizes[rec.config.id] = size;
        bool active = rec.state.status == Status::Running || rec.state.status == Status::Paused ||
                      rec.state.status == Status::Restarting;
        if (active) ++du.active;
        else du.reclaimableBytes += size;
    }
    return du;
}

Result<std::set<std::string>> ContainerService::imageIdsInUse() const {
    std::set<std::string> out;
    for (auto& id : m_impl->store.ids())
        if (auto c = m_impl->store.loadConfig(id)) out.insert(c->imageId);
    return out;
}

} // namespace berth::container
