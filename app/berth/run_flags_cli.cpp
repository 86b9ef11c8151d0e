#include "run_flags_cli.h"

namespace berth::cli {

RunFlags ContainerFlags::runFlags(const std::vector<std::string>& imageAndCommand) const {
    RunFlags f = flags;
    if (!imageAndCommand.empty()) {
        f.image = imageAndCommand[0];
        f.command.assign(imageAndCommand.begin() + 1, imageAndCommand.end());
    }
    if (entrypointSet) f.entrypoint = entrypoint;
    return f;
}

void addContainerFlags(CLI::App* sub, ContainerFlags& v) {
    RunFlags& f = v.flags;
    sub->add_flag("-i,--interactive", f.interactive, "Keep STDIN open");
    sub->add_flag("-t,--tty", f.tty, "Allocate a pseudo-TTY");
    sub->add_flag("--rm", f.rm, "Remove the container when it exits");
    sub->add_option("--name", f.name, "Assign a name to the container");
    sub->add_option("-e,--env", f.env, "Set environment variables")->allow_extra_args(false);
    sub->add_option("--env-file", f.envFiles, "Read in a file of environment variables")->allow_extra_args(false);
    sub->add_option("-w,--workdir", f.workdir, "Working directory inside the container");
    sub->add_option("-u,--user", f.user, "Username or UID (format: <name|uid>[:<group|gid>])");
    sub->add_option("--entrypoint", v.entrypoint, "Overwrite the default ENTRYPOINT of the image")
        ->each([&v](const std::string&) { v.entrypointSet = true; });
    sub->add_option("-h,--hostname", f.hostname, "Container host name");
    sub->add_option("-m,--memory", f.memory, "Memory limit");
    sub->add_option("--memory-swap", f.memorySwap, "Swap limit equal to memory plus swap: '-1' for unlimited");
    sub->add_option("--cpus", f.cpus, "Number of CPUs");
    sub->add_option("-c,--cpu-shares", f.cpuShares, "CPU shares (relative weight)");
    sub->add_option("--cpuset-cpus", f.cpusetCpus, "CPUs in which to allow execution (0-3, 0,1)");
    sub->add_option("--pids-limit", f.pidsLimit, "Tune container pids limit (-1 for unlimited)");
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
    sub->add_option("--log-driver", f.logDriver, "Logging driver (json-file only)");
    sub->add_option("-p,--publish", f.publish, "Publish a container's port(s) to the host")->allow_extra_args(false);
    sub->add_option("--ulimit", f.ulimits, "Ulimit options")->allow_extra_args(false);
    sub->add_option("-l,--label", f.labels, "Set meta data on a container")->allow_extra_args(false);
    sub->add_option("--label-file", f.labelFiles, "Read in a line delimited file of labels")->allow_extra_args(false);
    sub->add_option("--network,--net", f.network, "Connect a container to a network (bridge, none, host or a network name)");
    sub->add_option("--ip", f.ip, "IPv4 address (on a user network)");
    sub->add_option("--network-alias", f.networkAliases, "Add a network-scoped alias for the container")->allow_extra_args(false);
    sub->add_option("--dns", f.dns, "Set custom DNS servers")->allow_extra_args(false);
    sub->add_option("--add-host", f.addHosts, "Add a custom host-to-IP mapping (host:ip)")->allow_extra_args(false);
    sub->add_option("--dns-search", f.dnsSearch, "Set custom DNS search domains")->allow_extra_args(false);
    sub->add_option("--dns-option", f.dnsOptions, "Set DNS options")->allow_extra_args(false);
    sub->add_option("--stop-signal", f.stopSignal, "Signal to stop the container (default: the image's STOPSIGNAL, else SIGTERM)");
    sub->add_option("--stop-timeout", f.stopTimeout, "Seconds to wait for the container to stop before killing it (default 10)");
    sub->add_flag("-P,--publish-all", f.publishAll, "Publish all exposed ports to random ports");
    sub->add_option("--shm-size", f.shmSize, "Size of /dev/shm (default 64m)");
    sub->add_option("--sysctl", f.sysctls, "Namespaced kernel parameters (net.*, kernel.shm*, kernel.msg*, kernel.sem, fs.mqueue.*)")
        ->allow_extra_args(false);
    sub->add_option("--health-cmd", f.healthCmd, "Command to run to check health");
    sub->add_option("--health-interval", f.healthInterval, "Time between running the check (ms|s|m|h) (default 30s)");
    sub->add_option("--health-timeout", f.healthTimeout, "Maximum time to allow one check to run (ms|s|m|h) (default 30s)");
    sub->add_option("--health-retries", f.healthRetries, "Consecutive failures needed to report unhealthy (default 3)");
    sub->add_option("--health-start-period", f.healthStartPeriod, "Start period for the container to initialize before starting health-retries countdown (ms|s|m|h)");
    sub->add_option("--health-start-interval", f.healthStartInterval, "Time between running the check during the start period (ms|s|m|h) (default 5s)");
    sub->add_flag("--no-healthcheck", f.noHealthcheck, "Disable any container-specified HEALTHCHECK");
    // Parsed so that docker's command lines are understood; the engine's parser refuses
    // what Berth does not do yet, naming the flag.
    sub->add_flag("--init", f.init, "Run an init inside the container that forwards signals and reaps processes");
    sub->add_option("--device", f.devices, "Add a host device to the container (HOST[:CONTAINER][:PERMS])")->allow_extra_args(false);
    sub->add_option("--mac-address", f.macAddress, "Container MAC address (refused: not supported)");
    sub->add_option("--cgroupns", f.cgroupns, "Cgroup namespace to use (private; host is not supported yet)");
    sub->add_option("--ipc", f.ipc, "IPC mode to use (private, shareable; host and container: are not supported yet)");
    sub->add_option("--pid", f.pid, "PID namespace to use (private; host and container: are not supported yet)");
}

Result<RunRequest> runRequestFromArgs(const std::vector<std::string>& args) {
    CLI::App app("run");
    ContainerFlags flags;
    app.set_help_flag("--help");  // -h is --hostname
    addContainerFlags(&app, flags);
    app.prefix_command();
    std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 parses a reversed vector
    try {
        app.parse(reversed);
    } catch (const CLI::ParseError& e) {
        return fail(Errc::InvalidArgument, e.what());
    }
    return parseRunFlags(flags.runFlags(app.remaining()));
}

} // namespace berth::cli
