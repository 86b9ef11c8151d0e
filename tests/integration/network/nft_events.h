#pragma once
// nftables' netlink event group, for tests that must act the moment the kernel commits a
// change to one of our tables (the group multicasts each committed change to every
// listener). Subscribed on construction, so nothing committed afterwards is missed.

#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <set>
#include <string>

namespace berth::test {

class NftEvents {
public:
    explicit NftEvents(std::string table) : m_table(std::move(table)) {
        m_fd = ::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
        if (m_fd < 0) return;
        sockaddr_nl sa{};
        sa.nl_family = AF_NETLINK;
        sa.nl_groups = 1u << (NFNLGRP_NFTABLES - 1);
        int size = 1 << 20;
        (void)::setsockopt(m_fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
        if (::bind(m_fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
            ::close(m_fd);
            m_fd = -1;
        }
    }
    ~NftEvents() {
        if (m_fd >= 0) ::close(m_fd);
    }
    NftEvents(const NftEvents&) = delete;
    NftEvents& operator=(const NftEvents&) = delete;

    bool ok() const { return m_fd >= 0; }

    // Blocks until an element is added to one of `sets` in the table (true), or until
    // `timeoutMs` passed without one (false: an upper bound, never a measurement).
    bool waitForNewElement(const std::set<std::string>& sets, int timeoutMs) {
        auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
        alignas(nlmsghdr) static char buf[1 << 16];
        for (;;) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
            if (left.count() <= 0) return false;
            pollfd p{m_fd, POLLIN, 0};
            if (::poll(&p, 1, int(left.count())) <= 0) continue;
            ssize_t n = ::recv(m_fd, buf, sizeof buf, 0);
            if (n <= 0) continue;  // ENOBUFS (events dropped) or EINTR: keep listening
            for (auto* h = reinterpret_cast<nlmsghdr*>(buf); NLMSG_OK(h, size_t(n)); h = NLMSG_NEXT(h, n))
                if (isNewElementIn(h, sets)) return true;
        }
    }

private:
    bool isNewElementIn(const nlmsghdr* h, const std::set<std::string>& sets) const {
        if (NFNL_SUBSYS_ID(h->nlmsg_type) != NFNL_SUBSYS_NFTABLES || NFNL_MSG_TYPE(h->nlmsg_type) != NFT_MSG_NEWSETELEM)
            return false;
        const char* at = reinterpret_cast<const char*>(NLMSG_DATA(h)) + NLMSG_ALIGN(sizeof(nfgenmsg));
        const char* end = reinterpret_cast<const char*>(h) + h->nlmsg_len;
        std::string table, set;
        while (at + NLA_HDRLEN <= end) {
            auto* a = reinterpret_cast<const nlattr*>(at);
            if (a->nla_len < NLA_HDRLEN || at + a->nla_len > end) break;
            std::string value(at + NLA_HDRLEN, strnlen(at + NLA_HDRLEN, a->nla_len - NLA_HDRLEN));
            if ((a->nla_type & NLA_TYPE_MASK) == NFTA_SET_ELEM_LIST_TABLE) table = value;
            if ((a->nla_type & NLA_TYPE_MASK) == NFTA_SET_ELEM_LIST_SET) set = value;
            at += NLA_ALIGN(a->nla_len);
        }
        return table == m_table && sets.count(set);
    }

    std::string m_table;
    int m_fd = -1;
};

} // namespace berth::test
