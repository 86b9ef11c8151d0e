#include "container/container_store.h"

#include "sys/fs.h"
#include "sys/userns.h"
#include "sys/unique_fd.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

namespace berth::container {

bool isContainerId(std::string_view s) {
    return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

bool isValidName(std::string_view s) {
    if (s.size() < 2 || s.size() > 128) return false;
    auto alnum = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    };
    if (!alnum(s[0])) return false;
    return std::all_of(s.begin() + 1, s.end(),
                       [&](char c) { return alnum(c) || c == '_' || c == '.' || c == '-'; });
}

std::string randomName() {
    static const char* adjectives[] = {
        "agile",   "bold",     "brave",   "bright",  "calm",    "clever",  "cool",
        "crisp",   "daring",   "eager",   "elastic", "epic",    "fervent", "festive",
        "fond",    "gallant",  "gentle",  "happy",   "hardy",   "humble",  "jolly",
        "keen",    "kind",     "lucid",   "lively",  "loyal",   "merry",   "mighty",
        "modest",  "nifty",    "noble",   "patient", "peaceful", "plucky", "proud",
        "quick",   "quiet",    "rapid",   "serene",  "sharp",   "sleepy",  "smart",
        "steady",  "stoic",    "sunny",   "swift",   "tender",  "tidy",    "upbeat",
        "vivid",   "warm",     "wise",    "witty",   "zealous"};
    static const char* names[] = {
        "babbage",  "bohr",     "boole",    "cerf",     "curie",    "darwin",   "dijkstra",
        "einstein", "euler",    "faraday",  "fermat",   "feynman",  "gauss",    "goodall",
        "hamilton", "hopper",   "hypatia",  "johnson",  "kepler",   "knuth",    "lamarr",
        "lovelace", "maxwell",  "meitner",  "mendel",   "newton",   "noether",  "pascal",
        "pasteur",  "planck",   "ritchie",  "shannon",  "sinoussi", "tesla",    "thompson",
        "turing",   "volta",    "wozniak",  "yalow",    "zuse",     "archimedes", "banach",
        "cori",     "franklin", "galileo",  "heisenberg", "jennings", "kalam",  "liskov",
        "mayer",    "nash",     "ramanujan", "raman",   "wing"};
    std::string r = sys::randomHex(4);
    unsigned v = unsigned(std::stoul(r, nullptr, 16));
    return std::string(adjectives[v % std::size(adjectives)]) + "_" +
           names[(v / 64) % std::size(names)];
}

ContainerStore::ContainerStore(store::StoreLayout layout) : m_layout(std::move(layout)) {}

Result<sys::FileLock> ContainerStore::lockStore() const {
    return sys::FileLock::acquire(m_layout.lockFile(), sys::FileLock::Mode::Exclusive);
}

std::vector<std::string> ContainerStore::ids() const {
    std::vector<std::string> out;
    DIR* d = ::opendir(m_layout.containers().c_str());
    if (!d) return out;
    while (auto* e = ::readdir(d)) {
        std::string_view n = e->d_name;
        if (isContainerId(n)) out.emplace_back(n);
    }
    ::closedir(d);
    return out;
}

Result<std::string> ContainerStore::resolve(std::string_view ref) const {
    if (ref.empty()) return fail(Errc::InvalidArgument, "empty container name or id");
    std::string r(ref);
    if (!r.empty() && r[0] == '/') r.erase(0, 1);
    if (isContainerId(r) && sys::exists(dir(r) / "config.json")) return r;
    // A name first (docker prefers an exact name over an id prefix).
    if (isValidName(r)) {
        std::error_code ec;
        auto target = fs::read_symlink(namesDir() / r, ec);
        if (!ec) {
            std::string id = target.filename().string();
            if (isContainerId(id) && sys::exists(dir(id) / "config.json")) return id;
        }
    }
    bool hex = std::all_of(r.begin(), r.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    });
    if (hex && r.size() < 64) {
        std::string found;
        for (auto& id : ids()) {
            if (id.compare(0, r.size(), r) != 0) continue;
            if (!sys::exists(dir(id) / "config.json")) continue;
            if (!found.empty())
                return fail(Errc::InvalidArgument,
                            "multiple containers match the prefix `" + r + "`: give more of the id");
            found = id;
        }
        if (!found.empty()) return found;
    }
    return fail(Errc::NotFound, "no such container: " + std::string(ref));
}

Result<ContainerConfig> ContainerStore::loadConfig(std::string_view id) const {
    auto text = BERTH_TRY_CTX(sys::readFile(dir(id) / "config.json"), "container " + std::string(id));
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded())
        return fail(Errc::Corrupt, "container " + std::string(id) + ": config.json is not valid JSON");
    return configFromJson(j);
}

Result<ContainerState> ContainerStore::loadState(std::string_view id) const {
    auto path = dir(id) / "state.json";
    auto text = sys::readFile(path);
    if (!text) {
        if (text.error().sysErrno() == ENOENT) return ContainerState{};
        return fail(text.error());
    }
    auto j = nlohmann::json::parse(*text, nullptr, false);
    if (j.is_discarded()) return ContainerState{};
    return stateFromJson(j);
}

Result<ContainerRecord> ContainerStore::load(std::string_view id) const {
    ContainerRecord r;
    r.config = BERTH_TRY(loadConfig(id));
    r.state = BERTH_TRY(loadState(id));
    r.dir = dir(id);
    return r;
}

