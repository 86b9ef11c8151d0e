#include "network/nft_rules.h"

#include <nftables/libnftables.h>

#include <fmt/format.h>

#include <memory>

namespace berth::network::nft {

namespace {

struct CtxFree { void operator()(nft_ctx* c) const { nft_ctx_free(c); } };

struct Run {
    int rc = 0;
    std::string out, err;
};

Result<Run> run(const std::string& commands) {
    std::unique_ptr<nft_ctx, CtxFree> ctx(nft_ctx_new(NFT_CTX_DEFAULT));
    if (!ctx) return fail(Errc::System, "create a libnftables context");
    nft_ctx_buffer_output(ctx.get());
    nft_ctx_buffer_error(ctx.get());
    Run r;
    r.rc = nft_run_cmd_from_buffer(ctx.get(), commands.c_str());
    if (const char* o = nft_ctx_get_output_buffer(ctx.get())) r.out = o;
    if (const char* e = nft_ctx_get_error_buffer(ctx.get())) r.err = e;
    return r;
}

VoidResult runOrFail(const std::string& what, const std::string& commands) {
    auto r = BERTH_TRY(run(commands));
    if (r.rc != 0) {
        auto msg = r.err;
        while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
        return fail(Errc::System, what + " (nftables): " + (msg.empty() ? "failed" : msg));
    }
    return {};
}

std::string portKey(const PortMapping& p) {
    std::string proto = p.port.protocol == "udp" ? "udp" : "tcp";
    std::string key = proto + " . " + std::to_string(p.port.hostPort);
    if (!p.port.hostIp.empty() && p.port.hostIp != "0.0.0.0") key = p.port.hostIp + " . " + key;
    return key;
}

const char* portMap(const PortMapping& p) {
    return !p.port.hostIp.empty() && p.port.hostIp != "0.0.0.0" ? "ports_ip" : "ports_any";
}

} // namespace

// The marker of the current rule set in the postrouting chain (tables made by an older
// berth lack it and are brought up to date).
static constexpr std::string_view kHairpinRule = "ct status dnat";

VoidResult ensureTable(const std::string& t) {
    // Idempotent and atomic: sets, maps and their elements are kept; every chain's rules are
    // replaced by the current ones in the same transaction.
    auto script = fmt::format(R"(
add table ip {0}
add set ip {0} nat_nets {{ type ipv4_addr; flags interval; }}
add set ip {0} bridges {{ type ifname; }}
add set ip {0} internal_bridges {{ type ifname; }}
add map ip {0} ports_any {{ type inet_proto . inet_service : ipv4_addr . inet_service; }}
add map ip {0} ports_ip {{ type ipv4_addr . inet_proto . inet_service : ipv4_addr . inet_service; }}
add chain ip {0} publish
add chain ip {0} prerouting {{ type nat hook prerouting priority dstnat; policy accept; }}
add chain ip {0} output {{ type nat hook output priority -100; policy accept; }}
add chain ip {0} postrouting {{ type nat hook postrouting priority srcnat; policy accept; }}
add chain ip {0} forward {{ type filter hook forward priority filter; policy accept; }}
flush chain ip {0} publish
flush chain ip {0} prerouting
flush chain ip {0} output
flush chain ip {0} postrouting
flush chain ip {0} forward
add rule ip {0} publish dnat to ip daddr . meta l4proto . th dport map @ports_ip
add rule ip {0} publish dnat to meta l4proto . th dport map @ports_any
add rule ip {0} prerouting fib daddr type local jump publish
add rule ip {0} output fib daddr type local jump publish
add rule ip {0} postrouting oifname @bridges ip saddr 127.0.0.0/8 masquerade
add rule ip {0} postrouting ip saddr @nat_nets oifname != @bridges masquerade
add rule ip {0} postrouting oifname @bridges ip saddr @nat_nets {1} masquerade
add rule ip {0} forward iifname @internal_bridges oifname != @internal_bridges drop
add rule ip {0} forward oifname @internal_bridges iifname != @internal_bridges drop
)", t, kHairpinRule);
    // Published ports reached from a container (its own through a host address: hairpin,
    // or another container's) are masqueraded to the bridge's address, so the answer comes
    // back through the host's conntrack instead of straight to the container, which would
    // drop an answer from an address it did not talk to.
    return runOrFail("set up table ip " + t, script);
}

// Whether table `t` exists with the current rules (one listing of one chain).
static bool tableCurrent(const std::string& t) {
    auto r = run("list chain ip " + t + " postrouting");
    return r && r->rc == 0 && r->out.find(kHairpinRule) != std::string::npos;
}

VoidResult deleteTable(const std::string& t) {
    auto r = BERTH_TRY(run("delete table ip " + t));
    (void)r;  // missing already: fine
    return {};
}

VoidResult addNetwork(const std::string& t, const Subnet& subnet, const std::string& bridge, bool internal) {
    if (!tableCurrent(t)) BERTH_TRYV(ensureTable(t));
    std::string cmds = fmt::format("add element ip {} bridges {{ \"{}\" }}\n", t, bridge);
    if (internal)
        cmds += fmt::format("add element ip {} internal_bridges {{ \"{}\" }}\n", t, bridge);
    else
        cmds += fmt::format("add element ip {} nat_nets {{ {} }}\n", t, subnet.str());
    return runOrFail("add network " + bridge + " to table " + t, cmds);
}

// Deletes elements in one transaction (a deletion's commit waits for an RCU grace period,
// ~15 ms: once, not once per element); when one is missing the whole batch is refused, and
// they are deleted one by one so the others still go.
static void deleteElements(const std::vector<std::string>& commands) {
    if (commands.empty()) return;
    std::string batch;
    for (auto& c : commands) batch += c + "\n";
    auto r = run(batch);
    if (r && r->rc == 0) return;
    if (commands.size() > 1)
        for (auto& c : commands) (void)run(c);
}

VoidResult removeNetwork(const std::string& t, const Subnet& subnet, const std::string& bridge, bool internal) {
    std::vector<std::string> cmds{fmt::format("delete element ip {} bridges {{ \"{}\" }}", t, bridge)};
    if (internal)
        cmds.push_back(fmt::format("delete element ip {} internal_bridges {{ \"{}\" }}", t, bridge));
    else
        cmds.push_back(fmt::format("delete element ip {} nat_nets {{ {} }}", t, subnet.str()));
    deleteElements(cmds);
    return {};
}

VoidResult addPorts(const std::string& t, const std::vector<PortMapping>& ports) {
    if (ports.empty()) return {};
    if (!tableCurrent(t)) BERTH_TRYV(ensureTable(t));
    std::string cmds;
    for (auto& p : ports)
        cmds += fmt::format("add element ip {} {} {{ {} : {} . {} }}\n", t, portMap(p), portKey(p), p.target.str(),
                            p.port.containerPort);
    return runOrFail("publish ports", cmds);
}

VoidResult removePorts(const std::string& t, const std::vector<PortMapping>& ports) {
    std::vector<std::string> cmds;
    for (auto& p : ports) cmds.push_back(fmt::format("delete element ip {} {} {{ {} }}", t, portMap(p), portKey(p)));
    deleteElements(cmds);
    return {};
}

Result<std::string> listTable(const std::string& t) {
    auto r = BERTH_TRY(run("list table ip " + t));
    return r.rc == 0 ? r.out : std::string();
}

} // namespace berth::network::nft
