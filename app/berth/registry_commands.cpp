// Registry verbs: pull, push, login, logout. Progress is drawn like `docker pull`
// (pull_progress.h).
#include "cli_context.h"
#include "pull_progress.h"


#include <fmt/format.h>

#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <map>

namespace berth::cli {

namespace {

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

} // namespace

namespace {

// `berth pull`.
void addPullVerb(CLI::App& app, CliContext& ctx) {
struct PullFlags {
    std::string platform;
    bool quiet = false;
    bool tlsVerify = true;
    std::string certDir;
    std::string ref;
};
auto pf = std::make_shared<PullFlags>();
auto* pull = addVerb(app, "pull", "Download an image from a registry", ctx, [&ctx, pf] {
    PullRequest request;
    request.reference = pf->ref;
    request.platform = pf->platform;
    request.registry.tlsVerify = pf->tlsVerify;
    request.registry.certDir = pf->certDir;
    PullPrinter printer(stdout);
    auto r = ctx.engine().images().pull(request, pf->quiet ? PullProgressFn{} : printer.callback());
    if (!r && r.error().code() == Errc::InvalidArgument) throw CliError{r.error().message(), 125};
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
}

// `berth push`.
void addPushVerb(CLI::App& app, CliContext& ctx) {
struct PushFlags {
    bool tlsVerify = true;
    bool quiet = false;
    std::string certDir;
    uint64_t chunkSize = uint64_t(32) << 20;
    std::string ref;
};
auto sf = std::make_shared<PushFlags>();
auto* push = addVerb(app, "push", "Upload an image to a registry", ctx, [&ctx, sf] {
    PushRequest request;
    request.reference = sf->ref;
    request.registry.tlsVerify = sf->tlsVerify;
    request.registry.certDir = sf->certDir;
    request.chunkSize = sf->chunkSize;
    auto repository = ctx.check(repositoryName(sf->ref), 125);
    if (!sf->quiet) fmt::print("The push refers to repository [{}]\n", repository);
    LayerBoard board(stdout, ::isatty(STDOUT_FILENO) == 1);
    PushProgressFn progress;
    if (!sf->quiet) {
        progress = [&board](const PushProgress& p) {
            bool bytes = p.status == "Pushing" && p.current > 0;
            board.set(p.layerId, bytes ? "Pushing " + progressBar(p.current, p.total) : p.status, bytes);
        };
    }
    auto res = ctx.check(ctx.engine().images().push(request, progress));
    fmt::print("{}: digest: {} size: {}\n", res.tag, res.digest, res.size);
    if (!res.warning.empty()) fmt::print(stderr, "warning: {}\n", res.warning);
});
push->add_flag("--tls-verify{true}", sf->tlsVerify, "Verify the registry's TLS certificate (default true)");
push->add_option("--cert-dir", sf->certDir, "certs.d-style directory: <registry>/ca.crt to trust, client.cert + client.key to show");
push->add_flag("-q,--quiet", sf->quiet, "Print only the result");
push->add_option("--chunk-size", sf->chunkSize, "Upload blobs larger than this in chunks")->group("");
push->add_option("IMAGE", sf->ref, "Image reference, e.g. localhost:5000/me/app:1")->required();
}

// `berth login`.
void addLoginVerb(CLI::App& app, CliContext& ctx) {
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
    LoginRequest request;
    request.server = lf->server;
    request.tlsVerify = lf->tlsVerify;
    request.certDir = lf->certDir;
    auto& creds = request.credentials;
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
    ctx.check(ctx.engine().system().login(request));
    fmt::print("Login Succeeded\n");
});
login->add_option("-u,--username", lf->username, "Username");
login->add_option("-p,--password", lf->password, "Password");
login->add_flag("--password-stdin", lf->passwordStdin, "Take the password from stdin");
login->add_flag("--tls-verify{true}", lf->tlsVerify, "Verify the registry's TLS certificate (default true)");
login->add_option("--cert-dir", lf->certDir, "certs.d-style directory: <registry>/ca.crt to trust, client.cert + client.key to show");
login->add_option("SERVER", lf->server, "Registry host (default Docker Hub)");
}

// `berth logout`.
void addLogoutVerb(CLI::App& app, CliContext& ctx) {
auto server = std::make_shared<std::string>();
auto* logout = addVerb(app, "logout", "Log out from a registry", ctx, [&ctx, server] {
    auto r = ctx.engine().system().logout(*server);
    std::string host = registryHost(*server);
    if (!r && r.error().code() == Errc::NotFound) {
        fmt::print("Not logged in to {}\n", host);
        return;
    }
    ctx.check(std::move(r));
    fmt::print("Removing login credentials for {}\n", host);
});
logout->add_option("SERVER", *server, "Registry host (default Docker Hub)");
}

} // namespace

void addRegistryCommands(CLI::App& app, CliContext& ctx) {
    addPullVerb(app, ctx);
    addPushVerb(app, ctx);
    addLoginVerb(app, ctx);
    addLogoutVerb(app, ctx);
}

} // namespace berth::cli