Result<std::vector<ContainerRecord>> ContainerStore::loadAll() const {
    std::vector<ContainerRecord> out;
    for (auto& id : ids()) {
        // A directory removed by another process meanwhile is simply gone.
        auto r = load(id);
        if (r) out.push_back(std::move(*r));
    }
    return out;
}

VoidResult ContainerStore::writeState(std::string_view id, const ContainerState& state) const {
    auto d = dir(id);
    std::string data = toJson(state).dump();
    auto tmp = d / (".state-" + sys::randomHex(4));
    {
        auto fd = BERTH_TRY(sys::openFile(tmp, O_WRONLY | O_CREAT | O_EXCL | O_TRUNC, 0644));
        if (auto r = sys::writeAll(fd.borrow(), data); !r) {
            ::unlink(tmp.c_str());
            return fail(r.error());
        }
    }
    if (::rename(tmp.c_str(), (d / "state.json").c_str()) < 0) {
        int e = errno;
        ::unlink(tmp.c_str());
        return failErrno("rename state of container " + std::string(id), e);
    }
    return {};
}

// The container's own lock: an flock on its directory.
static Result<sys::UniqueFd> lockContainer(const fs::path& d, std::string_view id) {
    sys::UniqueFd fd(::open(d.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd) return failErrno("open container directory " + d.string());
    while (::flock(fd.get(), LOCK_EX) < 0)
        if (errno != EINTR) return failErrno("lock container " + std::string(id));
    return fd;
}

Result<ContainerState> ContainerStore::updateState(
    std::string_view id, const std::function<void(ContainerState&)>& change) const {
    auto lock = BERTH_TRY(lockContainer(dir(id), id));
    auto state = BERTH_TRY(loadState(id));
    change(state);
    BERTH_TRYV(writeState(id, state));
    return state;
}

Result<ContainerConfig> ContainerStore::updateConfig(
    std::string_view id, const std::function<VoidResult(ContainerConfig&)>& change) const {
    auto lock = BERTH_TRY(lockContainer(dir(id), id));
    auto config = BERTH_TRY(loadConfig(id));
    BERTH_TRYV(change(config));
    BERTH_TRYV_CTX(sys::writeFileAtomic(dir(id) / "config.json", toJson(config).dump(2), 0600),
                   "record the change of container " + std::string(id));
    return config;
}

bool ContainerStore::nameTaken(const std::string& name) const {
    std::error_code ec;
    auto target = fs::read_symlink(namesDir() / name, ec);
    if (ec) return false;
    return sys::exists(dir(target.filename().string()) / "config.json");
}

VoidResult ContainerStore::claimName(const std::string& name, const std::string& id) const {
    BERTH_TRYV(sys::makeDirs(namesDir()));
    auto link = namesDir() / name;
    std::string target = "../" + id;
    if (::symlink(target.c_str(), link.c_str()) == 0) return {};
    if (errno != EEXIST) return failErrno("claim container name `" + name + "`");
    if (nameTaken(name)) {
        std::error_code ec;
        auto other = fs::read_symlink(link, ec).filename().string();
        return fail(Errc::AlreadyExists,
                    "the container name \"/" + name + "\" is already in use by container \"" +
                        other + "\". You have to remove (or rename) that container to be able to reuse that name.");
    }
    // A stale link (its container is gone): take it over.
    ::unlink(link.c_str());
    if (::symlink(target.c_str(), link.c_str()) < 0)
        return failErrno("claim container name `" + name + "`");
    return {};
}

void ContainerStore::releaseName(const std::string& name, const std::string& id) const {
    auto link = namesDir() / name;
    std::error_code ec;
    auto target = fs::read_symlink(link, ec);
    if (!ec && target.filename().string() == id) ::unlink(link.c_str());
}

// Unmounts whatever is still mounted under `dir` (deepest first), so removing the tree
// never descends into a live overlay.
static void unmountUnder(const fs::path& dir) {
    std::ifstream in("/proc/self/mountinfo");
    std::string line;
    std::vector<std::string> points;
    std::string prefix = dir.string() + "/";
    while (std::getline(in, line)) {
        // id parent major:minor root mountpoint ...
        size_t pos = 0;
        for (int i = 0; i < 4 && pos != std::string::npos; ++i) pos = line.find(' ', pos + 1);
        if (pos == std::string::npos) continue;
        size_t end = line.find(' ', pos + 1);
        std::string mp = line.substr(pos + 1, end - pos - 1);
        if (mp.compare(0, prefix.size(), prefix) == 0) points.push_back(mp);
    }
    std::sort(points.begin(), points.end(), [](auto& a, auto& b) { return a.size() > b.size(); });
    for (auto& p : points) ::umount2(p.c_str(), MNT_DETACH);
}

VoidResult ContainerStore::removeRecord(const ContainerConfig& config) const {
    auto d = dir(config.id);
    releaseName(config.name, config.id);
    unmountUnder(d);
    // Rename out of containers/ first so no reader ever sees a half-removed container.
    auto trash = m_layout.tmp() / ("rm-" + config.id + "-" + sys::randomHex(4));
    if (::rename(d.c_str(), trash.c_str()) == 0) d = trash;
    else if (errno == ENOENT) return {};
    BERTH_TRYV_CTX(sys::removeTreeAsOwner(d, m_layout.settings), "remove container " + config.id);  // rootless: mapped owners
    return {};
}

} // namespace berth::container
