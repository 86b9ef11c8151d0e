#include "registry/auth.h"
#include "sys/json_read.h"

#include "sys/fs.h"
#include "sys/spawn.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <cstring>

extern char** environ;

namespace berth::registry {

using nlohmann::json;

std::vector<Challenge> parseChallenges(std::string_view h) {
    std::vector<Challenge> out;
    size_t i = 0;
    auto skipSpace = [&] {
        while (i < h.size() && (h[i] == ' ' || h[i] == '\t')) ++i;
    };
    auto token = [&] {
        size_t start = i;
        while (i < h.size() && h[i] != '=' && h[i] != ',' && h[i] != ' ' && h[i] != '\t') ++i;
        return std::string(h.substr(start, i - start));
    };
    auto lower = [](std::string s) {
        for (auto& c : s) c = char(std::tolower((unsigned char)c));
        return s;
    };
    while (i < h.size()) {
        skipSpace();
        while (i < h.size() && h[i] == ',') {
            ++i;
            skipSpace();
        }
        if (i >= h.size()) break;
        // Either a new scheme (a token followed by a space or end) or a param of the
        // current challenge (token followed by '=').
        size_t save = i;
        std::string name = token();
        skipSpace();
        if (i < h.size() && h[i] == '=' && !out.empty()) {
            ++i;
            skipSpace();
            std::string value;
            if (i < h.size() && h[i] == '"') {
                ++i;
                while (i < h.size() && h[i] != '"') {
                    if (h[i] == '\\' && i + 1 < h.size()) ++i;
                    value.push_back(h[i++]);
                }
                if (i < h.size()) ++i;
            } else {
                size_t start = i;
                while (i < h.size() && h[i] != ',') ++i;
                value = std::string(h.substr(start, i - start));
                while (!value.empty() && std::isspace((unsigned char)value.back())) value.pop_back();
            }
            out.back().params[lower(name)] = value;
        } else if (!name.empty()) {
            out.push_back(Challenge{lower(name), {}});
        } else {
            i = save + 1;  // stray character: skip it
        }
    }
    return out;
}

static const char* kB64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64Encode(std::string_view in) {
    std::string out;
    size_t i = 0;
    while (i + 2 < in.size()) {
        uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
        out += kB64[v >> 18];
        out += kB64[(v >> 12) & 63];
        out += kB64[(v >> 6) & 63];
        out += kB64[v & 63];
        i += 3;
    }
    if (i + 1 == in.size()) {
        uint32_t v = uint8_t(in[i]) << 16;
        out += kB64[v >> 18];
        out += kB64[(v >> 12) & 63];
        out += "==";
    } else if (i + 2 == in.size()) {
        uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
        out += kB64[v >> 18];
        out += kB64[(v >> 12) & 63];
        out += kB64[(v >> 6) & 63];
        out += '=';
    }
    return out;
}

Result<std::string> base64Decode(std::string_view in) {
    std::string out;
    uint32_t acc = 0;
    int bits = 0;
    for (char c : in) {
        if (c == '=' || c == '\n' || c == '\r') continue;
        const char* p = std::strchr(kB64, c);
        if (!p || c == '\0') return fail(Errc::InvalidArgument, "invalid base64");
        acc = (acc << 6) | uint32_t(p - kB64);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(char((acc >> bits) & 0xff));
        }
    }
    return out;
}

std::string configKeyForHost(std::string_view host) {
    if (host == "docker.io" || host == "index.docker.io" || host == "registry-1.docker.io")
        return "https://index.docker.io/v1/";
    return std::string(host);
}

// Entries in "auths" may be keyed by a URL ("https://host/v1/") instead of the bare host.
static std::string hostOfKey(std::string key) {
    for (auto prefix : {"https://", "http://"})
        if (key.starts_with(prefix)) key.erase(0, std::strlen(prefix));
    if (auto slash = key.find('/'); slash != std::string::npos) key.erase(slash);
    if (key == "index.docker.io") return "docker.io";
    return key;
}

