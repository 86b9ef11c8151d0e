#include "network/network_store.h"

#include "sys/fs.h"

#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

namespace berth::network {

namespace fs = std::filesystem;
using nlohmann::json;

std::string builtinId(std::string_view name) {
    std::string id;
    for (unsigned char c : name) id += fmt::format("{:02x}", c);
    id.resize(64, '0');
    return id;
}

template <class T>
static T get(const json& j, const char* key, T def) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return def;
    try {
        return it->get<T>();
    } catch (const json::exception&) {
        return def;
    }
}

static Result<json> readJson(const fs::path& path) {
    auto text = BERTH_TRY(sys::readFile(path, size_t(16) << 20));
    auto j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return fail(Errc::Corrupt, "`" + path.string() + "` is not a JSON object");
    return j;
}

Result<sys::FileLock> NetworkStore::lock() const {
    BERTH_TRYV(sys::makeDirs(dir(), 0700));
    return sys::FileLock::acquire(dir() / "lock", sys::FileLock::Mode::Exclusive);
}

Result<NetworkConfig> NetworkStore::config() const {
    NetworkConfig c;
    auto path = dir() / "config.json";
    if (!sys::exists(path)) return c;
    auto j = BERTH_TRY_CTX(readJson(path), "network configuration");
    std::string ctx = "network configuration `" + path.string() + "`";
    c.bridgeName = get<std::string>(j, "bridgeName", c.bridgeName);
    if (c.bridgeName.empty() || c.bridgeName.size() > 15 || c.bridgeName.find_first_of("/ :") != std::string::npos)
        return fail(Errc::InvalidArgument, ctx + ": bridgeName must be a device name of 1 to 15 characters");
    if (j.contains("bridgeSubnet"))
        c.bridgeSubnet = BERTH_TRY_CTX(parseSubnet(get<std::string>(j, "bridgeSubnet", "")), ctx);
    if (j.contains("pool")) c.pool = BERTH_TRY_CTX(parseSubnet(get<std::string>(j, "pool", "")), ctx);
    c.poolPrefix = get<int>(j, "poolPrefix", c.poolPrefix);
    if (c.poolPrefix < c.pool.prefix || c.poolPrefix > 30)
        return fail(Errc::InvalidArgument, ctx + ": poolPrefix must be between the pool's prefix and 30");
    c.nftTable = get<std::string>(j, "nftTable", c.nftTable);
    if (c.nftTable.empty() || c.nftTable.size() > 32 ||
        c.nftTable.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != std::string::npos)
        return fail(Errc::InvalidArgument, ctx + ": nftTable must be letters, digits and _");
    return c;
}

static json toJson(const NetworkDef& d) {
    json members = json::object();
    for (auto& [id, m] : d.members) members[id] = {{"aliases", m.aliases}, {"ipAddress", m.ipAddress}};
    return {{"id", d.id},           {"name", d.name},         {"driver", d.driver},
            {"bridge", d.bridge},   {"subnet", d.subnet.str()}, {"gateway", d.gateway.str()},
            {"internal", d.internal}, {"created", d.created}, {"labels", d.labels},
            {"members", members}, {"departed", d.departed}};
}

static Result<NetworkDef> defFromJson(const json& j) {
    NetworkDef d;
    d.id = get<std::string>(j, "id", "");
    d.name = get<std::string>(j, "name", "");
    d.driver = get<std::string>(j, "driver", "bridge");
    d.bridge = get<std::string>(j, "bridge", "");
    d.subnet = BERTH_TRY(parseSubnet(get<std::string>(j, "subnet", "")));
    d.gateway = BERTH_TRY(parseIpv4(get<std::string>(j, "gateway", "")));
    d.internal = get<bool>(j, "internal", false);
    d.created = get<std::string>(j, "created", "");
    d.labels = get<std::map<std::string, std::string>>(j, "labels", {});
    if (auto it = j.find("members"); it != j.end() && it->is_object())
        for (auto& [id, m] : it->items())
            d.members[id] = {get<std::vector<std::string>>(m, "aliases", {}), get<std::string>(m, "ipAddress", "")};
    for (auto& id : get<std::vector<std::string>>(j, "departed", {})) d.departed.insert(id);
    if (d.id.size() != 64 || d.name.empty() || d.bridge.empty()) return fail(Errc::Corrupt, "incomplete network definition");
    return d;
}

