// Registry verbs: pull, push, login, logout. Progress is drawn like `docker pull`
// (pull_progress.h).
#include "cli_context.h"
#include "pull_progress.h"

#include "image/reference.h"
#include "registry/auth.h"
#include "registry/pull.h"
#include "registry/push.h"
#include "registry/registries_config.h"
#include "registry/registry_client.h"

#include <fmt/format.h>

#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <map>

namespace berth::cli {

namespace {

std::optional<registry::Platform> parsePlatformFlag(CliContext& ctx, const std::string& text) {
    if (text.empty()) return std::nullopt;
    return ctx.check(registry::Platform::parse(text), 125);
}

std::string readPasswordFromTty(const std::string& prompt) {
    fmt::print(stderr, "{}", prompt);
    termios old{};
    bool tty = ::tcgetattr(STDIN_FILENO, &old) == 0;
    if (tty) {
        termios quiet = old;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    std::string line;
    std::getline(std::cin, line);
    if (tty) {
        ::tcsetattr(STDIN_FILENO, TCSANOW, &old);
        fmt::print(stderr, "\n");
    }
    return line;
}

// "docker.io" for an empty or Docker Hub server, else the host[:port] of what was given
// (a URL is accepted, as docker does).
std::string serverHost(std::string s) {
    for (auto prefix : {"https://", "http://"})
        if (s.starts_with(prefix)) s.erase(0, std::strlen(prefix));
    if (auto slash = s.find('/'); slash != std::string::npos) s.erase(slash);
    if (s.empty() || s == "index.docker.io" || s == "registry-1.docker.io") return "docker.io";
    return s;
}

} // namespace

void addRegistryCommands(CLI::App& app, CliContext& ctx) {
    // ---- pull
    struct PullFlags {
        std::string platform;
        bool quiet = false;
        bool tlsVerify = true;
        std::string certDir;
        std::string ref;
    };
    auto pf = std::make_shared<PullFlags>();
    auto* pull = addVerb(app, "pull", "Download an image from a registry", ctx, [&ctx, pf] {
        registry::PullOptions opts;
        opts.platform = parsePlatformFlag(ctx, pf->platform);
        opts.tlsVerify = pf->tlsVerify;
        opts.certDir = pf->certDir;
        PullPrinter printer(stdout);
        auto r = registry::pullImage(ctx.engine().images(), pf->ref, opts,
                                     pf->quiet ? registry::PullProgressFn{} : printer.callback());
        auto res = ctx.check(std::move(r));
        if (pf->quiet) {
            fmt::print("{}\n", res.name);
            return;
        }
        printer.summary(res, true);
    });
    pull->add_option("--platform", pf->platform, "Platform os/arch[/variant] (default: this host's)");
    pull->add_flag("-q,--quiet", pf->quiet, "Print only the image name");
    pull->add_flag("--tls-verify{true}", pf->tlsVerify, "Verify the registry's TLS certificate (default true)");
    pull->add_option("--cert-dir", pf->certDir, "certs.d-style directory: <registry>/ca.crt to trust, client.cert + client.key to show");
    pull->add_option("IMAGE", pf->ref, "Image reference, e.g. busybox:latest")->required();

    // ---- push
    struct PushFlags {
        bool tlsVerify = true;
        bool quiet = false;
        std::string certDir;
        uint64_t chunkSize = uint64_t(32) << 20;
        std::string ref;
    };
    auto sf = std::make_shared<PushFlags>();
    auto* push = addVerb(app, "push", "Upload an image to a registry", ctx, [&ctx, sf] {
        registry::PushOptions opts;
        opts.tlsVerify = sf->tlsVerify;
        opts.chunkSize = std::max<uint64_t>(sf->chunkSize, 1024);
        opts.certDir = sf->certDir;
        auto ref = ctx.check(image::Reference::parse(sf->ref), 125);
        if (!sf->quiet) fmt::print("The push refers to repository [{}]\n", ref.name());
        LayerBoard board(stdout, ::isatty(STDOUT_FILENO) == 1);
        registry::PushProgressFn progress;
        if (!sf->quiet) {
            progress = [&board](const registry::PushProgress& p) {
                bool bytes = p.status == "Pushing" && p.current > 0;
                board.set(p.layerId, bytes ? "Pushing " + progressBar(p.current, p.total) : p.status, bytes);
            };
        }
        auto res = ctx.check(registry::pushImage(ctx.engine().images(), sf->ref, opts, progress));
        fmt::print("{}: digest: {} size: {}\n", res.tag, res.digest.str(), res.size);
        if (!res.warning.empty()) fmt::print(stderr, "warning: {}\n", res.warning);
    });
    push->add_flag("--tls-verify{true}", sf->tlsVerify, "Verify the registry's TLS certificate (default true)");
    push->add_option("--cert-dir", sf->certDir, "certs.d-style directory: <registry>/ca.crt to trust, client.cert + client.key to show");
    push->add_flag("-q,--quiet", sf->quiet, "Print only the result");
    push->add_option("--chunk-size", sf->chunkSize, "Upload blobs larger than this in chunks")->group("");
    push->add_option("IMAGE", sf->ref, "Image reference, e.g. localhost:5000/me/app:1")->required();

    // ---- login
    struct LoginFlags {
        std::string username;
        std::string password;
        bool passwordStdin = false;
        bool tlsVerify = true;
        std::string certDir;
        std::string server;
    };
    auto lf = std::make_shared<LoginFlags>();
    auto* login = addVerb(app, "login", "Log in to a registry", ctx, [&ctx, lf] {
        std::string host = serverHost(lf->server);
        registry::Credentials creds;
        creds.username = lf->username;
        if (lf->passwordStdin) {
            if (!lf->password.empty()) throw CliError{"--password and --password-stdin are mutually exclusive", 125};
            if (creds.username.empty()) throw CliError{"Must provide --username with --password-stdin", 125};
            std::string all, line;
            while (std::getline(std::cin, line)) all += line + "\n";
            while (!all.empty() && (all.back() == '\n' || all.back() == '\r')) all.pop_back();
            creds.password = all;
        } else {
            creds.password = lf->password;
            if (!lf->password.empty())
                fmt::print(stderr, "WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n");
        }
        if (creds.username.empty()) {
            fmt::print(stderr, "Username: ");
            std::getline(std::cin, creds.username);
        }
        if (creds.password.empty()) creds.password = readPasswordFromTty("Password: ");
        if (creds.username.empty()) throw CliError{"Error: Username is required", 1};
        registry::ClientOptions co;
        co.tlsVerify = lf->tlsVerify;
        auto storeRoot = ctx.root.empty() ? store::defaultRoot() : std::filesystem::path(ctx.root);
        auto cfg = ctx.check(registry::RegistriesConfig::load(storeRoot));
        co.insecure = cfg.isInsecure(host);
        co.plainHttp = cfg.allowsPlainHttp(host);
        co.certDir = lf->certDir;
        co.credentials = creds;
        registry::RegistryClient client(host, co);
        ctx.check(client.login());
        registry::DockerConfig dc;
        ctx.check(dc.store(host, creds));
        fmt::print("Login Succeeded\n");
    });
    login->add_option("-u,--username", lf->username, "Username");
    login->add_option("-p,--password", lf->password, "Password");
    login->add_flag("--password-stdin", lf->passwordStdin, "Take the password from stdin");
    login->add_flag("--tls-verify{true}", lf->tlsVerify, "Verify the registry's TLS certificate (default true)");
    login->add_option("--cert-dir", lf->certDir, "certs.d-style directory: <registry>/ca.crt to trust, client.cert + client.key to show");
    login->add_option("SERVER", lf->server, "Registry host (default Docker Hub)");

    // ---- logout
    auto server = std::make_shared<std::string>();
    auto* logout = addVerb(app, "logout", "Log out from a registry", ctx, [&ctx, server] {
        std::string host = serverHost(*server);
        registry::DockerConfig dc;
        auto r = dc.erase(host);
        if (!r && r.error().code() == Errc::NotFound) {
            fmt::print("Not logged in to {}\n", host);
            return;
        }
        ctx.check(std::move(r));
        fmt::print("Removing login credentials for {}\n", host);
    });
    logout->add_option("SERVER", *server, "Registry host (default Docker Hub)");
}

} // namespace berth::cli