std::optional<Credentials> credentialsForHost(const std::map<std::string, Credentials>& byKey, std::string_view host) {
    const std::string key = configKeyForHost(host);
    if (auto it = byKey.find(key); it != byKey.end()) return it->second;
    for (auto& [k, c] : byKey)
        if (hostOfKey(k) == hostOfKey(key)) return c;
    return std::nullopt;
}

std::filesystem::path DockerConfig::defaultPath(const ConfigSettings& config) {
    return config.dockerConfig / "config.json";
}

static Result<json> readConfig(const std::filesystem::path& path) {
    if (!sys::exists(path)) return json::object();
    auto text = BERTH_TRY(sys::readFile(path, size_t(4) << 20));
    auto j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return fail(Errc::Corrupt, fmt::format("{}: not a JSON object", path.string()));
    return j;
}

static std::string helperFor(const json& cfg, std::string_view host) {
    std::string key = configKeyForHost(host);
    if (auto it = cfg.find("credHelpers"); it != cfg.end() && it->is_object()) {
        for (auto& [k, v] : it->items())
            if ((k == key || hostOfKey(k) == hostOfKey(key)) && v.is_string())
                return v.get<std::string>();
    }
    if (auto it = cfg.find("credsStore"); it != cfg.end() && it->is_string())
        return it->get<std::string>();
    return {};
}

Result<std::optional<Credentials>> DockerConfig::lookup(std::string_view host) const {
    auto cfg = BERTH_TRY_CTX(readConfig(m_path), "read " + m_path.string());
    std::string key = configKeyForHost(host);
    if (std::string helper = helperFor(cfg, host); !helper.empty()) {
        auto out = runCredentialHelper(helper, "get", key);
        if (!out) {
            // Helpers answer "credentials not found in native keychain" with exit 1.
            if (out.error().message().find("not found") != std::string::npos)
                return std::optional<Credentials>{};
            return fail(out.error());
        }
        auto j = json::parse(*out, nullptr, false);
        if (j.is_discarded() || !j.is_object())
            return fail(Errc::Auth, "docker-credential-" + helper + ": answer is not JSON");
        Credentials c;
        c.username = sys::jsonString(j, "Username");
        c.password = sys::jsonString(j, "Secret");
        if (c.username == "<token>") {
            c.identityToken = c.password;
            c.username.clear();
            c.password.clear();
        }
        return std::optional<Credentials>(c);
    }
    auto auths = cfg.find("auths");
    if (auths == cfg.end() || !auths->is_object()) return std::optional<Credentials>{};
    for (auto& [k, v] : auths->items()) {
        if (k != key && hostOfKey(k) != hostOfKey(key)) continue;
        if (!v.is_object()) continue;
        Credentials c;
        if (auto a = v.find("auth"); a != v.end() && a->is_string() && !a->get<std::string>().empty()) {
            auto decoded = base64Decode(a->get<std::string>());
            if (!decoded) return fail(Errc::Corrupt, m_path.string() + ": auth of " + k + " is not base64");
            auto colon = decoded->find(':');
            if (colon == std::string::npos)
                return fail(Errc::Corrupt, m_path.string() + ": auth of " + k + " is not user:password");
            c.username = decoded->substr(0, colon);
            c.password = decoded->substr(colon + 1);
        }
        if (auto t = v.find("identitytoken"); t != v.end() && t->is_string())
            c.identityToken = t->get<std::string>();
        if (c.empty()) continue;
        return std::optional<Credentials>(c);
    }
    return std::optional<Credentials>{};
}

static VoidResult writeConfig(const std::filesystem::path& path, const json& cfg) {
    BERTH_TRYV(sys::makeDirs(path.parent_path(), 0700));
    return sys::writeFileAtomic(path, cfg.dump(1, '\t') + "\n", 0600);
}

