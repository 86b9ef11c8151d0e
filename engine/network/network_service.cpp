// NetworkService: network definitions, endpoint preparation (IPAM, bridges, published
// ports) and clean-up. The monitor's half (veths, /etc/hosts) is endpoint_wiring.cpp.
#include "network/network_service.h"

#include "berth/text.h"

#include "network/endpoint_wiring.h"
#include "network/lease_registry.h"
#include "network/netlink.h"
#include "network/network_store.h"
#include "network/nft_rules.h"
#include "network/port_check.h"
#include "sys/fs.h"
#include "sys/scope_guard.h"

#include <fmt/format.h>

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <mutex>
#include <set>

namespace berth::network {

namespace fs = std::filesystem;

struct NetworkService::Impl {
    explicit Impl(store::StoreLayout l) : layout(l), store(std::move(l)) {}
    store::StoreLayout layout;
    NetworkStore store;
    ContainerResolver resolver;

    Result<ContainerRef> resolve(std::string_view ref) const {
        if (!resolver) return fail(Errc::Internal, "no container resolver set");
        return resolver(ref);
    }
    bool containerExists(const std::string& id) const { return sys::exists(layout.containers() / id); }
};

namespace {

bool validName(std::string_view n) {
    if (n.empty() || n.size() > 128 || !std::isalnum(static_cast<unsigned char>(n[0]))) return false;
    return std::all_of(n.begin(), n.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
    });
}

bool isDefaultName(std::string_view n) { return n.empty() || n == "bridge" || n == "default"; }

Result<const NetworkDef*> findDef(const std::vector<NetworkDef>& defs, std::string_view ref) {
    std::string r(isDefaultName(ref) ? "bridge" : ref);
    for (auto& d : defs)
        if (d.name == r || d.id == r) return &d;
    const NetworkDef* found = nullptr;
    if (r.size() >= 3)
        for (auto& d : defs)
            if (d.id.rfind(r, 0) == 0) {
                if (found) return fail(Errc::InvalidArgument, "network id prefix `" + r + "` is ambiguous");
                found = &d;
            }
    if (!found) return fail(Errc::NotFound, "network " + r + " not found");
    return found;
}

NetworkInfo builtinInfo(const char* name, const char* driver) {
    NetworkInfo n;
    n.name = name;
    n.id = builtinId(name);
    n.driver = driver;
    n.builtin = true;
    return n;
}

bool processAlive(pid_t pid) { return pid > 0 && (::kill(pid, 0) == 0 || errno == EPERM); }

bool monitorAlive(pid_t pid, const std::string& id) {
    if (pid <= 0) return false;
    auto cmd = sys::readFile("/proc/" + std::to_string(pid) + "/cmdline", 1 << 16);
    return cmd && cmd->find(id) != std::string::npos;
}

std::string protoOf(const std::string& p) { return p.empty() ? "tcp" : p; }

bool samePort(const PublishedPort& a, const PublishedPort& b) {
    if (a.hostPort != b.hostPort || protoOf(a.protocol) != protoOf(b.protocol)) return false;
    auto any = [](const std::string& ip) { return ip.empty() || ip == "0.0.0.0"; };
    return any(a.hostIp) || any(b.hostIp) || a.hostIp == b.hostIp;
}

} // namespace

NetworkService::NetworkService(store::StoreLayout layout) : m_impl(std::make_unique<Impl>(std::move(layout))) {}
NetworkService::~NetworkService() = default;

void NetworkService::setContainerResolver(ContainerResolver resolver) { m_impl->resolver = std::move(resolver); }

static NetworkInfo toInfo(const NetworkDef& d, const RuntimeState& st, const store::StoreLayout& layout) {
    NetworkInfo n;
    n.name = d.name;
    n.id = d.id;
    n.driver = d.driver;
    n.subnet = d.subnet.str();
    n.gateway = d.gateway.str();
    n.bridge = d.bridge;
    n.internal = d.internal;
    n.builtin = d.builtin;
    n.created = d.created;
    n.labels = d.labels;
    std::set<std::string> members;
    for (auto& [id, m] : d.members)
        if (sys::exists(layout.containers() / id)) members.insert(id);
    for (auto& [id, e] : st.endpoints)
        for (auto& a : e.attachments)
            if (a.networkId == d.id) {
                n.containers.push_back({id, e.name, a.ip.str(), a.prefix, a.mac, a.hostIf, a.aliases});
                members.insert(id);
            }
    n.members.assign(members.begin(), members.end());
    return n;
}

