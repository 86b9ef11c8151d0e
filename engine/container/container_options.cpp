#include "container/container_options.h"

#include "sys/fs.h"

#include <sys/resource.h>

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace berth {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

template <class T>
bool parseInt(std::string_view s, T& out) {
    if (s.empty()) return false;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size();
}

} // namespace

std::string RestartPolicy::name() const {
    switch (kind) {
    case Kind::No: return "no";
    case Kind::OnFailure: return "on-failure";
    case Kind::Always: return "always";
    case Kind::UnlessStopped: return "unless-stopped";
    }
    return "no";
}

Result<int64_t> parseMemory(std::string_view text) {
    auto s = trim(text);
    if (s.empty()) return fail(Errc::InvalidArgument, "invalid size: empty");
    int64_t mult = 1;
    char last = char(std::tolower(s.back()));
    if (last == 'b') {
        s.remove_suffix(1);
        if (!s.empty()) last = char(std::tolower(s.back()));
    }
    switch (last) {
    case 'k': mult = int64_t(1) << 10; break;
    case 'm': mult = int64_t(1) << 20; break;
    case 'g': mult = int64_t(1) << 30; break;
    case 't': mult = int64_t(1) << 40; break;
    default: mult = 0;
    }
    if (mult) s.remove_suffix(1);
    else mult = 1;
    double v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || v < 0 || !std::isfinite(v))
        return fail(Errc::InvalidArgument, "invalid size: `" + std::string(text) + "`");
    double bytes = v * double(mult);
    if (bytes > 9.2e18) return fail(Errc::InvalidArgument, "size too large: `" + std::string(text) + "`");
    return int64_t(bytes);
}

Result<int64_t> cpuQuotaForNanoCpus(int64_t nanoCpus, int64_t periodUs) {
    constexpr int64_t one = 1000000000;
    if (nanoCpus > 4096 * one)
        return fail(Errc::InvalidArgument, fmt::format("too many CPUs: {:.2f} (at most 4096)", double(nanoCpus) / one));
    if (nanoCpus < one / 100)
        return fail(Errc::InvalidArgument, fmt::format("too few CPUs: {:.9g} (at least 0.01)", double(nanoCpus) / one));
    if (periodUs <= 0 || periodUs > 1000000)
        return fail(Errc::InvalidArgument, "CPU period out of range: " + std::to_string(periodUs) + " (1 to 1000000 us)");
    // 4096e9 * 1e6 does not fit an int64.
    return int64_t(static_cast<__int128>(nanoCpus) * periodUs / one);
}

Result<int64_t> parseCpus(std::string_view text, int64_t periodUs) {
    auto s = trim(text);
    double v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v) || v <= 0)
        return fail(Errc::InvalidArgument,
                    "invalid value for --cpus: `" + std::string(text) + "` (a positive number like 0.5)");
    if (v > 4096) return fail(Errc::InvalidArgument, "--cpus too large: " + std::string(text));
    auto quota = cpuQuotaForNanoCpus(int64_t(std::llround(v * 1e9)), periodUs);
    if (!quota) return quota;
    if (*quota < 1000)  // the kernel's smallest CFS quota
        return fail(Errc::InvalidArgument, "--cpus too small: " + std::string(text) + " (minimum 0.01)");
    return quota;
}

Result<RestartPolicy> parseRestartPolicy(std::string_view text) {
    auto s = trim(text);
    RestartPolicy p;
    auto colon = s.find(':');
    std::string_view name = s.substr(0, colon);
    if (name == "no" || name.empty()) p.kind = RestartPolicy::Kind::No;
    else if (name == "always") p.kind = RestartPolicy::Kind::Always;
    else if (name == "unless-stopped") p.kind = RestartPolicy::Kind::UnlessStopped;
    else if (name == "on-failure") p.kind = RestartPolicy::Kind::OnFailure;
    else
        return fail(Errc::InvalidArgument, "invalid restart policy `" + std::string(text) +
                                               "` (no, on-failure[:N], always, unless-stopped)");
    if (colon != std::string_view::npos) {
        if (p.kind != RestartPolicy::Kind::OnFailure)
            return fail(Errc::InvalidArgument, "maximum retry count only applies to on-failure: `" +
                                                   std::string(text) + "`");
        if (!parseInt(s.substr(colon + 1), p.maxRetries) || p.maxRetries < 0)
            return fail(Errc::InvalidArgument, "invalid retry count in `" + std::string(text) + "`");
    }
    return p;
}

