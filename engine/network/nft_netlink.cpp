#include "network/nft_netlink.h"

#include "sys/unique_fd.h"

#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <ctime>
#include <map>

namespace berth::network::nftnl {

namespace {

// Netlink attributes appended to a byte string, nested ones closed by offset.
class Attrs {
public:
    void put(uint16_t type, const void* data, size_t len) {
        nlattr a{uint16_t(NLA_HDRLEN + len), type};
        m_buf.append(reinterpret_cast<const char*>(&a), sizeof a);
        m_buf.append(static_cast<const char*>(data), len);
        m_buf.append(NLA_ALIGN(len) - len, '\0');
    }
    void putString(uint16_t type, const std::string& s) { put(type, s.c_str(), s.size() + 1); }
    size_t open(uint16_t type) {
        size_t at = m_buf.size();
        nlattr a{NLA_HDRLEN, uint16_t(type | NLA_F_NESTED)};
        m_buf.append(reinterpret_cast<const char*>(&a), sizeof a);
        return at;
    }
    void close(size_t at) {
        uint16_t len = uint16_t(m_buf.size() - at);
        std::memcpy(m_buf.data() + at, &len, sizeof len);
    }
    const std::string& bytes() const { return m_buf; }

private:
    std::string m_buf;
};

void appendMessage(std::string& out, uint16_t type, uint16_t flags, uint32_t seq, uint8_t family, uint16_t resId,
                   const std::string& attrs) {
    nlmsghdr h{};
    h.nlmsg_len = uint32_t(NLMSG_LENGTH(sizeof(nfgenmsg)) + attrs.size());
    h.nlmsg_type = type;
    h.nlmsg_flags = uint16_t(NLM_F_REQUEST | flags);
    h.nlmsg_seq = seq;
    nfgenmsg g{};
    g.nfgen_family = family;
    g.version = NFNETLINK_V0;
    g.res_id = htons(resId);
    out.append(reinterpret_cast<const char*>(&h), sizeof h);
    out.append(reinterpret_cast<const char*>(&g), sizeof g);
    out.append(NLMSG_ALIGN(sizeof g) - sizeof g, '\0');
    out += attrs;
}

const char* mapOf(const PortMapping& p) {
    return !p.port.hostIp.empty() && p.port.hostIp != "0.0.0.0" ? "ports_ip" : "ports_any";
}

// One transaction deleting `groups` (map name -> keys). Returns the first error the kernel
// reported for it (0 when it committed).
Result<int> runBatch(const std::string& table, const std::map<std::string, std::vector<std::string>>& groups) {
    sys::UniqueFd fd(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER));
    if (!fd) return failErrno("open an nfnetlink socket");
    timeval tv{2, 0};
    ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_nl local{};
    local.nl_family = AF_NETLINK;
    if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&local), sizeof local) < 0) return failErrno("bind an nfnetlink socket");

    uint32_t seq = uint32_t(::time(nullptr));
    std::string batch;
    appendMessage(batch, NFNL_MSG_BATCH_BEGIN, 0, seq++, AF_UNSPEC, NFNL_SUBSYS_NFTABLES, {});
    int expected = 0;
    for (auto& [map, keys] : groups) {
        Attrs a;
        a.putString(NFTA_SET_ELEM_LIST_TABLE, table);
        a.putString(NFTA_SET_ELEM_LIST_SET, map);
        size_t list = a.open(NFTA_SET_ELEM_LIST_ELEMENTS);
        for (auto& k : keys) {
            size_t elem = a.open(NFTA_LIST_ELEM);
            size_t key = a.open(NFTA_SET_ELEM_KEY);
            a.put(NFTA_DATA_VALUE, k.data(), k.size());
            a.close(key);
            a.close(elem);
        }
        a.close(list);
        appendMessage(batch, uint16_t(NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_DELSETELEM), NLM_F_ACK, seq++, NFPROTO_IPV4, 0,
                      a.bytes());
        ++expected;
    }
    appendMessage(batch, NFNL_MSG_BATCH_END, 0, seq++, AF_UNSPEC, NFNL_SUBSYS_NFTABLES, {});

    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    if (::sendto(fd.get(), batch.data(), batch.size(), 0, reinterpret_cast<sockaddr*>(&kernel), sizeof kernel) < 0)
        return failErrno("send an nftables batch");
    int firstError = 0;
    char buf[8192];
    while (expected > 0) {
        ssize_t n = ::recv(fd.get(), buf, sizeof buf, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            return failErrno("read the answer to an nftables batch");
        }
        int len = int(n);
        for (auto* h = reinterpret_cast<nlmsghdr*>(buf); NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
            if (h->nlmsg_type != NLMSG_ERROR) continue;
            auto* e = static_cast<nlmsgerr*>(NLMSG_DATA(h));
            if (e->error != 0 && firstError == 0) firstError = -e->error;
            --expected;
        }
    }
    return firstError;
}

} // namespace

std::string portKeyBytes(const PortMapping& p) {
    std::string key;
    auto reg = [&](const void* data, size_t len) {  // one field in a 4-byte register
        key.append(static_cast<const char*>(data), len);
        key.append((4 - len % 4) % 4, '\0');
    };
    if (std::string(mapOf(p)) == "ports_ip") {
        in_addr a{};
        ::inet_pton(AF_INET, p.port.hostIp.c_str(), &a);
        reg(&a, 4);
    }
    uint8_t proto = p.port.protocol == "udp" ? IPPROTO_UDP : IPPROTO_TCP;
    reg(&proto, 1);
    uint16_t port = htons(p.port.hostPort);
    reg(&port, 2);
    return key;
}

VoidResult removePorts(const std::string& table, const std::vector<PortMapping>& ports) {
    if (ports.empty()) return {};
    std::map<std::string, std::vector<std::string>> all;
    for (auto& p : ports) all[mapOf(p)].push_back(portKeyBytes(p));
    int err = BERTH_TRY(runBatch(table, all));
    if (err == 0) return {};
    // One element missing (ENOENT) refuses the whole batch: one by one then.
    for (auto& p : ports) {
        int e = BERTH_TRY(runBatch(table, {{mapOf(p), {portKeyBytes(p)}}}));
        if (e != 0 && e != ENOENT)
            return fail(Error::fromErrno("remove published port " + std::to_string(p.port.hostPort) + "/" +
                                             p.port.protocol + " from table ip " + table,
                                         e));
    }
    return {};
}

} // namespace berth::network::nftnl