Result<std::vector<NetworkInfo>> NetworkService::list() const {
    auto defs = BERTH_TRY(m_impl->store.definitions());
    auto st = BERTH_TRY(m_impl->store.loadState());
    std::vector<NetworkInfo> out;
    out.push_back(toInfo(defs[0], st, m_impl->layout));
    out.push_back(builtinInfo("host", "host"));
    out.push_back(builtinInfo("none", "null"));
    for (size_t i = 1; i < defs.size(); ++i) out.push_back(toInfo(defs[i], st, m_impl->layout));
    return out;
}

Result<NetworkInfo> NetworkService::inspect(std::string_view ref) const {
    if (ref == "host" || ref == builtinId("host")) return builtinInfo("host", "host");
    if (ref == "none" || ref == builtinId("none")) return builtinInfo("none", "null");
    auto defs = BERTH_TRY(m_impl->store.definitions());
    auto st = BERTH_TRY(m_impl->store.loadState());
    auto d = BERTH_TRY(findDef(defs, ref));
    return toInfo(*d, st, m_impl->layout);
}

// The first subnet of the pool that overlaps nothing (networks, host addresses).
static Result<Subnet> pickSubnet(const NetworkConfig& cfg, const std::vector<NetworkDef>& defs,
                                 const std::vector<netlink::HostAddress>& host) {
    uint32_t step = uint32_t(1) << (32 - cfg.poolPrefix);
    for (uint64_t v = cfg.pool.base.value; v < uint64_t(cfg.pool.base.value) + (uint64_t(1) << (32 - cfg.pool.prefix));
         v += step) {
        Subnet s{{uint32_t(v)}, cfg.poolPrefix};
        bool clash = false;
        for (auto& d : defs) clash = clash || d.subnet.overlaps(s);
        for (auto& h : host) clash = clash || s.contains(h.address);
        if (!clash) return s;
    }
    return fail(Errc::Conflict, "no free subnet left in the pool " + cfg.pool.str() + ": give one with --subnet");
}

