// Registry verbs: pull, push, login, logout. Progress is drawn like `docker pull`: one
// line per layer, redrawn in place when stdout is a terminal, plain lines otherwise.
#include "cli_context.h"

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

using Clock = std::chrono::steady_clock;

// Per-layer lines, docker style. On a TTY each layer keeps its line and is redrawn with
// cursor movement; elsewhere every state change is one new line and byte counts are not
// printed (logs stay readable).
class LayerBoard {
public:
    explicit LayerBoard(bool tty) : m_tty(tty) {}

    void set(const std::string& id, const std::string& text, bool bytesOnly) {
        auto it = m_index.find(id);
        if (it == m_index.end()) {
            m_index[id] = m_lines.size();
            m_lines.push_back(text);
            fmt::print("{}: {}\n", id, text);
            std::fflush(stdout);
            return;
        }
        if (m_lines[it->second] == text) return;
        if (!m_tty) {
            if (bytesOnly) return;
            m_lines[it->second] = text;
            fmt::print("{}: {}\n", id, text);
            std::fflush(stdout);
            return;
        }
        // Throttle pure byte-count redraws to ~10 per second.
        auto now = Clock::now();
        if (bytesOnly && now - m_lastDraw < std::chrono::milliseconds(100)) return;
        m_lastDraw = now;
        m_lines[it->second] = text;
        size_t up = m_lines.size() - it->second;
        fmt::print("\x1b[{}A\x1b[2K\r{}: {}\x1b[{}B\r", up, id, text, up);
        std::fflush(stdout);
    }

private:
    bool m_tty;
    std::map<std::string, size_t> m_index;
    std::vector<std::string> m_lines;
    Clock::time_point m_lastDraw{};
};

std::string progressBar(uint64_t cur, uint64_t total) {
    if (total == 0) return humanSize(cur);
    const int width = 50;
    int filled = int(double(cur) / double(total) * width);
    filled = std::clamp(filled, 0, width);
    std::string bar = "[";
    for (int i = 0; i < width; ++i) bar += i < filled - 1 ? '=' : (i == filled - 1 ? '>' : ' ');
    bar += "]";
    return fmt::format("{}  {}/{}", bar, humanSize(cur), humanSize(total));
}

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
        std::string ref;
    };
    auto pf = std::make_shared<PullFlags>();
    auto* pull = addVerb(app, "pull", "Download an image from a registry", ctx, [&ctx, pf] {
        registry::PullOptions opts;
        opts.platform = parsePlatformFlag(ctx, pf->platform);
        opts.tlsVerify = pf->tlsVerify;
        LayerBoard board(::isatty(STDOUT_FILENO) == 1);
        registry::PullProgressFn progress;
        if (!pf->quiet) {
            progress = [&board](const registry::PullProgress& p) {
                using K = registry::PullProgress::Kind;
                using S = registry::LayerState;
                if (p.kind != K::Layer) {
                    fmt::print("{}\n", p.message);
                    std::fflush(stdout);
                    return;
                }
                std::string text;
                bool bytesOnly = false;
                switch (p.state) {
                case S::Waiting: text = "Pulling fs layer"; break;
                case S::Downloading:
                    text = "Downloading " + progressBar(p.current, p.total);
                    bytesOnly = p.current > 0;
                    break;
                case S::Retrying: text = "Retrying: " + p.message; break;
                default: text = registry::layerStateText(p.state); break;
                }
                board.set(p.layerId, text, bytesOnly);
            };
        }
        auto r = registry::pullImage(ctx.engine().images(), pf->ref, opts, progress);
        auto res = ctx.check(std::move(r));
        if (pf->quiet) {
            fmt::print("{}\n", res.name);
            return;
        }
        fmt::print("Digest: {}\n", res.digest.str());
        fmt::print("Status: {} for {}\n", res.downloaded ? "Downloaded newer image" : "Image is up to date",
                   res.familiar);
        fmt::print("{}\n", res.name);
    });
    pull->add_option("--platform", pf->platform, "Platform os/arch[/variant] (default: this host's)");
    pull->add_flag("-q,--quiet", pf->quiet, "Print only the image name");
    pull->add_flag("--tls-verify{true}", pf->tlsVerify, "Verify the registry's TLS certificate (default true)");
    pull->add_option("IMAGE", pf->ref, "Image reference, e.g. busybox:latest")->required();

    // ---- push
    struct PushFlags {
        bool tlsVerify = true;
        bool quiet = false;
        uint64_t chunkSize = uint64_t(32) << 20;
        std::string ref;
    };
    auto sf = std::make_shared<PushFlags>();
    auto* push = addVerb(app, "push", "Upload an image to a registry", ctx, [&ctx, sf] {
        registry::PushOptions opts;
        opts.tlsVerify = sf->tlsVerify;
        opts.chunkSize = std::max<uint64_t>(sf->chunkSize, 1024);
        auto ref = ctx.check(image::Reference::parse(sf->ref), 125);
        if (!sf->quiet) fmt::print("The push refers to repository [{}]\n", ref.name());
        LayerBoard board(::isatty(STDOUT_FILENO) == 1);
        registry::PushProgressFn progress;
        if (!sf->quiet) {
            progress = [&board](const registry::PushProgress& p) {
                bool bytes = p.status == "Pushing" && p.current > 0;
                board.set(p.layerId, bytes ? "Pushing " + progressBar(p.current, p.total) : p.status, bytes);
            };
        }
        auto res = ctx.check(registry::pushImage(ctx.engine().images(), sf->ref, opts, progress));
        fmt::print("{}: digest: {} size: {}\n", res.tag, res.digest.str(), res.size);
    });
    push->add_flag("--tls-verify{true}", sf->tlsVerify, "Verify the registry's TLS certificate (default true)");
    push->add_flag("-q,--quiet", sf->quiet, "Print only the result");
    push->add_option("--chunk-size", sf->chunkSize, "Upload blobs larger than this in chunks")->group("");
    push->add_option("IMAGE", sf->ref, "Image reference, e.g. localhost:5000/me/app:1")->required();

    // ---- login
    struct LoginFlags {
        std::string username;
        std::string password;
        bool passwordStdin = false;
        bool tlsVerify = true;
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