Result<std::vector<NetworkDef>> NetworkStore::definitions() const {
    auto cfg = BERTH_TRY(config());
    std::vector<NetworkDef> out;
    NetworkDef bridge;
    bridge.id = builtinId("bridge");
    bridge.name = "bridge";
    bridge.bridge = cfg.bridgeName;
    bridge.subnet = cfg.bridgeSubnet;
    bridge.gateway = cfg.bridgeSubnet.first();
    bridge.builtin = true;
    out.push_back(bridge);
    std::error_code ec;
    std::vector<NetworkDef> user;
    for (auto& e : fs::directory_iterator(dir(), ec)) {
        auto name = e.path().filename().string();
        if (name.size() != 64 + 5 || !name.ends_with(".json")) continue;
        auto j = readJson(e.path());
        if (!j) continue;  // a torn file is skipped, not fatal for every network command
        auto d = defFromJson(*j);
        if (d) user.push_back(std::move(*d));
    }
    std::sort(user.begin(), user.end(), [](auto& a, auto& b) { return a.name < b.name; });
    for (auto& d : user) out.push_back(std::move(d));
    return out;
}

VoidResult NetworkStore::save(const NetworkDef& def) const {
    BERTH_TRYV(sys::makeDirs(dir(), 0700));
    return sys::writeFileAtomic(dir() / (def.id + ".json"), toJson(def).dump(2) + "\n", 0600);
}

VoidResult NetworkStore::erase(const std::string& id) const {
    std::error_code ec;
    fs::remove(dir() / (id + ".json"), ec);
    if (ec) return fail(Error::fromErrno("remove network definition " + id, ec.value()));
    return sys::fsyncDir(dir());
}

static json toJson(const Endpoint& e) {
    json atts = json::array();
    for (auto& a : e.attachments)
        atts.push_back({{"networkId", a.networkId}, {"networkName", a.networkName}, {"bridge", a.bridge},
                        {"ip", a.ip.str()}, {"prefix", a.prefix}, {"gateway", a.gateway.str()},
                        {"mac", a.mac}, {"hostIf", a.hostIf}, {"ifname", a.ifname}, {"aliases", a.aliases},
                        {"resolvesPeers", a.resolvesPeers}, {"internal", a.internal}});
    json ports = json::array();
    for (auto& p : e.ports)
        ports.push_back({{"hostIp", p.port.hostIp}, {"hostPort", p.port.hostPort},
                         {"containerPort", p.port.containerPort}, {"protocol", p.port.protocol},
                         {"target", p.target.str()}});
    return {{"containerId", e.containerId}, {"name", e.name}, {"hostname", e.hostname},
            {"hostsFile", e.hostsFile},     {"attachments", atts}, {"ports", ports},
            {"monitorPid", e.monitorPid},   {"preparerPid", e.preparerPid}, {"preparedAt", e.preparedAt}};
}