Result<NetworkInfo> NetworkService::create(const CreateNetworkOptions& o) {
    auto& im = *m_impl;
    if (!validName(o.name))
        return fail(Errc::InvalidArgument, "invalid network name \"" + o.name + "\", only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
    if (o.name == "bridge" || o.name == "host" || o.name == "none" || o.name == "default")
        return fail(Errc::AlreadyExists, o.name + " is a pre-defined network and cannot be created");
    if (!o.driver.empty() && o.driver != "bridge")
        return fail(Errc::Unsupported, "network driver `" + o.driver + "` is not supported (only bridge)");
    if (::geteuid() != 0) return fail(Errc::PermissionDenied, "creating bridge networks needs root");
    auto lock = BERTH_TRY(im.store.lock());
    auto cfg = BERTH_TRY(im.store.config());
    auto defs = BERTH_TRY(im.store.definitions());
    for (auto& d : defs)
        if (d.name == o.name) return fail(Errc::AlreadyExists, "network with name " + o.name + " already exists");
    auto host = BERTH_TRY(netlink::hostAddresses());
    // Our own bridges' addresses are checked through their networks' subnets.
    std::set<std::string> ours;
    for (auto& d : defs) ours.insert(d.bridge);
    std::erase_if(host, [&](auto& h) { return ours.contains(h.device) || h.address.value >> 24 == 127; });

    NetworkDef d;
    if (o.subnet.empty()) {
        d.subnet = BERTH_TRY(pickSubnet(cfg, defs, host));
    } else {
        d.subnet = BERTH_TRY(parseSubnet(o.subnet));
        for (auto& other : defs)
            if (other.subnet.overlaps(d.subnet))
                return fail(Errc::Conflict, "subnet " + d.subnet.str() + " overlaps network " + other.name + " (" +
                                                other.subnet.str() + ")");
        for (auto& h : host) {
            Subnet hs{{h.address.value & Subnet{{}, h.prefix}.mask()}, h.prefix};
            if (hs.overlaps(d.subnet))
                return fail(Errc::Conflict, "subnet " + d.subnet.str() + " overlaps " + h.address.str() + "/" +
                                                std::to_string(h.prefix) + " on host device " + h.device);
        }
    }
    if (o.gateway.empty()) {
        d.gateway = d.subnet.first();
    } else {
        d.gateway = BERTH_TRY_CTX(parseIpv4(o.gateway), "gateway");
        if (!d.subnet.contains(d.gateway) || d.gateway == d.subnet.base || d.gateway == d.subnet.broadcast())
            return fail(Errc::InvalidArgument, "gateway " + d.gateway.str() + " is not a host address of subnet " + d.subnet.str());
    }
    d.id = sys::randomHex(32);
    d.name = o.name;
    d.driver = "bridge";
    d.bridge = "br-" + d.id.substr(0, 12);
    d.internal = o.internal;
    d.created = formatTimeNano(nowNano());
    d.labels = o.labels;

    BERTH_TRY_CTX(netlink::ensureBridge(d.bridge, d.gateway, d.subnet.prefix), "network " + d.name);
    auto undo = [&] {
        (void)nft::removeNetwork(cfg.nftTable, d.subnet, d.bridge, d.internal);
        (void)netlink::deleteLink(d.bridge);
    };
    if (auto r = nft::addNetwork(cfg.nftTable, d.subnet, d.bridge, d.internal); !r) return undo(), fail(r.error());
    if (auto r = im.store.save(d); !r) return undo(), fail(r.error());
    RuntimeState empty;
    return toInfo(d, empty, im.layout);
}

VoidResult NetworkService::remove(std::string_view ref) {
    auto& im = *m_impl;
    if (ref == "host" || ref == "none" || isDefaultName(ref))
        return fail(Errc::Conflict, std::string(isDefaultName(ref) ? "bridge" : ref) +
                                        " is a pre-defined network and cannot be removed");
    auto lock = BERTH_TRY(im.store.lock());
    auto cfg = BERTH_TRY(im.store.config());
    auto defs = BERTH_TRY(im.store.definitions());
    auto st = BERTH_TRY(im.store.loadState());
    auto d = *BERTH_TRY(findDef(defs, ref));
    if (d.builtin) return fail(Errc::Conflict, d.name + " is a pre-defined network and cannot be removed");
    auto info = toInfo(d, st, im.layout);
    if (!info.members.empty()) {
        std::string who;
        for (auto& id : info.members) who += (who.empty() ? "" : ", ") + id.substr(0, 12);
        return fail(Errc::Conflict, "network " + d.name + " has containers connected (" + who + "): disconnect or remove them first");
    }
    BERTH_TRYV(nft::removeNetwork(cfg.nftTable, d.subnet, d.bridge, d.internal));
    BERTH_TRYV_CTX(netlink::deleteLink(d.bridge), "network " + d.name);
    return im.store.erase(d.id);
}

Result<NetworkPruneReport> NetworkService::prune() {
    NetworkPruneReport rep;
    auto nets = BERTH_TRY(list());
    for (auto& n : nets) {
        if (n.builtin || !n.members.empty()) continue;
        if (auto r = remove(n.id); r) rep.removed.push_back(n.name);
        else if (r.error().code() != Errc::Conflict && r.error().code() != Errc::NotFound) return fail(r.error());
    }
    return rep;
}

// This store's addresses on `d` other than container `id`'s (the registry has them too,
// unless they were leased by a berth that kept leases in the store only).
static std::set<Ipv4> storeAddresses(const NetworkDef& d, const RuntimeState& st, const std::string& id) {
    std::set<Ipv4> used;
    for (auto& [eid, e] : st.endpoints)
        if (eid != id)
            for (auto& a : e.attachments)
                if (a.networkId == d.id) used.insert(a.ip);
    return used;
}

// A requested address (--ip) checked against the network, without leasing it.
static Result<Ipv4> checkRequestedAddress(const NetworkDef& d, const RuntimeState& st, const std::string& id,
                                          const std::string& requested) {
    auto ip = BERTH_TRY_CTX(parseIpv4(requested), "--ip");
    if (!d.subnet.contains(ip) || ip == d.subnet.base || ip == d.subnet.broadcast())
        return fail(Errc::InvalidArgument, "address " + ip.str() + " is not in subnet " + d.subnet.str() + " of network " + d.name);
    if (ip == d.gateway) return fail(Errc::Conflict, "address " + ip.str() + " is the gateway of network " + d.name);
    if (storeAddresses(d, st, id).contains(ip))
        return fail(Errc::Conflict, "address " + ip.str() + " is already in use on network " + d.name);
    return ip;
}

// Leases an address on `d` for container `id` (requested, or the next free one after the
// last this store leased there) in the host-wide registry of the network's bridge.
static Result<Ipv4> leaseAddress(const NetworkDef& d, RuntimeState& st, const std::string& id,
                                 const std::string& requested, const store::StoreLayout& layout) {
    LeaseRegistry leases;
    LeaseOwner owner{id, layout.runRoot};
    if (requested.empty()) {
        auto last = st.lastLeased.find(d.bridge);
        auto ip = BERTH_TRY_CTX(leases.claimFree(d.bridge, d.subnet, d.gateway, storeAddresses(d, st, id),
                                                 last == st.lastLeased.end() ? Ipv4{} : last->second, owner),
                                "network " + d.name);
        st.lastLeased[d.bridge] = ip;
        return ip;
    }
    auto ip = BERTH_TRY(checkRequestedAddress(d, st, id, requested));
    if (auto r = leases.claim(d.bridge, ip, owner); !r) {
        if (r.error().code() == Errc::Conflict)
            return fail(Errc::Conflict, "address " + ip.str() + " is already in use on network " + d.name + ": " +
                                            r.error().message());
        return fail(r.error());
    }
    return ip;
}

// A container's aliases on a network: as asked, without repeats, and on a user network its
// short id too, as docker's (API < 1.45) Aliases: docker-compose looks for it there to tell
// that a container is already set up on its network, and peers can reach it by that name.
static std::vector<std::string> endpointAliases(const NetworkDef& d, const std::string& containerId,
                                                std::vector<std::string> asked) {
    if (!d.builtin) asked.push_back(containerId.substr(0, 12));
    std::vector<std::string> out;
    for (auto& a : asked)
        if (!a.empty() && std::find(out.begin(), out.end(), a) == out.end()) out.push_back(a);
    return out;
}

static Result<Attachment> makeAttachment(const NetworkDef& d, RuntimeState& st, const std::string& id,
                                         const std::string& requestedIp, const std::vector<std::string>& aliases,
                                         size_t index, const store::StoreLayout& layout) {
    Attachment a;
    a.networkId = d.id;
    a.networkName = d.name;
    a.bridge = d.bridge;
    a.ip = BERTH_TRY(leaseAddress(d, st, id, requestedIp, layout));
    a.prefix = d.subnet.prefix;
    a.gateway = d.gateway;
    a.mac = macForAddress(a.ip);
    a.hostIf = hostLinkName(id);
    a.ifname = "eth" + std::to_string(index);
    a.aliases = aliases;
    a.resolvesPeers = !d.builtin;  // docker: no name resolution on the default bridge
    a.internal = d.internal;
    return a;
}

static VoidResult ensureNetworkDevice(const NetworkDef& d, const NetworkConfig& cfg) {
    bool created = BERTH_TRY_CTX(netlink::ensureBridge(d.bridge, d.gateway, d.subnet.prefix), "network " + d.name);
    if (created) {
        if (auto r = nft::addNetwork(cfg.nftTable, d.subnet, d.bridge, d.internal); !r) {
            (void)netlink::deleteLink(d.bridge);
            return fail(r.error().withContext("network " + d.name));
        }
    }
    return {};
}

VoidResult NetworkService::checkPorts(const std::vector<PublishedPort>& ports) const {
    if (::geteuid() != 0) return {};  // rootless publishing is the rootless network mode's
    RuntimeState st;
    if (!ports.empty()) st = BERTH_TRY(m_impl->store.loadState());
    for (auto& p : ports) {
        if (!p.hostIp.empty()) BERTH_TRY_CTX(parseIpv4(p.hostIp), "published port host address");
        if (p.containerPort == 0) return fail(Errc::InvalidArgument, "invalid container port 0");
        if (protoOf(p.protocol) != "tcp" && protoOf(p.protocol) != "udp")
            return fail(Errc::Unsupported, "publishing " + p.protocol + " ports is not supported (tcp and udp are)");
        if (p.hostPort == 0) continue;
        for (auto& [id, e] : st.endpoints)
            for (auto& m : e.ports)
                if (samePort(m.port, p))
                    return fail(Errc::Conflict, fmt::format("host port {}:{}/{} is already published by container {}",
                                                            p.hostIp.empty() ? "0.0.0.0" : p.hostIp, p.hostPort,
                                                            protoOf(p.protocol), e.name.empty() ? id.substr(0, 12) : e.name));
        BERTH_TRYV(checkHostPortFree(p.hostIp, p.hostPort, protoOf(p.protocol)));
    }
    return {};
}

VoidResult NetworkService::prepareContainer(const ContainerNetworkRequest& req) {
    auto& im = *m_impl;
    auto& net = req.network;
    if (net == "none" || net == "host" || net == "private") return {};
    if (::geteuid() != 0) {
        if (isDefaultName(net)) return {};  // rootless: the rootless network mode applies
        return fail(Errc::Unsupported, "network " + net + ": user networks need root");
    }
    // A leftover of an earlier life (monitor killed) goes first.
    if (auto st = im.store.loadState(); st && st->endpoints.contains(req.id)) BERTH_TRYV(releaseContainer(req.id));

    auto lock = BERTH_TRY(im.store.lock());
    auto cfg = BERTH_TRY(im.store.config());
    auto defs = BERTH_TRY(im.store.definitions());
    auto st = BERTH_TRY(im.store.loadState());
    const NetworkDef* own = BERTH_TRY(findDef(defs, net));
    std::vector<const NetworkDef*> nets;
    if (!own->departed.contains(req.id)) nets.push_back(own);  // unless disconnected from it
    for (auto& d : defs)
        if (d.members.contains(req.id) && &d != own) nets.push_back(&d);
    if (nets.empty()) {
        // Disconnected from every network: loopback only, as docker starts it.
        if (!req.ports.empty())
            return fail(Errc::Conflict, "container " + req.name + " publishes ports but is connected to no network: connect it to one first");
        return {};
    }

    Endpoint e;
    e.containerId = req.id;
    e.name = req.name;
    e.hostname = req.hostname;
    e.hostsFile = req.hostsFile;
    e.preparerPid = ::getpid();
    e.preparedAt = ::time(nullptr);
    // Leases taken here are given back unless the endpoint is saved.
    sys::ScopeGuard giveBack([&] {
        LeaseRegistry leases;
        for (auto& a : e.attachments) leases.release(a.bridge, a.ip, req.id);
    });
    for (size_t i = 0; i < nets.size(); ++i) {
        auto& d = *nets[i];
        BERTH_TRYV(ensureNetworkDevice(d, cfg));
        const bool isOwn = &d == own;
        std::string ip = isOwn ? req.ipAddress : "";
        auto aliases = isOwn ? req.aliases : std::vector<std::string>{};
        if (auto m = d.members.find(req.id); m != d.members.end()) {
            if (!m->second.ipAddress.empty()) ip = m->second.ipAddress;
            aliases.insert(aliases.end(), m->second.aliases.begin(), m->second.aliases.end());
        }
        if (!ip.empty() && d.builtin)
            return fail(Errc::InvalidArgument, "--ip is only allowed on user networks (not on the default bridge)");
        auto a = BERTH_TRY(makeAttachment(d, st, req.id, ip, endpointAliases(d, req.id, aliases), i, im.layout));
        st.endpoints[req.id] = e;  // so the next leg's lease sees this one's
        e.attachments.push_back(std::move(a));
        st.endpoints[req.id] = e;
    }

    // Ports: checked against other containers' and the host's, ephemeral ones chosen.
    st.endpoints.erase(req.id);
    BERTH_TRYV(checkPorts(req.ports));
    for (auto p : req.ports) {
        p.protocol = protoOf(p.protocol);
        if (p.hostPort == 0) {
            // The kernel's pick, unless another container has it published already.
            for (int tries = 0; tries < 20 && p.hostPort == 0; ++tries) {
                auto port = BERTH_TRY(ephemeralHostPort(p.hostIp, p.protocol));
                PublishedPort probe = p;
                probe.hostPort = port;
                bool taken = false;
                for (auto& [id, other] : st.endpoints)
                    for (auto& m : other.ports) taken = taken || samePort(m.port, probe);
                for (auto& m : e.ports) taken = taken || samePort(m.port, probe);
                if (!taken) p.hostPort = port;
            }
            if (p.hostPort == 0) return fail(Errc::Conflict, "could not find a free host port");
        }
        for (auto& m : e.ports)
            if (samePort(m.port, p))
                return fail(Errc::Conflict, fmt::format("host port {}/{} is published twice", p.hostPort, p.protocol));
        e.ports.push_back({p, e.attachments.front().ip});
    }
    // The record first, then the ports: a start killed between the two leaves an endpoint
    // that names ports not yet published, and its clean-up (reconcile, the next start)
    // deletes them, missing or not. Published first, a kill before the save left map
    // elements that no record named and nothing removed.
    st.endpoints[req.id] = e;
    BERTH_TRYV(im.store.saveState(st));
    if (auto r = nft::addPorts(cfg.nftTable, e.ports); !r) {
        (void)nft::removePorts(cfg.nftTable, e.ports);
        st.endpoints.erase(req.id);
        (void)im.store.saveState(st);  // should this fail, reconcile drops the endpoint
        return r;
    }
    giveBack.dismiss();
    return {};
}

VoidResult NetworkService::releaseContainer(std::string_view containerId, bool namespaceGone) {
    auto gone = BERTH_TRY(dropEndpoint(m_impl->layout, std::string(containerId),
                                       namespaceGone ? HostLinks::LeaveToKernel : HostLinks::Delete));
    // Leases no endpoint names: a start killed after its claim and before its save.
    if (::geteuid() == 0) LeaseRegistry().releaseAllOf(std::string(containerId), m_impl->layout.runRoot);
    if (!gone || gone->ports.empty()) return {};
    auto cfg = BERTH_TRY(m_impl->store.config());
    auto lock = BERTH_TRY(m_impl->store.lock());
    return nft::removePorts(cfg.nftTable, gone->ports);
}

Result<std::vector<PublishedPort>> NetworkService::ports(std::string_view ref) const {
    std::string id(ref);
    bool fullId = id.size() == 64 && id.find_first_not_of("0123456789abcdef") == std::string::npos;
    if (!fullId && m_impl->resolver) id = BERTH_TRY(m_impl->resolve(ref)).id;
    auto st = BERTH_TRY(m_impl->store.loadState());
    std::vector<PublishedPort> out;
    if (auto it = st.endpoints.find(id); it != st.endpoints.end())
        for (auto& m : it->second.ports) out.push_back(m.port);
    return out;
}

VoidResult NetworkService::connect(std::string_view network, std::string_view container, const ConnectOptions& o) {
    auto& im = *m_impl;
    // The container first, as docker does: an unknown one is a 404 whatever the network.
    auto c = BERTH_TRY(im.resolve(container));
    if (network == "host" || network == "none")
        return fail(Errc::Unsupported, "container cannot be connected to network " + std::string(network));
    if (isDefaultName(network))
        return fail(Errc::Unsupported, "connecting to the default bridge network is not supported: use a user network");
    auto lock = BERTH_TRY(im.store.lock());
    auto defs = BERTH_TRY(im.store.definitions());
    auto st = BERTH_TRY(im.store.loadState());
    auto d = *BERTH_TRY(findDef(defs, network));
    auto ep = st.endpoints.find(c.id);
    bool attached = false;
    if (ep != st.endpoints.end())
        for (auto& a : ep->second.attachments) attached = attached || a.networkId == d.id;
    if (d.members.contains(c.id) || attached)
        return fail(Errc::Conflict, "container " + c.name + " is already connected to network " + d.name);
    if (!o.ipAddress.empty()) BERTH_TRY(checkRequestedAddress(d, st, c.id, o.ipAddress));  // validate now
    d.departed.erase(c.id);
    d.members[c.id] = {o.aliases, o.ipAddress};
    BERTH_TRYV(im.store.save(d));
    if (c.pid <= 0 || ep == st.endpoints.end()) return {};  // joined at its next start

    // Running: wire the new leg now.
    auto& e = ep->second;
    auto cfg = BERTH_TRY(im.store.config());
    auto undoMember = [&] {
        d.members.erase(c.id);
        (void)im.store.save(d);
    };
    if (auto r = ensureNetworkDevice(d, cfg); !r) return undoMember(), fail(r.error());
    auto a = makeAttachment(d, st, c.id, o.ipAddress, endpointAliases(d, c.id, o.aliases), e.attachments.size(), im.layout);
    if (!a) return undoMember(), fail(a.error());
    auto undoLease = [&] { LeaseRegistry().release(a->bridge, a->ip, c.id); };
    if (auto r = netlink::createVeth(a->hostIf, a->bridge, c.pid, a->ifname, a->mac); !r)
        return undoLease(), undoMember(), fail(r.error());
    if (auto r = netlink::configureInside(c.pid, a->ifname, a->ip, a->prefix, a->gateway, false); !r) {
        (void)netlink::deleteLink(a->hostIf);
        return undoLease(), undoMember(), fail(r.error());
    }
    e.attachments.push_back(*a);
    BERTH_TRYV(im.store.saveState(st));
    refreshHosts(st, c.id);
    return {};
}

VoidResult NetworkService::disconnect(std::string_view network, std::string_view container, bool force) {
    auto& im = *m_impl;
    auto c = BERTH_TRY(im.resolve(container));
    auto lock = BERTH_TRY(im.store.lock());
    auto defs = BERTH_TRY(im.store.definitions());
    auto st = BERTH_TRY(im.store.loadState());
    auto d = *BERTH_TRY(findDef(defs, network));
    bool member = d.members.erase(c.id) > 0;
    // The network it was created on: docker takes it out of the container's settings, so
    // it does not join it at its next start, running now or not.
    auto ownDef = findDef(defs, c.network);
    bool own = ownDef && (*ownDef)->id == d.id && !d.departed.contains(c.id);
    if (own && d.builtin && c.pid <= 0)
        return fail(Errc::Unsupported, "disconnecting a stopped container from the default bridge is not supported: "
                                       "recreate it with --network none, or disconnect it while it runs");
    if (own && !d.builtin) d.departed.insert(c.id);
    if (member || (own && !d.builtin)) BERTH_TRYV(im.store.save(d));
    auto ep = st.endpoints.find(c.id);
    bool attached = false;
    if (ep != st.endpoints.end()) {
        auto& atts = ep->second.attachments;
        for (auto it = atts.begin(); it != atts.end(); ++it) {
            if (it->networkId != d.id) continue;
            if (c.pid > 0) (void)netlink::deleteInside(c.pid, it->ifname);
            (void)netlink::deleteLink(it->hostIf);
            LeaseRegistry().release(it->bridge, it->ip, c.id);
            atts.erase(it);
            attached = true;
            break;
        }
        if (attached) {
            BERTH_TRYV(im.store.saveState(st));
            refreshHosts(st, c.id);
            // Peers that shared only this network forget it too.
            for (auto& [id, e] : st.endpoints)
                for (auto& a : e.attachments)
                    if (a.networkId == d.id) {
                        refreshHosts(st, id);
                        break;
                    }
        }
    }
    if (!member && !attached && !(own && !d.builtin) && !force)
        return fail(Errc::NotFound, "container " + c.name + " is not connected to network " + d.name);
    return {};
}

Result<std::vector<PlannedAttachment>> NetworkService::plannedAttachments(const ContainerNetworkRequest& req) const {
    std::vector<PlannedAttachment> out;
    if (req.network == "none" || req.network == "host" || req.network == "private" || ::geteuid() != 0) return out;
    auto defs = BERTH_TRY(m_impl->store.definitions());
    auto own = findDef(defs, req.network);
    auto add = [&](const NetworkDef& d, std::vector<std::string> aliases) {
        if (auto m = d.members.find(req.id); m != d.members.end())
            aliases.insert(aliases.end(), m->second.aliases.begin(), m->second.aliases.end());
        out.push_back({d.name, d.id, endpointAliases(d, req.id, std::move(aliases))});
    };
    if (own && !(*own)->departed.contains(req.id)) add(**own, req.aliases);  // a removed network: its start says so
    for (auto& d : defs)
        if (d.members.contains(req.id) && (!own || &d != *own)) add(d, {});
    return out;
}

VoidResult NetworkService::reconcile() {
    auto& im = *m_impl;
    if (!NetworkStore::hasState(im.layout)) return {};
    std::vector<std::string> stale;
    {
        auto st = BERTH_TRY(im.store.loadState());
        int64_t now = ::time(nullptr);
        for (auto& [id, e] : st.endpoints) {
            bool alive = e.monitorPid > 0 ? monitorAlive(e.monitorPid, id)
                                          : processAlive(e.preparerPid) && now - e.preparedAt < 120;
            if (!alive) stale.push_back(id);
        }
    }
    for (auto& id : stale) BERTH_TRYV_CTX(releaseContainer(id), "clean up the network of container " + id.substr(0, 12));
    return {};
}

} // namespace berth::network
