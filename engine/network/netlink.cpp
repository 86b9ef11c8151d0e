#include "network/netlink.h"

#include "sys/fs.h"
#include "sys/unique_fd.h"

#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/bridge.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/route.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <unistd.h>

#include <cstring>
#include <memory>

namespace berth::network::netlink {

namespace {

// libnl reports its own codes; keep the nearest errno so callers can tell "exists" apart.
int errnoOf(int nlErr) {
    switch (nlErr < 0 ? -nlErr : nlErr) {
    case NLE_EXIST: return EEXIST;
    case NLE_OBJ_NOTFOUND:
    case NLE_NODEV: return ENODEV;
    case NLE_PERM: return EPERM;
    case NLE_BUSY: return EBUSY;
    case NLE_NOMEM: return ENOMEM;
    case NLE_INVAL: return EINVAL;
    case NLE_NOADDR: return EADDRNOTAVAIL;
    case NLE_OPNOTSUPP: return EOPNOTSUPP;
    default: return EIO;
    }
}

Error nlError(const std::string& what, int err) {
    return Error(Errc::System, what + ": " + nl_geterror(err), errnoOf(err));
}

struct SockFree { void operator()(nl_sock* s) const { nl_socket_free(s); } };
struct LinkPut { void operator()(rtnl_link* l) const { rtnl_link_put(l); } };
struct AddrPut { void operator()(nl_addr* a) const { nl_addr_put(a); } };
struct RAddrPut { void operator()(rtnl_addr* a) const { rtnl_addr_put(a); } };
struct RoutePut { void operator()(rtnl_route* r) const { rtnl_route_put(r); } };
struct CacheFree { void operator()(nl_cache* c) const { nl_cache_free(c); } };
using Sock = std::unique_ptr<nl_sock, SockFree>;
using Link = std::unique_ptr<rtnl_link, LinkPut>;
using Addr = std::unique_ptr<nl_addr, AddrPut>;

Result<Sock> openSocket() {
    Sock s(nl_socket_alloc());
    if (!s) return fail(Errc::System, "allocate a netlink socket");
    if (int e = nl_connect(s.get(), NETLINK_ROUTE); e < 0) return fail(nlError("connect to rtnetlink", e));
    return s;
}

// A socket bound to the network namespace of `pid`: the namespace is entered only to
// create the socket (a socket stays in the namespace it was made in).
Result<Sock> openSocketIn(pid_t pid) {
    sys::UniqueFd self(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
    if (!self) return failErrno("open our network namespace");
    auto path = "/proc/" + std::to_string(pid) + "/ns/net";
    sys::UniqueFd target(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!target) return failErrno("open the network namespace of process " + std::to_string(pid));
    if (::setns(target.get(), CLONE_NEWNET) < 0) return failErrno("enter the network namespace of process " + std::to_string(pid));
    auto s = openSocket();
    if (::setns(self.get(), CLONE_NEWNET) < 0) {
        // Staying in the container's namespace would send everything after this astray.
        ::abort();
    }
    return s;
}

Addr ipv4Addr(Ipv4 a, int prefix) {
    uint32_t be = htonl(a.value);
    Addr addr(nl_addr_build(AF_INET, &be, 4));
    if (addr) nl_addr_set_prefixlen(addr.get(), prefix);
    return addr;
}

Result<Link> getLink(nl_sock* s, const std::string& name) {
    rtnl_link* l = nullptr;
    if (int e = rtnl_link_get_kernel(s, 0, name.c_str(), &l); e < 0) return fail(nlError("find link " + name, e));
    return Link(l);
}

VoidResult setUp(nl_sock* s, rtnl_link* link, const std::string& name) {
    Link change(rtnl_link_alloc());
    rtnl_link_set_flags(change.get(), IFF_UP);
    if (int e = rtnl_link_change(s, link, change.get(), 0); e < 0) return fail(nlError("bring " + name + " up", e));
    return {};
}

VoidResult addAddress(nl_sock* s, int ifindex, Ipv4 ip, int prefix, const std::string& name) {
    std::unique_ptr<rtnl_addr, RAddrPut> a(rtnl_addr_alloc());
    rtnl_addr_set_ifindex(a.get(), ifindex);
    auto local = ipv4Addr(ip, prefix);
    rtnl_addr_set_local(a.get(), local.get());
    Subnet sn{{ip.value & (prefix ? ~uint32_t(0) << (32 - prefix) : 0)}, prefix};
    auto bcast = ipv4Addr(sn.broadcast(), 32);
    rtnl_addr_set_broadcast(a.get(), bcast.get());
    if (int e = rtnl_addr_add(s, a.get(), 0); e < 0 && e != -NLE_EXIST)
        return fail(nlError("add address " + ip.str() + "/" + std::to_string(prefix) + " to " + name, e));
    return {};
}

VoidResult writeSysctl(const std::string& path, const char* value) {
    auto fd = BERTH_TRY(sys::openFile(path, O_WRONLY | O_TRUNC));
    return sys::writeAll(fd.borrow(), value);
}

} // namespace

bool linkExists(const std::string& name) { return ::if_nametoindex(name.c_str()) != 0; }

Result<bool> ensureBridge(const std::string& name, Ipv4 gateway, int prefix) {
    if (linkExists(name)) return false;
    auto s = BERTH_TRY(openSocket());
    Link br(rtnl_link_bridge_alloc());
    if (!br) return fail(Errc::System, "allocate a bridge link");
    rtnl_link_set_name(br.get(), name.c_str());
    int e = rtnl_link_add(s.get(), br.get(), NLM_F_CREATE | NLM_F_EXCL);
    if (e == -NLE_EXIST) return false;  // another process made it first
    if (e < 0) return fail(nlError("create bridge " + name, e));
    auto undo = [&] { (void)deleteLink(name); };
    auto link = getLink(s.get(), name);
    if (!link) return undo(), fail(link.error());
    if (auto r = addAddress(s.get(), rtnl_link_get_ifindex(link->get()), gateway, prefix, name); !r)
        return undo(), fail(r.error());
    // Packets DNATed from 127.0.0.1 (published ports, output hook) leave through the bridge
    // with a loopback source: the kernel drops them unless route_localnet is on there.
    if (auto r = writeSysctl("/proc/sys/net/ipv4/conf/" + name + "/route_localnet", "1"); !r)
        return undo(), fail(r.error());
    if (auto cur = sys::readFile("/proc/sys/net/ipv4/ip_forward", 16); !cur || cur->rfind("1", 0) != 0)
        if (auto r = writeSysctl("/proc/sys/net/ipv4/ip_forward", "1"); !r) return undo(), fail(r.error());
    if (auto r = setUp(s.get(), link->get(), name); !r) return undo(), fail(r.error());
    return true;
}

VoidResult deleteLink(const std::string& name) {
    if (!linkExists(name)) return {};
    auto s = BERTH_TRY(openSocket());
    Link l(rtnl_link_alloc());
    rtnl_link_set_name(l.get(), name.c_str());
    int e = rtnl_link_delete(s.get(), l.get());
    if (e < 0 && e != -NLE_NODEV && e != -NLE_OBJ_NOTFOUND) return fail(nlError("delete link " + name, e));
    return {};
}

VoidResult createVeth(const std::string& hostName, const std::string& bridge, pid_t pid,
                      const std::string& innerName, const std::string& mac) {
    auto s = BERTH_TRY(openSocket());
    int brIndex = int(::if_nametoindex(bridge.c_str()));
    if (brIndex == 0) return failErrno("find bridge " + bridge);
    Link veth(rtnl_link_veth_alloc());
    if (!veth) return fail(Errc::System, "allocate a veth link");
    rtnl_link_set_name(veth.get(), hostName.c_str());
    rtnl_link_set_master(veth.get(), brIndex);
    rtnl_link_set_flags(veth.get(), IFF_UP);
    rtnl_link* peer = rtnl_link_veth_get_peer(veth.get());
    rtnl_link_set_name(peer, innerName.c_str());
    rtnl_link_set_ns_pid(peer, pid);
    nl_addr* macAddr = nullptr;
    if (nl_addr_parse(mac.c_str(), AF_LLC, &macAddr) == 0) {
        rtnl_link_set_addr(peer, macAddr);
        nl_addr_put(macAddr);
    }
    rtnl_link_put(peer);
    if (int e = rtnl_link_add(s.get(), veth.get(), NLM_F_CREATE | NLM_F_EXCL); e < 0)
        return fail(nlError("create veth pair " + hostName + " (on " + bridge + ") / " + innerName, e));
    return {};
}

VoidResult setHairpin(const std::string& name) {
    // The bridge port's sysfs flag: one write, no netlink round trip.
    return writeSysctl("/sys/class/net/" + name + "/brport/hairpin_mode", "1");
}

VoidResult configureInside(pid_t pid, const std::string& ifname, Ipv4 ip, int prefix, Ipv4 gateway, bool defaultRoute) {
    auto s = BERTH_TRY(openSocketIn(pid));
    auto link = BERTH_TRY_CTX(getLink(s.get(), ifname), "in the container");
    int idx = rtnl_link_get_ifindex(link.get());
    BERTH_TRYV_CTX(addAddress(s.get(), idx, ip, prefix, ifname), "in the container");
    BERTH_TRYV_CTX(setUp(s.get(), link.get(), ifname), "in the container");
    if (!defaultRoute) return {};
    std::unique_ptr<rtnl_route, RoutePut> r(rtnl_route_alloc());
    rtnl_route_set_family(r.get(), AF_INET);
    auto dst = ipv4Addr(Ipv4{0}, 0);
    rtnl_route_set_dst(r.get(), dst.get());
    rtnl_nexthop* nh = rtnl_route_nh_alloc();
    auto gw = ipv4Addr(gateway, 32);
    rtnl_route_nh_set_gateway(nh, gw.get());
    rtnl_route_nh_set_ifindex(nh, idx);
    rtnl_route_add_nexthop(r.get(), nh);  // the route owns it now
    if (int e = rtnl_route_add(s.get(), r.get(), NLM_F_CREATE); e < 0 && e != -NLE_EXIST)
        return fail(nlError("add the default route via " + gateway.str() + " in the container", e));
    return {};
}

VoidResult deleteInside(pid_t pid, const std::string& ifname) {
    auto s = BERTH_TRY(openSocketIn(pid));
    Link l(rtnl_link_alloc());
    rtnl_link_set_name(l.get(), ifname.c_str());
    int e = rtnl_link_delete(s.get(), l.get());
    if (e < 0 && e != -NLE_NODEV && e != -NLE_OBJ_NOTFOUND) return fail(nlError("delete " + ifname + " in the container", e));
    return {};
}

Result<std::vector<HostAddress>> hostAddresses() {
    auto s = BERTH_TRY(openSocket());
    nl_cache* raw = nullptr;
    if (int e = rtnl_addr_alloc_cache(s.get(), &raw); e < 0) return fail(nlError("list host addresses", e));
    std::unique_ptr<nl_cache, CacheFree> cache(raw);
    std::vector<HostAddress> out;
    for (nl_object* o = nl_cache_get_first(raw); o; o = nl_cache_get_next(o)) {
        auto* a = reinterpret_cast<rtnl_addr*>(o);
        if (rtnl_addr_get_family(a) != AF_INET) continue;
        nl_addr* local = rtnl_addr_get_local(a);
        if (!local || nl_addr_get_len(local) != 4) continue;
        uint32_t be;
        std::memcpy(&be, nl_addr_get_binary_addr(local), 4);
        char name[IF_NAMESIZE] = {};
        ::if_indextoname(unsigned(rtnl_addr_get_ifindex(a)), name);
        out.push_back({name, Ipv4{ntohl(be)}, int(rtnl_addr_get_prefixlen(a))});
    }
    return out;
}

Result<std::vector<std::string>> linkNames() {
    auto s = BERTH_TRY(openSocket());
    nl_cache* raw = nullptr;
    if (int e = rtnl_link_alloc_cache(s.get(), AF_UNSPEC, &raw); e < 0) return fail(nlError("list links", e));
    std::unique_ptr<nl_cache, CacheFree> cache(raw);
    std::vector<std::string> out;
    for (nl_object* o = nl_cache_get_first(raw); o; o = nl_cache_get_next(o))
        if (const char* n = rtnl_link_get_name(reinterpret_cast<rtnl_link*>(o))) out.push_back(n);
    return out;
}

} // namespace berth::network::netlink