VoidResult parseLogOpt(std::string_view item, LogConfig& config) {
    auto eq = item.find('=');
    if (eq == std::string_view::npos)
        return fail(Errc::InvalidArgument, "invalid --log-opt `" + std::string(item) + "` (key=value)");
    auto key = trim(item.substr(0, eq));
    auto val = trim(item.substr(eq + 1));
    if (key == "max-size") {
        auto v = BERTH_TRY_CTX(parseMemory(val), "--log-opt max-size");
        if (v < 1024 && v != 0)
            return fail(Errc::InvalidArgument, "--log-opt max-size must be at least 1k");
        config.maxSize = uint64_t(v);
    } else if (key == "max-file") {
        int n = 0;
        if (!parseInt(val, n) || n < 1)
            return fail(Errc::InvalidArgument, "--log-opt max-file must be a positive integer");
        config.maxFile = n;
    } else {
        return fail(Errc::InvalidArgument, "unknown log opt `" + std::string(key) +
                                               "` for the json-file driver (max-size, max-file)");
    }
    return {};
}

static Result<std::pair<int, int>> parseRange(std::string_view s, std::string_view whole) {
    auto dash = s.find('-');
    int a = 0, b = 0;
    if (dash == std::string_view::npos) {
        if (!parseInt(s, a)) return fail(Errc::InvalidArgument, "invalid port in `" + std::string(whole) + "`");
        b = a;
    } else if (!parseInt(s.substr(0, dash), a) || !parseInt(s.substr(dash + 1), b) || b < a) {
        return fail(Errc::InvalidArgument, "invalid port range in `" + std::string(whole) + "`");
    }
    if (a < 0 || b > 65535) return fail(Errc::InvalidArgument, "port out of range in `" + std::string(whole) + "`");
    return std::pair{a, b};
}

Result<std::vector<PortBinding>> parsePortSpec(std::string_view text) {
    std::string_view s = trim(text);
    std::string proto = "tcp";
    if (auto slash = s.rfind('/'); slash != std::string_view::npos) {
        proto = std::string(s.substr(slash + 1));
        s = s.substr(0, slash);
        if (proto != "tcp" && proto != "udp" && proto != "sctp")
            return fail(Errc::InvalidArgument, "invalid protocol in `" + std::string(text) + "`");
    }
    std::string ip;
    std::string_view hostPart, contPart;
    if (!s.empty() && s.front() == '[') {  // [v6]:host:cont
        auto close = s.find(']');
        if (close == std::string_view::npos) return fail(Errc::InvalidArgument, "invalid address in `" + std::string(text) + "`");
        ip = std::string(s.substr(1, close - 1));
        s = s.substr(close + 1);
        if (s.empty() || s.front() != ':') return fail(Errc::InvalidArgument, "invalid port spec `" + std::string(text) + "`");
        s.remove_prefix(1);
    }
    auto last = s.rfind(':');
    if (last == std::string_view::npos) {
        contPart = s;
    } else {
        contPart = s.substr(last + 1);
        auto rest = s.substr(0, last);
        auto first = rest.rfind(':');
        if (first == std::string_view::npos) hostPart = rest;
        else {
            if (!ip.empty()) return fail(Errc::InvalidArgument, "invalid port spec `" + std::string(text) + "`");
            ip = std::string(rest.substr(0, first));
            hostPart = rest.substr(first + 1);
        }
    }
    auto cr = BERTH_TRY(parseRange(contPart, text));
    if (cr.first == 0) return fail(Errc::InvalidArgument, "invalid container port in `" + std::string(text) + "`");
    std::pair<int, int> hr{0, 0};
    if (!hostPart.empty()) {
        hr = BERTH_TRY(parseRange(hostPart, text));
        if (hr.second - hr.first != cr.second - cr.first && hr.first != hr.second)
            return fail(Errc::InvalidArgument, "host and container port ranges differ in `" + std::string(text) + "`");
    }
    std::vector<PortBinding> out;
    for (int p = cr.first; p <= cr.second; ++p) {
        PortBinding b;
        b.hostIp = ip;
        b.containerPort = uint16_t(p);
        b.protocol = proto;
        if (!hostPart.empty()) b.hostPort = uint16_t(hr.first == hr.second ? hr.first : hr.first + (p - cr.first));
        out.push_back(b);
    }
    return out;
}

Result<Ulimit> parseUlimit(std::string_view text) {
    auto s = trim(text);
    auto eq = s.find('=');
    if (eq == std::string_view::npos)
        return fail(Errc::InvalidArgument, "invalid --ulimit `" + std::string(text) + "` (name=soft[:hard])");
    Ulimit u;
    u.name = std::string(s.substr(0, eq));
    static const char* known[] = {"core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue",
                                  "nice", "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack", "as"};
    bool ok = false;
    for (auto* k : known) ok = ok || u.name == k;
    if (!ok) return fail(Errc::InvalidArgument, "unknown ulimit `" + u.name + "`");
    auto vals = s.substr(eq + 1);
    auto colon = vals.find(':');
    auto parseVal = [](std::string_view v, int64_t& out) {
        if (v == "unlimited" || v == "-1") {
            out = -1;
            return true;
        }
        return parseInt(v, out) && out >= 0;
    };
    if (!parseVal(vals.substr(0, colon), u.soft)) return fail(Errc::InvalidArgument, "invalid ulimit value in `" + std::string(text) + "`");
    if (colon == std::string_view::npos) u.hard = u.soft;
    else if (!parseVal(vals.substr(colon + 1), u.hard)) return fail(Errc::InvalidArgument, "invalid ulimit value in `" + std::string(text) + "`");
    if (u.hard != -1 && (u.soft == -1 || u.soft > u.hard))
        return fail(Errc::InvalidArgument, "ulimit soft limit exceeds the hard limit in `" + std::string(text) + "`");
    return u;
}

