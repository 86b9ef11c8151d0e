// `berth network ...`.
#include "inspect_output.h"
#include "network_cli.h"

#include "berth/run_flags.h"

#include <fmt/format.h>

#include <unistd.h>

#include <memory>

namespace berth::cli {

namespace {

std::map<std::string, std::string> parseLabels(const std::vector<std::string>& labels) {
    std::map<std::string, std::string> out;
    for (auto& l : labels) {
        auto kv = parseLabel(l);
        if (!kv) throw CliError{kv.error().message(), 125};
        out[kv->first] = kv->second;
    }
    return out;
}

void addNetworkCreate(CLI::App* group, CliContext& ctx) {
    struct Flags {
        std::string name, subnet, gateway, driver = "bridge";
        std::vector<std::string> labels;
        bool internal = false;
    };
    auto f = std::make_shared<Flags>();
    auto* sub = addVerb(*group, "create", "Create a network", ctx, [&ctx, f] {
        CreateNetworkOptions o;
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

void addNetworkList(CLI::App* group, CliContext& ctx) {
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

void addNetworkInspect(CLI::App* group, CliContext& ctx) {
    auto refs = std::make_shared<std::vector<std::string>>();
    auto format = std::make_shared<std::string>();
    auto* sub = addVerb(*group, "inspect", "Display detailed information on one or more networks", ctx, [&ctx, refs, format] {
        std::vector<std::string> out;
        std::string missing;
        for (auto& r : *refs) {
            auto n = ctx.engine().networks().inspect(r);
            if (!n) {
                missing += n.error().message() + "\n";
                continue;
            }
            out.push_back(std::move(n->json));
        }
        printInspected(out, *format);
        if (!missing.empty()) {
            missing.pop_back();
            throw CliError{missing, 1};
        }
    });
    sub->add_option("-f,--format", *format, "Format the output using a Go template ('{{.Name}}'), or json");
    sub->add_option("network", *refs, "Network name or id")->required();
}

void addNetworkRemove(CLI::App* group, CliContext& ctx) {
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

void addNetworkConnect(CLI::App* group, CliContext& ctx) {
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

void addNetworkDisconnect(CLI::App* group, CliContext& ctx) {
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

void addNetworkPrune(CLI::App* group, CliContext& ctx) {
    auto force = std::make_shared<bool>(false);
    // The callback holds `force`: the flag writes through it when the command line is parsed,
    // after this function returned (without the capture that was a use after free, found by
    // the sanitizer run).
    auto* sub = addVerb(*group, "prune", "Remove all unused networks", ctx, [&ctx, force] {
        if (!*force && !confirmRemoval("all custom networks not used by at least one container")) return;
        auto rep = ctx.check(ctx.engine().networks().prune());
        if (rep.removed.empty()) return;
        fmt::print("Deleted Networks:\n");
        for (auto& n : rep.removed) fmt::print("{}\n", n);
    });
    sub->add_flag("-f,--force", *force, "Do not prompt for confirmation");
}

void addNetworkRelease(CLI::App* group, CliContext& ctx) {
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

} // namespace

void addNetworkCommands(CLI::App& app, CliContext& ctx) {
    CLI::App* group = app.add_subcommand("network", "Manage networks");
    group->require_subcommand(1);

    addNetworkCreate(group, ctx);
    addNetworkList(group, ctx);
    addNetworkInspect(group, ctx);
    addNetworkRemove(group, ctx);
    addNetworkConnect(group, ctx);
    addNetworkDisconnect(group, ctx);
    addNetworkPrune(group, ctx);
    addNetworkRelease(group, ctx);
}

} // namespace berth::cli
