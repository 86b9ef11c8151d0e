// `berth network ...` and the network parts of run/create, port, ps and inspect.
#include "network_cli.h"

#include <fmt/format.h>

#include <unistd.h>

#include <memory>

namespace berth::cli {

namespace {

nlohmann::json networkJson(const network::NetworkInfo& n) {
    nlohmann::json containers = nlohmann::json::object();
    for (auto& c : n.containers)
        containers[c.containerId] = {{"Name", c.containerName},
                                     {"EndpointID", c.hostInterface},
                                     {"MacAddress", c.macAddress},
                                     {"IPv4Address", c.ipAddress + "/" + std::to_string(c.prefixLength)},
                                     {"IPv6Address", ""},
                                     {"Aliases", c.aliases}};
    nlohmann::json config = nlohmann::json::array();
    if (!n.subnet.empty()) config.push_back({{"Subnet", n.subnet}, {"Gateway", n.gateway}});
    nlohmann::json options = nlohmann::json::object();
    if (!n.bridge.empty()) options["com.docker.network.bridge.name"] = n.bridge;
    return {{"Name", n.name},
            {"Id", n.id},
            {"Created", n.created},
            {"Scope", "local"},
            {"Driver", n.driver},
            {"EnableIPv6", false},
            {"IPAM", {{"Driver", "default"}, {"Options", nlohmann::json::object()}, {"Config", config}}},
            {"Internal", n.internal},
            {"Attachable", false},
            {"Containers", containers},
            {"Members", n.members},
            {"Options", options},
            {"Labels", n.labels}};
}

std::map<std::string, std::string> parseLabels(const std::vector<std::string>& labels) {
    std::map<std::string, std::string> out;
    for (auto& l : labels) {
        auto eq = l.find('=');
        out[l.substr(0, eq)] = eq == std::string::npos ? "" : l.substr(eq + 1);
    }
    return out;
}

} // namespace

void applyNetworkFlags(CliContext& ctx, container::CreateOptions& o) {
    auto& net = o.network;
    bool userNet = !net.empty() && net != "bridge" && net != "none" && net != "host";
    if (net == "host" || net == "none") {
        if (!o.ports.empty() || o.publishAll)
            fmt::print(stderr, "WARNING: published ports are discarded when using the {} network\n", net);
        o.ports.clear();
        o.publishAll = false;
        if (!o.ipAddress.empty() || !o.networkAliases.empty())
            throw CliError{"--ip and --network-alias need a user network, not " + net, 125};
        return;
    }
    if (userNet) ctx.check(ctx.engine().networks().inspect(net), 125);
    if (!userNet && !o.ipAddress.empty())
        throw CliError{"--ip is only allowed on user networks (create one with berth network create)", 125};
    if (!userNet && !o.networkAliases.empty())
        throw CliError{"--network-alias is only allowed on user networks", 125};
    std::vector<network::PublishedPort> ports;
    for (auto& p : o.ports) ports.push_back({p.hostIp, p.hostPort, p.containerPort, p.protocol});
    ctx.check(ctx.engine().networks().checkPorts(ports), 125);
}

std::vector<container::PortBinding> effectivePorts(CliContext& ctx, const std::string& id,
                                                   const std::vector<container::PortBinding>& configured) {
    auto live = ctx.engine().networks().ports(id);
    if (!live || live->empty()) return configured;
    std::vector<container::PortBinding> out;
    for (auto& p : *live) out.push_back({p.hostIp, p.hostPort, p.containerPort, p.protocol});
    return out;
}

void addNetworkSettings(CliContext& ctx, nlohmann::json& c) {
    if (!c.is_object() || !c.contains("Id")) return;
    std::string id = c["Id"].get<std::string>();
    nlohmann::json settings = {{"IPAddress", ""}, {"IPPrefixLen", 0}, {"Gateway", ""}, {"MacAddress", ""},
                               {"Ports", nlohmann::json::object()}, {"Networks", nlohmann::json::object()}};
    auto nets = ctx.engine().networks().list();
    if (nets)
        for (auto& n : *nets)
            for (auto& e : n.containers) {
                if (e.containerId != id) continue;
                settings["Networks"][n.name] = {{"NetworkID", n.id}, {"IPAddress", e.ipAddress},
                                                {"IPPrefixLen", e.prefixLength}, {"Gateway", n.gateway},
                                                {"MacAddress", e.macAddress}, {"Aliases", e.aliases}};
                if (settings["IPAddress"] == "") {
                    settings["IPAddress"] = e.ipAddress;
                    settings["IPPrefixLen"] = e.prefixLength;
                    settings["Gateway"] = n.gateway;
                    settings["MacAddress"] = e.macAddress;
                }
            }
    if (auto ports = ctx.engine().networks().ports(id))
        for (auto& p : *ports)
            settings["Ports"][std::to_string(p.containerPort) + "/" + p.protocol].push_back(
                {{"HostIp", p.hostIp.empty() ? "0.0.0.0" : p.hostIp}, {"HostPort", std::to_string(p.hostPort)}});
    c["NetworkSettings"] = settings;
}

void addNetworkCommands(CLI::App& app, CliContext& ctx) {
    CLI::App* group = app.add_subcommand("network", "Manage networks");
    group->require_subcommand(1);

    {
        struct Flags {
            std::string name, subnet, gateway, driver = "bridge";
            std::vector<std::string> labels;
            bool internal = false;
        };
        auto f = std::make_shared<Flags>();
        auto* sub = addVerb(*group, "create", "Create a network", ctx, [&ctx, f] {
            network::CreateNetworkOptions o;
            o.name = f->name;
            o.subnet = f->subnet;
            o.gateway = f->gateway;
            o.driver = f->driver;
            o.internal = f->internal;
            o.labels = parseLabels(f->labels);
            auto info = ctx.check(ctx.engine().networks().create(o));
            fmt::print("{}\n", info.id);
        });
        sub->add_option("name", f->name, "Network name")->required();
        sub->add_option("--subnet", f->subnet, "Subnet in CIDR format (e.g. 10.90.0.0/24)");
        sub->add_option("--gateway", f->gateway, "IPv4 gateway for the subnet");
        sub->add_option("-d,--driver", f->driver, "Driver (bridge)");
        sub->add_option("--label", f->labels, "Set metadata on a network")->allow_extra_args(false);
        sub->add_flag("--internal", f->internal, "Restrict external access to the network");
    }
    {
        auto quiet = std::make_shared<bool>(false);
        auto noTrunc = std::make_shared<bool>(false);
        auto* sub = addVerb(*group, "ls", "List networks", ctx, [&ctx, quiet, noTrunc] {
            auto nets = ctx.check(ctx.engine().networks().list());
            if (*quiet) {
                for (auto& n : nets) fmt::print("{}\n", *noTrunc ? n.id : n.id.substr(0, 12));
                return;
            }
            Table t({"NETWORK ID", "NAME", "DRIVER", "SCOPE", "SUBNET"});
            for (auto& n : nets) t.addRow({*noTrunc ? n.id : n.id.substr(0, 12), n.name, n.driver, "local", n.subnet});
            fmt::print("{}", t.render());
        });
        sub->alias("list");
        sub->add_flag("-q,--quiet", *quiet, "Only display network IDs");
        sub->add_flag("--no-trunc", *noTrunc, "Do not truncate the output");
    }
    {
        auto refs = std::make_shared<std::vector<std::string>>();
        auto* sub = addVerb(*group, "inspect", "Display detailed information on one or more networks", ctx, [&ctx, refs] {
            nlohmann::json out = nlohmann::json::array();
            std::string missing;
            for (auto& r : *refs) {
                auto n = ctx.engine().networks().inspect(r);
                if (!n) {
                    missing += n.error().message() + "\n";
                    continue;
                }
                out.push_back(networkJson(*n));
            }
            fmt::print("{}\n", out.dump(4));
            if (!missing.empty()) {
                missing.pop_back();
                throw CliError{missing, 1};
            }
        });
        sub->add_option("network", *refs, "Network name or id")->required();
    }
    {
        auto refs = std::make_shared<std::vector<std::string>>();
        auto* sub = addVerb(*group, "rm", "Remove one or more networks", ctx, [&ctx, refs] {
            bool failed = false;
            for (auto& r : *refs) {
                if (auto res = ctx.engine().networks().remove(r); !res) {
                    fmt::print(stderr, "Error: {}\n", res.error().message());
                    failed = true;
                } else {
                    fmt::print("{}\n", r);
                }
            }
            if (failed) ctx.exitCode = 1;
        });
        sub->alias("remove");
        sub->add_option("network", *refs, "Network name or id")->required();
    }
    {
        struct Flags {
            std::string net, container, ip;
            std::vector<std::string> aliases;
        };
        auto f = std::make_shared<Flags>();
        auto* sub = addVerb(*group, "connect", "Connect a container to a network", ctx, [&ctx, f] {
            ctx.check(ctx.engine().networks().connect(f->net, f->container, {f->aliases, f->ip}));
        });
        sub->add_option("network", f->net, "Network")->required();
        sub->add_option("container", f->container, "Container")->required();
        sub->add_option("--ip", f->ip, "IPv4 address");
        sub->add_option("--alias", f->aliases, "Add a network-scoped alias for the container")->allow_extra_args(false);
    }
    {
        struct Flags {
            std::string net, container;
            bool force = false;
        };
        auto f = std::make_shared<Flags>();
        auto* sub = addVerb(*group, "disconnect", "Disconnect a container from a network", ctx, [&ctx, f] {
            ctx.check(ctx.engine().networks().disconnect(f->net, f->container, f->force));
        });
        sub->add_option("network", f->net, "Network")->required();
        sub->add_option("container", f->container, "Container")->required();
        sub->add_flag("-f,--force", f->force, "Force the container to disconnect from a network");
    }
    {
        auto force = std::make_shared<bool>(false);
        auto* sub = addVerb(*group, "prune", "Remove all unused networks", ctx, [&ctx] {
            auto rep = ctx.check(ctx.engine().networks().prune());
            if (rep.removed.empty()) return;
            fmt::print("Deleted Networks:\n");
            for (auto& n : rep.removed) fmt::print("{}\n", n);
        });
        sub->add_flag("-f,--force", *force, "Do not prompt for confirmation");
    }
    {
        // Internal: berth-monitor runs this when a container with published ports ends
        // (the monitor is static and cannot load libnftables).
        auto id = std::make_shared<std::string>();
        auto gone = std::make_shared<bool>(false);
        auto* sub = addVerb(*group, "release", "Release a stopped container's network resources", ctx, [&ctx, id, gone] {
            ctx.check(ctx.engine().networks().releaseContainer(*id, *gone));
        });
        sub->add_option("container-id", *id, "Full container id")->required();
        sub->add_flag("--namespace-gone", *gone, "The container's processes are gone: leave its veths to the kernel");
        sub->group("");
    }
}

} // namespace berth::cli