VoidResult DockerConfig::store(std::string_view host, const Credentials& creds) const {
    auto cfg = BERTH_TRY_CTX(readConfig(m_path), "read " + m_path.string());
    std::string key = configKeyForHost(host);
    if (std::string helper = helperFor(cfg, host); !helper.empty()) {
        json in = {{"ServerURL", key}, {"Username", creds.username}, {"Secret", creds.password}};
        BERTH_TRYV(runCredentialHelper(helper, "store", in.dump()));
        // Docker keeps an empty entry so `auths` lists the registry.
        cfg["auths"][key] = json::object();
    } else {
        json entry = json::object();
        entry["auth"] = base64Encode(creds.username + ":" + creds.password);
        if (!creds.identityToken.empty()) entry["identitytoken"] = creds.identityToken;
        cfg["auths"][key] = entry;
    }
    return writeConfig(m_path, cfg);
}

VoidResult DockerConfig::erase(std::string_view host) const {
    auto cfg = BERTH_TRY_CTX(readConfig(m_path), "read " + m_path.string());
    std::string key = configKeyForHost(host);
    bool found = false;
    if (std::string helper = helperFor(cfg, host); !helper.empty()) {
        if (runCredentialHelper(helper, "erase", key)) found = true;
    }
    if (auto auths = cfg.find("auths"); auths != cfg.end() && auths->is_object()) {
        std::vector<std::string> drop;
        for (auto& [k, v] : auths->items())
            if (k == key || hostOfKey(k) == hostOfKey(key)) drop.push_back(k);
        for (auto& k : drop) auths->erase(k);
        found = found || !drop.empty();
    }
    if (!found) return fail(Errc::NotFound, "not logged in to " + std::string(host));
    return writeConfig(m_path, cfg);
}

Result<std::string> runCredentialHelper(const std::string& helper, const std::string& verb,
                                        const std::string& input) {
    for (char c : helper)
        if (!std::isalnum((unsigned char)c) && c != '-' && c != '_' && c != '.')
            return fail(Errc::InvalidArgument, "invalid credential helper name: " + helper);
    std::string prog = "docker-credential-" + helper;
    int inPipe[2], outPipe[2];
    if (::pipe2(inPipe, O_CLOEXEC) < 0) return failErrno("pipe");
    if (::pipe2(outPipe, O_CLOEXEC) < 0) {
        int e = errno;
        ::close(inPipe[0]);
        ::close(inPipe[1]);
        return failErrno("pipe", e);
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, inPipe[0], 0);
    posix_spawn_file_actions_adddup2(&fa, outPipe[1], 1);
    std::vector<char*> argv{prog.data(), const_cast<char*>(verb.c_str()), nullptr};
    pid_t pid = -1;
    int rc = ::posix_spawnp(&pid, prog.c_str(), &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    ::close(inPipe[0]);
    ::close(outPipe[1]);
    if (rc != 0) {
        ::close(inPipe[1]);
        ::close(outPipe[0]);
        return std::unexpected(Error(Errc::NotFound, "run " + prog + ": " + std::strerror(rc), rc));
    }
    // Inputs are tiny (a host name, a small JSON): one write fits the pipe buffer.
    (void)!::write(inPipe[1], input.data(), input.size());
    ::close(inPipe[1]);
    std::string out;
    char buf[4096];
    for (;;) {
        ssize_t n = ::read(outPipe[0], buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        out.append(buf, size_t(n));
        if (out.size() > (1u << 20)) break;
    }
    ::close(outPipe[0]);
    if (sys::waitForExit(pid, -1) != 0) {
        while (!out.empty() && std::isspace((unsigned char)out.back())) out.pop_back();
        return fail(Errc::Auth, fmt::format("{} {}: {}", prog, verb,
                                            out.empty() ? "failed" : out));
    }
    return out;
}

} // namespace berth::registry
