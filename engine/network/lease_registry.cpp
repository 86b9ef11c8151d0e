#include "network/lease_registry.h"

#include "sys/fs.h"
#include "sys/unique_fd.h"

#include <nlohmann/json.hpp>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ctime>

namespace berth::network {

namespace fs = std::filesystem;

namespace {

// A start claims its leases before its store records the endpoint: younger leases than
// this are never taken for stale (the engine's own reconcile uses the same bound).
constexpr int64_t kClaimGraceSeconds = 120;

std::string ownerText(const LeaseOwner& o) { return o.containerId + "\n" + o.runRoot.string() + "\n"; }

struct LeaseFile {
    std::string containerId, runRoot;
};

std::optional<LeaseFile> readLease(const fs::path& path) {
    auto text = sys::readFile(path, 4096);
    if (!text) return std::nullopt;
    LeaseFile l;
    auto nl = text->find('\n');
    if (nl == std::string::npos) return l;  // being written: no owner yet
    l.containerId = text->substr(0, nl);
    auto nl2 = text->find('\n', nl + 1);
    if (nl2 != std::string::npos) l.runRoot = text->substr(nl + 1, nl2 - nl - 1);
    return l;
}

// Whether the store at `runRoot` lists container `id` on `bridge` with address `ip`.
bool ownerStillHolds(const LeaseFile& l, const std::string& bridge, Ipv4 ip) {
    if (l.runRoot.empty() || l.containerId.size() != 64) return false;
    auto path = fs::path(l.runRoot) / "networks" / "endpoints" / (l.containerId + ".json");
    auto text = sys::readFile(path, size_t(4) << 20);
    if (!text) return false;
    auto e = nlohmann::json::parse(*text, nullptr, false);
    if (e.is_discarded() || !e.is_object()) return true;  // foreign: keep rather than steal
    auto atts = e.find("attachments");
    if (atts == e.end() || !atts->is_array()) return false;
    for (auto& a : *atts)
        if (a.is_object() && a.value("bridge", "") == bridge && a.value("ip", "") == ip.str()) return true;
    return false;
}

} // namespace

LeaseRegistry::LeaseRegistry() : m_dir("/run/berth-leases") {}

VoidResult LeaseRegistry::claim(const std::string& bridge, Ipv4 ip, const LeaseOwner& owner) const {
    auto dir = m_dir / bridge;
    auto path = dir / ip.str();
    // The directory goes when its last lease does: made again when a release removed it
    // between our mkdir and our create.
    // Root's alone (0700, leases 0600): a lease names a container, its address and its
    // store's run root. A registry made 0755 by an older berth is closed on the next claim.
    for (int attempt = 0; attempt < 8; ++attempt) {
        BERTH_TRYV_CTX(sys::makeDirs(dir, 0700), "lease registry");
        if (attempt == 0 && ::chmod(m_dir.c_str(), 0700) < 0) return failErrno("lease registry " + m_dir.string());
        sys::UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
        if (fd) {
            if (auto w = sys::writeAll(fd.borrow(), ownerText(owner)); !w) {
                ::unlink(path.c_str());
                return fail(w.error().withContext("lease " + ip.str() + " on " + bridge));
            }
            return {};
        }
        if (errno == ENOENT) continue;
        if (errno != EEXIST) return failErrno("lease address " + ip.str() + " on " + bridge);
        auto held = readLease(path);
        if (held && held->containerId == owner.containerId) return {};
        return fail(Errc::Conflict, "address " + ip.str() + " on " + bridge + " is leased to another container" +
                                        (held && !held->containerId.empty()
                                             ? " (" + held->containerId.substr(0, 12) + " of the store at " + held->runRoot + ")"
                                             : std::string()));
    }
    return fail(Errc::System, "lease address " + ip.str() + " on " + bridge + ": its directory keeps vanishing");
}

Result<Ipv4> LeaseRegistry::claimFree(const std::string& bridge, const Subnet& subnet, Ipv4 gateway,
                                      const std::set<Ipv4>& alsoUsed, Ipv4 after, const LeaseOwner& owner) const {
    for (int pass = 0; pass < 2; ++pass) {
        auto used = leased(bridge);
        used.insert(alsoUsed.begin(), alsoUsed.end());
        while (true) {
            auto a = allocateAddress(subnet, gateway, used, after);
            if (!a) break;
            auto r = claim(bridge, *a, owner);
            if (r) return *a;
            if (r.error().code() != Errc::Conflict) return fail(r.error());
            used.insert(*a);  // taken between our listing and our claim: the next one
        }
        if (pass == 1 || sweepStale(bridge) == 0) break;
    }
    return fail(Errc::Conflict, "no free address left in subnet " + subnet.str() + " (bridge " + bridge + ")");
}

void LeaseRegistry::release(const std::string& bridge, Ipv4 ip, const std::string& containerId) const {
    auto dir = m_dir / bridge;
    auto path = dir / ip.str();
    auto held = readLease(path);
    if (!held || held->containerId != containerId) return;
    ::unlink(path.c_str());
    ::rmdir(dir.c_str());  // the last lease of the bridge: nothing stays behind (ENOTEMPTY otherwise)
}

int LeaseRegistry::releaseAllOf(const std::string& containerId, const fs::path& runRoot) const {
    int released = 0;
    std::error_code ec;
    for (const auto& bridge : fs::directory_iterator(m_dir, ec)) {
        std::string name = bridge.path().filename().string();
        for (auto ip : leased(name)) {
            auto held = readLease(bridge.path() / ip.str());
            if (!held || held->containerId != containerId || held->runRoot != runRoot.string()) continue;
            release(name, ip, containerId);
            ++released;
        }
    }
    return released;
}

std::set<Ipv4> LeaseRegistry::leased(const std::string& bridge) const {
    std::set<Ipv4> out;
    auto dir = m_dir / bridge;
    DIR* d = ::opendir(dir.c_str());
    if (!d) return out;
    while (dirent* e = ::readdir(d))
        if (auto ip = parseIpv4(e->d_name)) out.insert(*ip);
    ::closedir(d);
    return out;
}

int LeaseRegistry::sweepStale(const std::string& bridge) const {
    int removed = 0;
    auto dir = m_dir / bridge;
    int64_t now = ::time(nullptr);
    for (auto ip : leased(bridge)) {
        auto path = dir / ip.str();
        struct stat st;
        if (::stat(path.c_str(), &st) < 0 || now - int64_t(st.st_mtime) < kClaimGraceSeconds) continue;
        auto held = readLease(path);
        if (!held || ownerStillHolds(*held, bridge, ip)) continue;
        if (::unlink(path.c_str()) == 0) ++removed;
    }
    return removed;
}

} // namespace berth::network
