#include "volume/volume_service.h"

#include "store/events.h"
#include "sys/fs.h"
#include "sys/scope_guard.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>

namespace berth::volume {

namespace fs = std::filesystem;

namespace {

std::string nowRfc3339() {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

} // namespace

VolumeService::VolumeService(store::StoreLayout layout) : m_layout(std::move(layout)) {}

Result<sys::FileLock> VolumeService::lock() const {
    BERTH_TRYV(sys::makeDirs(m_layout.volumes(), 0700));
    return sys::FileLock::acquire(m_layout.volumes() / ".lock", sys::FileLock::Mode::Exclusive);
}

void VolumeService::event(const char* action, const std::string& name) const {
    store::Event e;
    e.type = "volume";
    e.action = action;
    e.id = name;
    e.name = name;
    e.attributes = {{"driver", "local"}};
    (void)store::appendEvent(m_layout, std::move(e));
}

Result<Volume> VolumeService::create(const CreateRequest& request) {
    auto held = BERTH_TRY(lock());
    return createLocked(request);
}

Result<Volume> VolumeService::createLocked(const CreateRequest& request) {
    Volume v;
    v.name = request.name.empty() ? sys::randomHex(32) : request.name;
    if (!isValidVolumeName(v.name))
        return fail(Errc::InvalidArgument, "\"" + v.name + "\" includes invalid characters for a local volume name, "
                                           "only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed");
    BERTH_TRYV_CTX(volumeMountKind(request.options), "create volume " + v.name);
    v.labels = request.labels;
    v.options = request.options;
    v.anonymous = request.anonymous;
    v.createdAt = nowRfc3339();
    auto dir = volumeDir(m_layout.volumes(), v.name);
    if (sys::exists(dir)) return fail(Errc::AlreadyExists, "a volume named " + v.name + " already exists");

    // Build it under a name no reader lists, then rename: a volume is whole or absent.
    auto tmp = m_layout.volumes() / (".new-" + v.name + "-" + sys::randomHex(4));
    sys::ScopeGuard guard([&] { (void)sys::removeAll(tmp); });
    BERTH_TRYV_CTX(sys::makeDirs(tmp, 0701), "create volume " + v.name);
    // Docker's mode for a volume's data: containers running as any user can use it.
    if (::mkdir((tmp / "_data").c_str(), 0755) != 0) return failErrno("create volume " + v.name + ": mkdir _data");
    if (::chmod((tmp / "_data").c_str(), 0755) != 0) return failErrno("create volume " + v.name + ": chmod _data");
    BERTH_TRYV_CTX(sys::writeFileAtomic(tmp / "volume.json", volumeToJson(v), 0600), "create volume " + v.name);
    if (::rename(tmp.c_str(), dir.c_str()) != 0) {
        int e = errno;
        if (e == EEXIST || e == ENOTEMPTY) return fail(Errc::AlreadyExists, "a volume named " + v.name + " already exists");
        return failErrno("create volume " + v.name + ": publish", e);
    }
    guard.dismiss();
    (void)sys::fsyncDir(m_layout.volumes());
    v.mountpoint = dataDir(m_layout.volumes(), v.name);
    event("create", v.name);
    return v;
}

Result<Volume> VolumeService::inspect(std::string_view name) const { return readVolume(m_layout.volumes(), name); }

bool VolumeService::exists(std::string_view name) const {
    return isValidVolumeName(name) && sys::exists(volumeDir(m_layout.volumes(), name) / "volume.json");
}

Result<std::vector<Volume>> VolumeService::list() const {
    std::vector<Volume> out;
    std::error_code ec;
    if (!fs::exists(m_layout.volumes(), ec)) return out;
    for (auto it = fs::directory_iterator(m_layout.volumes(), ec); !ec && it != fs::directory_iterator();
         it.increment(ec)) {
        auto name = it->path().filename().string();
        if (name.empty() || name[0] == '.') continue;  // .lock, .new-* being built
        auto v = readVolume(m_layout.volumes(), name);
        if (v) out.push_back(std::move(*v));
    }
    if (ec) return failErrno("list volumes in " + m_layout.volumes().string(), ec.value());
    std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.name < b.name; });
    return out;
}

Result<std::map<std::string, std::vector<std::string>>> VolumeService::allUsers() const {
    if (!m_users) return std::map<std::string, std::vector<std::string>>{};
    return m_users();
}

Result<std::vector<std::string>> VolumeService::users(std::string_view name) const {
    auto all = BERTH_TRY(allUsers());
    auto it = all.find(std::string(name));
    if (it == all.end()) return std::vector<std::string>{};
    return it->second;
}

uint64_t VolumeService::size(std::string_view name) const { return sys::treeBytes(dataDir(m_layout.volumes(), name)); }

VoidResult VolumeService::remove(std::string_view name, bool force) {
    auto held = BERTH_TRY(lock());
    if (!exists(name)) {
        if (force) return {};
        return fail(Errc::NotFound, "no such volume: " + std::string(name));
    }
    auto using_ = BERTH_TRY(users(name));
    if (!using_.empty()) {
        std::string ids;
        for (auto& id : using_) ids += (ids.empty() ? "" : ", ") + id.substr(0, 12);
        return fail(Errc::Conflict, "remove " + std::string(name) + ": volume is in use - [" + ids + "]");
    }
    return removeLocked(name);
}

VoidResult VolumeService::removeLocked(std::string_view name) {
    auto dir = volumeDir(m_layout.volumes(), name);
    // Rename first so a half-deleted volume is never listed (or mounted) under its name.
    auto doomed = m_layout.volumes() / (".rm-" + std::string(name) + "-" + sys::randomHex(4));
    if (::rename(dir.c_str(), doomed.c_str()) != 0) {
        if (errno == ENOENT) return fail(Errc::NotFound, "no such volume: " + std::string(name));
        return failErrno("remove volume " + std::string(name));
    }
    BERTH_TRYV_CTX(sys::removeAll(doomed), "remove volume " + std::string(name));
    event("destroy", std::string(name));
    return {};
}

Result<PruneReport> VolumeService::prune(bool all) {
    PruneReport report;
    auto held = BERTH_TRY(lock());
    auto users = BERTH_TRY(allUsers());
    auto volumes = BERTH_TRY(list());
    for (auto& v : volumes) {
        if (!all && !v.anonymous) continue;
        if (auto it = users.find(v.name); it != users.end() && !it->second.empty()) continue;
        uint64_t bytes = size(v.name);
        BERTH_TRYV(removeLocked(v.name));
        report.removed.push_back(v.name);
        report.reclaimedBytes += bytes;
    }
    // Leftovers of a create or remove that a crash interrupted.
    std::error_code ec;
    for (auto it = fs::directory_iterator(m_layout.volumes(), ec); !ec && it != fs::directory_iterator();
         it.increment(ec)) {
        auto n = it->path().filename().string();
        if (n.rfind(".rm-", 0) == 0 || n.rfind(".new-", 0) == 0) (void)sys::removeAll(it->path());
    }
    return report;
}

} // namespace berth::volume
