// `berth system service`: the Docker Engine API on a unix socket, until idle. Started by
// hand, or by systemd's socket activation (installer/systemd: berth.socket, berth.service).
#include "cli_context.h"

#include "berth/docker_api_service.h"
#include "berth/run_flags.h"

#include <fmt/format.h>

#include <systemd/sd-daemon.h>

#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace berth::cli {

namespace {

struct ServiceFlags {
    int seconds = 5;
    std::string socket;
    std::vector<std::string> hosts;
    bool log = false;
    std::string maxUpload;
};

// The sockets systemd passed (LISTEN_FDS for this pid), checked to be listening streams.
std::vector<int> activatedSockets() {
    std::vector<int> fds;
    if (!std::getenv("LISTEN_FDS")) return fds;  // not activated: libsystemd is not even loaded
    int n = sd_listen_fds(1);
    if (n < 0) throw CliError{fmt::format("socket activation: {}", std::strerror(-n)), 125};
    for (int fd = SD_LISTEN_FDS_START; fd < SD_LISTEN_FDS_START + n; ++fd) {
        if (sd_is_socket(fd, AF_UNSPEC, SOCK_STREAM, 1) <= 0)
            throw CliError{fmt::format("socket activation: fd {} is not a listening stream socket (use "
                                       "ListenStream= in berth.socket)", fd), 125};
        fds.push_back(fd);
    }
    return fds;
}

void serve(CliContext& ctx, const ServiceFlags& flags) {
    if (flags.seconds < 0) throw CliError{"--time takes a number of seconds (0: never exit)", 125};
    dockerapi::ServiceOptions options;
    options.idle = std::chrono::seconds(flags.seconds);
    options.logRequests = flags.log;
    if (!flags.maxUpload.empty()) {
        auto bytes = parseMemory(flags.maxUpload);
        if (!bytes || *bytes <= 0)
            throw CliError{fmt::format("--max-upload {}: not a size (a number of bytes, or with k, m, g: 512m, 8g)",
                                       flags.maxUpload), 125};
        options.maxUpload = uint64_t(*bytes);
    }
    options.listenFds = activatedSockets();

    std::filesystem::path ours;  // the socket file we made, removed at the end
    if (options.listenFds.empty()) {
        std::string path = flags.socket;
        for (const std::string& h : flags.hosts) {
            if (h.starts_with("unix://")) {
                path = h.substr(7);
                continue;
            }
            auto fd = dockerapi::listenTcp(h);
            if (!fd) throw CliError{fd.error(), 125};
            options.listenFds.push_back(*fd);
        }
        if (path.empty() && (flags.hosts.empty() || !flags.socket.empty() || options.listenFds.empty()))
            path = dockerapi::defaultSocketPath().string();
        if (!path.empty()) {
            auto fd = dockerapi::listenUnix(path);
            if (!fd) throw CliError{fd.error(), 125};
            options.listenFds.push_back(*fd);
            ours = path;
            fmt::print(stderr, "Serving the Docker Engine API: export DOCKER_HOST=unix://{}\n", path);
        }
    }
    Engine& engine = ctx.engine();
    struct stat before{};
    bool haveInode = !ours.empty() && ::stat(ours.c_str(), &before) == 0;
    dockerapi::runService(engine, options);
    // Remove our socket file unless another service has replaced it meanwhile.
    struct stat now{};
    if (haveInode && ::stat(ours.c_str(), &now) == 0 && now.st_ino == before.st_ino && now.st_dev == before.st_dev)
        ::unlink(ours.c_str());
}

} // namespace

void addServiceCommand(CLI::App& system, CliContext& ctx) {
    auto flags = std::make_shared<ServiceFlags>();
    auto* service = addVerb(system, "service",
                            "Serve the Docker Engine API on a unix socket (docker, docker-compose, docker-py, IDEs) "
                            "until idle",
                            ctx, [&ctx, flags] { serve(ctx, *flags); });
    service->add_option("-t,--time", flags->seconds, "Exit after this many seconds with no request (0: never)")
        ->capture_default_str();
    service->add_option("--socket", flags->socket,
                        "Unix socket to listen on (default /run/berth/docker.sock as root, "
                        "$XDG_RUNTIME_DIR/berth/docker.sock as a user)");
    service->add_option("--max-upload", flags->maxUpload,
                        "Largest image tarball POST /images/load and docker import take (default 64g; 413 above)");
    service->add_flag("--log", flags->log, "Print one line per request on stderr (method, path, status, time)");
    service->add_option("-H,--host", flags->hosts,
                        "Also listen on tcp://127.0.0.1:PORT (loopback only), or unix://PATH instead of --socket");
}

} // namespace berth::cli
