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

VoidResult ensureTable(const std::string& t) {
    // "create" fails when the table exists: then its rules are there too (they are only
    // ever created together, in one transaction, under the networks' lock).
    auto probe = BERTH_TRY(run("create table ip " + t));
    if (probe.rc != 0) return {};
    auto script = fmt::format(R"(
table ip {0} {{
  set nat_nets {{ type ipv4_addr; flags interval; }}
  set bridges {{ type ifname; }}
  set internal_bridges {{ type ifname; }}
  map ports_any {{ type inet_proto . inet_service : ipv4_addr . inet_service; }}
  map ports_ip {{ type ipv4_addr . inet_proto . inet_service : ipv4_addr . inet_service; }}
  chain publish {{
    dnat to ip daddr . meta l4proto . th dport map @ports_ip
    dnat to meta l4proto . th dport map @ports_any
  }}
  chain prerouting {{
    type nat hook prerouting priority dstnat; policy accept;
    fib daddr type local jump publish
  }}
  chain output {{
    type nat hook output priority -100; policy accept;
    fib daddr type local jump publish
  }}
  chain postrouting {{
    type nat hook postrouting priority srcnat; policy accept;
    oifname @bridges ip saddr 127.0.0.0/8 masquerade
    ip saddr @nat_nets oifname != @bridges masquerade
  }}
  chain forward {{
    type filter hook forward priority filter; policy accept;
    iifname @internal_bridges oifname != @internal_bridges drop
    oifname @internal_bridges iifname != @internal_bridges drop
  }}
}}
)", t);
    if (auto r = runOrFail("create table ip " + t, script); !r) {
        (void)run("delete table ip " + t);
        return r;
    }
    return {};
}

VoidResult deleteTable(const std::string& t) {
    auto r = BERTH_TRY(run("delete table ip " + t));
    (void)r;  // missing already: fine
    return {};
}

VoidResult addNetwork(const std::string& t, const Subnet& subnet, const std::string& bridge, bool internal) {
    BERTH_TRYV(ensureTable(t));
    std::string cmds = fmt::format("add element ip {} bridges {{ \"{}\" }}\n", t, bridge);
    if (internal)
        cmds += fmt::format("add element ip {} internal_bridges {{ \"{}\" }}\n", t, bridge);
    else
        cmds += fmt::format("add element ip {} nat_nets {{ {} }}\n", t, subnet.str());
    return runOrFail("add network " + bridge + " to table " + t, cmds);
}

VoidResult removeNetwork(const std::string& t, const Subnet& subnet, const std::string& bridge, bool internal) {
    // One command per element: one missing element must not keep the others.
    (void)run(fmt::format("delete element ip {} bridges {{ \"{}\" }}", t, bridge));
    if (internal)
        (void)run(fmt::format("delete element ip {} internal_bridges {{ \"{}\" }}", t, bridge));
    else
        (void)run(fmt::format("delete element ip {} nat_nets {{ {} }}", t, subnet.str()));
    return {};
}

VoidResult addPorts(const std::string& t, const std::vector<PortMapping>& ports) {
    if (ports.empty()) return {};
    BERTH_TRYV(ensureTable(t));
    std::string cmds;
    for (auto& p : ports)
        cmds += fmt::format("add element ip {} {} {{ {} : {} . {} }}\n", t, portMap(p), portKey(p), p.target.str(),
                            p.port.containerPort);
    return runOrFail("publish ports", cmds);
}

VoidResult removePorts(const std::string& t, const std::vector<PortMapping>& ports) {
    for (auto& p : ports) (void)run(fmt::format("delete element ip {} {} {{ {} }}", t, portMap(p), portKey(p)));
    return {};
}

Result<std::string> listTable(const std::string& t) {
    auto r = BERTH_TRY(run("list table ip " + t));
    return r.rc == 0 ? r.out : std::string();
}

} // namespace berth::network::nft