Result<std::vector<std::string>> readEnvFile(const std::string& path) {
    auto text = BERTH_TRY_CTX(sys::readFile(path, size_t(16) << 20), "read env file");
    std::vector<std::string> out;
    size_t pos = 0;
    int lineNo = 0;
    while (pos <= text.size()) {
        size_t nl = text.find('\n', pos);
        if (nl == std::string::npos) nl = text.size();
        std::string_view line = trim(std::string_view(text).substr(pos, nl - pos));
        ++lineNo;
        pos = nl + 1;
        if (line.empty() || line.front() == '#') continue;
        auto eq = line.find('=');
        std::string_view key = line.substr(0, eq);
        if (key.empty() || key.find_first_of(" \t") != std::string_view::npos)
            return fail(Errc::InvalidArgument, path + ":" + std::to_string(lineNo) + ": invalid variable name");
        if (eq == std::string_view::npos) {
            if (const char* v = std::getenv(std::string(key).c_str()))
                out.push_back(std::string(key) + "=" + v);
        } else {
            out.emplace_back(line);
        }
    }
    return out;
}

VoidResult parseSecurityOpt(std::string_view text, RunRequest& options) {
    auto s = trim(text);
    auto eq = s.find_first_of("=:");
    std::string_view key = s.substr(0, eq);
    std::string_view val = eq == std::string_view::npos ? "" : s.substr(eq + 1);
    if (key == "seccomp") {
        if (val.empty()) return fail(Errc::InvalidArgument, "--security-opt seccomp needs a value (FILE or unconfined)");
        if (val == "unconfined") {
            options.seccompProfile = "unconfined";
        } else {
            auto text = BERTH_TRY_CTX(sys::readFile(std::string(val), size_t(4) << 20),
                                      "--security-opt seccomp");
            options.seccompProfile = std::string(val);
            (void)text;
        }
    } else if (key == "no-new-privileges") {
        if (val.empty() || val == "true") options.noNewPrivileges = true;
        else if (val == "false") options.noNewPrivileges = false;
        else return fail(Errc::InvalidArgument, "invalid --security-opt `" + std::string(text) + "`");
    } else if (key == "apparmor" || key == "label") {
        // No LSM support: accepted and ignored, as Docker does on hosts without it.
    } else {
        return fail(Errc::InvalidArgument, "invalid --security-opt `" + std::string(text) + "`");
    }
    return {};
}

// docker's rules: HOST[:CONTAINER][:PERMS], PERMS some of r, w and m (each once); a second
// field that reads as PERMS is PERMS; the container path is the host's when not given.
Result<DeviceMapping> parseDeviceSpec(std::string_view text) {
    auto isPerms = [](std::string_view p) {
        if (p.empty() || p.size() > 3) return false;
        for (size_t i = 0; i < p.size(); ++i)
            if ((p[i] != 'r' && p[i] != 'w' && p[i] != 'm') || p.find(p[i], i + 1) != std::string_view::npos) return false;
        return true;
    };
    std::vector<std::string> parts;
    for (size_t pos = 0;;) {
        size_t colon = text.find(':', pos);
        parts.emplace_back(text.substr(pos, colon == std::string_view::npos ? colon : colon - pos));
        if (colon == std::string_view::npos) break;
        pos = colon + 1;
    }
    if (parts.size() > 3) return fail(Errc::InvalidArgument, "invalid device specification: " + std::string(text));
    DeviceMapping d;
    d.pathOnHost = parts[0];
    if (parts.size() == 3) {
        if (!isPerms(parts[2])) return fail(Errc::InvalidArgument, "bad mode specified: " + parts[2]);
        d.pathInContainer = parts[1];
        d.permissions = parts[2];
    } else if (parts.size() == 2) {
        (isPerms(parts[1]) ? d.permissions : d.pathInContainer) = parts[1];
    }
    if (d.pathInContainer.empty()) d.pathInContainer = d.pathOnHost;
    for (auto* p : {&d.pathOnHost, &d.pathInContainer})
        if (p->empty() || (*p)[0] != '/')
            return fail(Errc::InvalidArgument, "bad format for path: " + (p->empty() ? std::string(text) : *p));
    return d;
}

} // namespace berth