static Endpoint endpointFromJson(const json& j) {
    Endpoint e;
    e.containerId = get<std::string>(j, "containerId", "");
    e.name = get<std::string>(j, "name", "");
    e.hostname = get<std::string>(j, "hostname", "");
    e.hostsFile = get<std::string>(j, "hostsFile", "");
    e.monitorPid = get<pid_t>(j, "monitorPid", 0);
    e.preparerPid = get<pid_t>(j, "preparerPid", 0);
    e.preparedAt = get<int64_t>(j, "preparedAt", 0);
    if (auto it = j.find("attachments"); it != j.end() && it->is_array())
        for (auto& x : *it) {
            Attachment a;
            a.networkId = get<std::string>(x, "networkId", "");
            a.networkName = get<std::string>(x, "networkName", "");
            a.bridge = get<std::string>(x, "bridge", "");
            a.ip = parseIpv4(get<std::string>(x, "ip", "")).value_or(Ipv4{});
            a.prefix = get<int>(x, "prefix", 0);
            a.gateway = parseIpv4(get<std::string>(x, "gateway", "")).value_or(Ipv4{});
            a.mac = get<std::string>(x, "mac", "");
            a.hostIf = get<std::string>(x, "hostIf", "");
            a.ifname = get<std::string>(x, "ifname", "");
            a.aliases = get<std::vector<std::string>>(x, "aliases", {});
            a.resolvesPeers = get<bool>(x, "resolvesPeers", false);
            a.internal = get<bool>(x, "internal", false);
            e.attachments.push_back(std::move(a));
        }
    if (auto it = j.find("ports"); it != j.end() && it->is_array())
        for (auto& x : *it) {
            PortMapping p;
            p.port.hostIp = get<std::string>(x, "hostIp", "");
            p.port.hostPort = get<uint16_t>(x, "hostPort", 0);
            p.port.containerPort = get<uint16_t>(x, "containerPort", 0);
            p.port.protocol = get<std::string>(x, "protocol", "tcp");
            p.target = parseIpv4(get<std::string>(x, "target", "")).value_or(Ipv4{});
            e.ports.push_back(std::move(p));
        }
    return e;
}

static fs::path stateDir(const store::StoreLayout& l) { return l.runRoot / "networks"; }
static fs::path legacyFile(const store::StoreLayout& l) { return stateDir(l) / "state.json"; }

fs::path NetworkStore::endpointFile(const fs::path& runRoot, const std::string& containerId) {
    return runRoot / "networks" / "endpoints" / (containerId + ".json");
}

bool NetworkStore::hasState(const store::StoreLayout& layout) {
    return sys::exists(stateDir(layout) / "endpoints") || sys::exists(legacyFile(layout));
}

