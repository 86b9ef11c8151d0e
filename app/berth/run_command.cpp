// `berth create` and `berth run`: docker's flags turned into CreateOptions.
#include "container_cli.h"
#include "ensure_image.h"

#include "attach_session.h"
#include "container/container_options.h"
#include "container/container_service.h"
#include "network_cli.h"

#include <fmt/format.h>

#include <memory>

namespace berth::cli {

namespace {

struct RunFlags {
    bool detach = false, interactive = false, tty = false, rm = false;
    std::string name, workdir, user, entrypoint, hostname;
    bool entrypointSet = false;
    std::vector<std::string> env, envFiles, tmpfs, capAdd, capDrop, securityOpts, logOpts, ports,
        ulimits, labels;
    std::string memory, memorySwap, cpus, cpusetCpus, restart = "no";
    int64_t cpuShares = -1, pidsLimit = 0;
    bool pidsLimitSet = false;
    bool readOnly = false, privileged = false;
    bool sigProxy = true;
    std::string detachKeys;  // --detach-keys, docker's format ("" = ctrl-p,ctrl-q)
    std::string network, ip;
    std::vector<std::string> networkAliases, dns, addHosts;
    bool publishAll = false;
    std::vector<std::string> volumes, mounts;
    ImagePullFlags pull;  // --pull, --platform... (ensure_image.h)
};

void addRunFlags(CLI::App* sub, RunFlags& f, bool isRun) {
    sub->set_help_flag("--help", "Print help");  // -h is --hostname, as in docker
    if (isRun) {
        sub->add_flag("-d,--detach", f.detach, "Run in the background and print the container ID");
        sub->add_flag("--sig-proxy", f.sigProxy, "Proxy received signals to the process (default true)");
        sub->add_option("--detach-keys", f.detachKeys, "Override the key sequence for detaching a container");
    }
    sub->add_flag("-i,--interactive", f.interactive, "Keep STDIN open");
    sub->add_flag("-t,--tty", f.tty, "Allocate a pseudo-TTY");
    sub->add_flag("--rm", f.rm, "Remove the container when it exits");
    sub->add_option("--name", f.name, "Assign a name to the container");
    sub->add_option("-e,--env", f.env, "Set environment variables")->allow_extra_args(false);
    sub->add_option("--env-file", f.envFiles, "Read in a file of environment variables")->allow_extra_args(false);
    sub->add_option("-w,--workdir", f.workdir, "Working directory inside the container");
    sub->add_option("-u,--user", f.user, "Username or UID (format: <name|uid>[:<group|gid>])");
    sub->add_option("--entrypoint", f.entrypoint, "Overwrite the default ENTRYPOINT of the image")
        ->each([&f](const std::string&) { f.entrypointSet = true; });
    sub->add_option("-h,--hostname", f.hostname, "Container host name");
    sub->add_option("-m,--memory", f.memory, "Memory limit");
    sub->add_option("--memory-swap", f.memorySwap, "Swap limit equal to memory plus swap: '-1' for unlimited");
    sub->add_option("--cpus", f.cpus, "Number of CPUs");
    sub->add_option("-c,--cpu-shares", f.cpuShares, "CPU shares (relative weight)");
    sub->add_option("--cpuset-cpus", f.cpusetCpus, "CPUs in which to allow execution (0-3, 0,1)");
    sub->add_option("--pids-limit", f.pidsLimit, "Tune container pids limit (-1 for unlimited)")
        ->each([&f](const std::string&) { f.pidsLimitSet = true; });
    sub->add_flag("--read-only", f.readOnly, "Mount the container's root filesystem as read only");
    sub->add_option("--tmpfs", f.tmpfs, "Mount a tmpfs directory")->allow_extra_args(false);
    sub->add_option("-v,--volume", f.volumes, "Bind mount a volume (NAME:/ctr, /host:/ctr, /ctr; :ro)")
        ->allow_extra_args(false);
    sub->add_option("--mount", f.mounts, "Attach a filesystem mount (type=bind|volume|tmpfs,source=,target=,readonly)")
        ->allow_extra_args(false);
    sub->add_option("--cap-add", f.capAdd, "Add Linux capabilities")->allow_extra_args(false);
    sub->add_option("--cap-drop", f.capDrop, "Drop Linux capabilities")->allow_extra_args(false);
    sub->add_flag("--privileged", f.privileged, "Give extended privileges to this container");
    sub->add_option("--security-opt", f.securityOpts, "Security options")->allow_extra_args(false);
    sub->add_option("--restart", f.restart, "Restart policy to apply when a container exits");
    sub->add_option("--log-opt", f.logOpts, "Log driver options")->allow_extra_args(false);
    sub->add_option("--log-driver", "Logging driver (json-file only)");
    sub->add_option("-p,--publish", f.ports, "Publish a container's port(s) to the host")->allow_extra_args(false);
    sub->add_option("--ulimit", f.ulimits, "Ulimit options")->allow_extra_args(false);
    sub->add_option("-l,--label", f.labels, "Set meta data on a container")->allow_extra_args(false);
    sub->add_option("--network,--net", f.network, "Connect a container to a network (bridge, none, host or a network name)");
    sub->add_option("--ip", f.ip, "IPv4 address (on a user network)");
    sub->add_option("--network-alias", f.networkAliases, "Add a network-scoped alias for the container")->allow_extra_args(false);
    sub->add_option("--dns", f.dns, "Set custom DNS servers")->allow_extra_args(false);
    sub->add_option("--add-host", f.addHosts, "Add a custom host-to-IP mapping (host:ip)")->allow_extra_args(false);
    sub->add_flag("-P,--publish-all", f.publishAll, "Publish all exposed ports to random ports");
    addImagePullFlags(sub, f.pull);
    // IMAGE [COMMAND] [ARG...]: everything after the image belongs to the container.
    sub->prefix_command();
    sub->fallthrough(false);  // IMAGE/CONTAINER and what follows are ours, not the parent's
}

container::CreateOptions toOptions(CliContext& ctx, RunFlags& f, const std::vector<std::string>& rest) {
    using namespace container;
    if (rest.empty()) throw CliError{"\"run\" requires at least 1 argument: IMAGE [COMMAND] [ARG...]", 125};
    CreateOptions o;
    o.image = rest[0];
    o.cmd.assign(rest.begin() + 1, rest.end());
    o.name = f.name;
    for (auto& file : f.envFiles) {
        auto vars = ctx.check(readEnvFile(file), 125);
        o.env.insert(o.env.end(), vars.begin(), vars.end());
    }
    o.env.insert(o.env.end(), f.env.begin(), f.env.end());
    o.workingDir = f.workdir;
    o.user = f.user;
    if (f.entrypointSet) {
        o.entrypoint = std::vector<std::string>{};
        if (!f.entrypoint.empty()) o.entrypoint->push_back(f.entrypoint);
    }
    o.hostname = f.hostname;
    o.tty = f.tty;
    o.interactive = f.interactive;
    o.autoRemove = f.rm;
    if (!f.memory.empty()) o.resources.memoryBytes = ctx.check(parseMemory(f.memory), 125);
    if (!f.memorySwap.empty()) {
        o.resources.memorySwapBytes = f.memorySwap == "-1" ? -1 : ctx.check(parseMemory(f.memorySwap), 125);
    }
    if (!f.cpus.empty()) o.resources.cpuQuotaUs = ctx.check(parseCpus(f.cpus), 125);
    if (f.cpuShares >= 0) o.resources.cpuShares = uint64_t(f.cpuShares);
    if (!f.cpusetCpus.empty()) o.resources.cpusetCpus = f.cpusetCpus;
    if (f.pidsLimitSet && f.pidsLimit != 0) o.resources.pidsLimit = f.pidsLimit;
    o.readOnly = f.readOnly;
    o.tmpfs = f.tmpfs;
    for (auto& v : f.volumes) o.mounts.push_back(ctx.check(parseVolumeSpec(v), 125));
    for (auto& m : f.mounts) o.mounts.push_back(ctx.check(parseMountSpec(m), 125));
    o.capAdd = f.capAdd;
    o.capDrop = f.capDrop;
    o.privileged = f.privileged;
    for (auto& s : f.securityOpts) ctx.check(parseSecurityOpt(s, o), 125);
    o.restart = ctx.check(parseRestartPolicy(f.restart), 125);
    for (auto& l : f.logOpts) {
        // "max-size=10m,max-file=3" is accepted in one flag as well.
        size_t pos = 0;
        while (pos <= l.size()) {
            auto comma = l.find(',', pos);
            if (comma == std::string::npos) comma = l.size();
            ctx.check(parseLogOpt(l.substr(pos, comma - pos), o.log), 125);
            pos = comma + 1;
        }
    }
    for (auto& p : f.ports) {
        auto bindings = ctx.check(parsePortSpec(p), 125);
        o.ports.insert(o.ports.end(), bindings.begin(), bindings.end());
    }
    for (auto& u : f.ulimits) o.ulimits.push_back(ctx.check(parseUlimit(u), 125));
    for (auto& l : f.labels) {
        auto eq = l.find('=');
        o.labels[l.substr(0, eq)] = eq == std::string::npos ? "" : l.substr(eq + 1);
    }
    o.network = f.network == "default" ? std::string("bridge") : f.network;
    o.ipAddress = f.ip;
    o.networkAliases = f.networkAliases;
    o.dns = f.dns;
    o.addHosts = f.addHosts;
    o.publishAll = f.publishAll;
    applyNetworkFlags(ctx, o);  // network_commands.cpp: checks, and ports in use, before anything exists
    return o;
}

} // namespace

void addRunVerbs(CLI::App& parent, CliContext& ctx) {
    auto createFlags = std::make_shared<RunFlags>();
    auto* create = addVerb(parent, "create", "Create a new container", ctx, [&ctx, createFlags, &parent] {
        auto* self = parent.get_subcommand("create");
        auto opts = toOptions(ctx, *createFlags, self->remaining());
        ensureImage(ctx, opts.image, createFlags->pull);
        auto id = ctx.check(ctx.engine().containers().create(opts), 125);
        fmt::print("{}\n", id);
    });
    addRunFlags(create, *createFlags, false);

    auto runFlags = std::make_shared<RunFlags>();
    auto* run = addVerb(parent, "run", "Create and run a new container from an image", ctx, [&ctx, runFlags, &parent] {
        container::ContainerService::prepareToStart();  // overlaps a kernel wait with the create
        auto* self = parent.get_subcommand("run");
        auto& f = *runFlags;
        auto opts = toOptions(ctx, f, self->remaining());
        std::string detachKeys = detachKeyBytes(f.detachKeys);  // a bad spec: nothing created
        ensureImage(ctx, opts.image, f.pull);
        auto& containers = ctx.engine().containers();
        auto id = ctx.check(containers.create(opts), 125);
        if (f.detach) {
            if (auto r = containers.start(id); !r) throw CliError{r.error().message(), startExitCode(r.error())};
            fmt::print("{}\n", id);
            return;
        }
        std::fflush(stdout);
        AttachSession session({f.interactive, f.tty, f.sigProxy, detachKeys});
        auto code = containers.startAttached(id, session.io());
        if (!code) throw CliError{code.error().message(), startExitCode(code.error())};
        // Detached with ctrl-p ctrl-q: the container runs on, as with docker.
        ctx.exitCode = *code == container::kDetached ? 0 : *code;
    });
    addRunFlags(run, *runFlags, true);
}

} // namespace berth::cli