static bool isContainerId(std::string_view s) {
    return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

static std::string endpointText(const Endpoint& e) {
    auto j = toJson(e);
    j.erase("monitorPid");  // its own file: the monitor writes it without replacing this one
    return j.dump() + "\n";
}

Result<RuntimeState> NetworkStore::loadState() const {
    RuntimeState st;
    auto dir = stateDir(m_layout) / "endpoints";
    if (DIR* d = ::opendir(dir.c_str())) {
        while (dirent* ent = ::readdir(d)) {
            std::string_view name = ent->d_name;
            auto dot = name.find('.');
            if (dot == std::string_view::npos || !isContainerId(name.substr(0, dot))) continue;  // also ".tmp" files
            std::string id(name.substr(0, dot));
            auto ext = name.substr(dot);
            auto text = sys::readFile(dir / ent->d_name, size_t(4) << 20);
            if (!text) continue;  // gone meanwhile
            if (ext == ".json") {
                auto j = json::parse(*text, nullptr, false);
                if (j.is_discarded() || !j.is_object()) continue;
                auto e = endpointFromJson(j);
                e.monitorPid = st.endpoints[id].monitorPid;  // the .monitor file may come first
                st.endpoints[id] = std::move(e);
                st.loadedText[id] = std::move(*text);
            } else if (ext == ".monitor") {
                pid_t pid = std::atoi(text->c_str());
                st.endpoints[id].monitorPid = pid;
                st.loadedMonitor[id] = pid;
            }
        }
        ::closedir(d);
        // A .monitor file whose endpoint file is gone (a torn clean-up): no endpoint.
        std::erase_if(st.endpoints, [&](auto& kv) { return !st.loadedText.contains(kv.first); });
    }
    if (DIR* d = ::opendir((stateDir(m_layout) / "hints").c_str())) {
        while (dirent* ent = ::readdir(d)) {
            if (ent->d_name[0] == '.') continue;
            auto text = sys::readFile(stateDir(m_layout) / "hints" / ent->d_name, 64);
            if (!text) continue;
            while (!text->empty() && (text->back() == '\n' || text->back() == ' ')) text->pop_back();
            if (auto a = parseIpv4(*text)) st.lastLeased[ent->d_name] = st.loadedHints[ent->d_name] = *a;
        }
        ::closedir(d);
    }
    // An older berth kept everything in one file: read it; the next save moves it over.
    if (auto path = legacyFile(m_layout); sys::exists(path)) {
        st.legacyFile = true;  // a torn one is dropped at the next save
        if (auto j = readJson(path))
            if (auto it = j->find("endpoints"); it != j->end() && it->is_object())
                for (auto& [id, e] : it->items())
                    if (isContainerId(id) && !st.endpoints.contains(id)) st.endpoints[id] = endpointFromJson(e);
    }
    return st;
}

// `text` into `path` through a new file renamed into place.
static VoidResult writeReplacing(const fs::path& path, const std::string& text) {
    auto tmp = path.parent_path() / (".tmp-" + path.filename().string() + "-" + sys::randomHex(4));
    {
        auto fd = BERTH_TRY(sys::openFile(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600));
        if (auto r = sys::writeAll(fd.borrow(), text); !r) {
            ::unlink(tmp.c_str());
            return r;
        }
    }
    if (::rename(tmp.c_str(), path.c_str()) < 0) {
        int e = errno;
        ::unlink(tmp.c_str());
        return failErrno("rename network state `" + path.string() + "` into place", e);
    }
    return {};
}

VoidResult NetworkStore::saveState(RuntimeState& st) const {
    auto dir = stateDir(m_layout) / "endpoints";
    BERTH_TRYV(sys::makeDirs(dir, 0700));
    for (auto& [id, e] : st.endpoints) {
        auto text = endpointText(e);
        auto loaded = st.loadedText.find(id);
        if (loaded == st.loadedText.end() || loaded->second != text) {
            BERTH_TRYV(writeReplacing(dir / (id + ".json"), text));
            st.loadedText[id] = text;
        }
        auto mon = st.loadedMonitor.find(id);
        pid_t before = mon == st.loadedMonitor.end() ? 0 : mon->second;
        if (e.monitorPid != before) {
            auto path = dir / (id + ".monitor");
            if (e.monitorPid > 0) {
                auto fd = BERTH_TRY(sys::openFile(path, O_WRONLY | O_CREAT | O_TRUNC, 0600));
                BERTH_TRYV(sys::writeAll(fd.borrow(), std::to_string(e.monitorPid) + "\n"));
            } else {
                ::unlink(path.c_str());
            }
            st.loadedMonitor[id] = e.monitorPid;
        }
    }
    for (auto it = st.loadedText.begin(); it != st.loadedText.end();) {
        if (st.endpoints.contains(it->first)) {
            ++it;
            continue;
        }
        // The monitor file first: a reader never sees a pid without its endpoint's file.
        ::unlink((dir / (it->first + ".monitor")).c_str());
        if (::unlink((dir / (it->first + ".json")).c_str()) < 0 && errno != ENOENT)
            return failErrno("remove the network endpoint of container " + it->first.substr(0, 12));
        st.loadedMonitor.erase(it->first);
        it = st.loadedText.erase(it);
    }
    for (auto& [bridge, ip] : st.lastLeased) {
        if (auto h = st.loadedHints.find(bridge); h != st.loadedHints.end() && h->second == ip) continue;
        if (bridge.empty() || bridge.find('/') != std::string::npos || bridge[0] == '.') continue;
        // Written in place (no new file, no rename): only ever read under the lock, and a
        // torn hint is only a hint.
        auto hints = stateDir(m_layout) / "hints";
        BERTH_TRYV(sys::makeDirs(hints, 0700));
        auto fd = BERTH_TRY(sys::openFile(hints / bridge, O_RDWR | O_CREAT, 0600));
        auto text = ip.str() + "\n";
        if (::pwrite(fd.get(), text.data(), text.size(), 0) != ssize_t(text.size()) || ::ftruncate(fd.get(), off_t(text.size())) < 0)
            return failErrno("write the address hint of " + bridge);
        st.loadedHints[bridge] = ip;
    }
    if (st.legacyFile) {
        ::unlink(legacyFile(m_layout).c_str());
        st.legacyFile = false;
    }
    return {};
}

} // namespace berth::network
