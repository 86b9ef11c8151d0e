#include "cli_context.h"

#include "berth/runtime_mode.h"

#include <fmt/format.h>

#include <ctime>

#include <unistd.h>

namespace berth::cli {

Engine& CliContext::engine() {
    if (!m_engine) {
        EngineOptions opts;
        opts.root = root;
        opts.runRoot = runRoot;
        auto e = Engine::open(opts);
        if (!e) throw CliError{e.error().message(), 125};
        m_engine = std::move(*e);
        // Rootless without subordinate ids works, but not as images expect: say so.
        if (::geteuid() != 0) {
            auto mode = runtimeModeInfo();
            if (mode.rootless && !mode.warning.empty()) fmt::print(stderr, "WARNING: {}\n", mode.warning);
        }
    }
    return *m_engine;
}

CLI::App* addVerb(CLI::App& parent, const std::string& name, const std::string& help,
                  CliContext& ctx, std::function<void()> body) {
    CLI::App* sub = parent.add_subcommand(name, help);
    sub->callback([&ctx, body = std::move(body)] {
        try {
            body();
        } catch (const CliError& e) {
            if (!e.message.empty()) fmt::print(stderr, "Error: {}\n", e.message);
            ctx.exitCode = e.exitCode;
        }
    });
    return sub;
}

std::string Table::render() const {
    std::vector<size_t> width(m_headers.size(), 0);
    auto measure = [&](const std::vector<std::string>& row) {
        for (size_t i = 0; i < row.size() && i < width.size(); ++i)
            width[i] = std::max(width[i], row[i].size());
    };
    measure(m_headers);
    for (auto& r : m_rows) measure(r);
    std::string out;
    auto emit = [&](const std::vector<std::string>& row) {
        std::string line;
        for (size_t i = 0; i < width.size(); ++i) {
            std::string cell = i < row.size() ? row[i] : "";
            line += cell;
            if (i + 1 < width.size()) line += std::string(width[i] - cell.size() + 3, ' ');
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out += line + "\n";
    };
    emit(m_headers);
    for (auto& r : m_rows) emit(r);
    return out;
}

std::string humanSize(uint64_t bytes) {
    static const char* units[] = {"B", "kB", "MB", "GB", "TB", "PB"};
    double v = double(bytes);
    int u = 0;
    while (v >= 1000.0 && u < 5) {
        v /= 1000.0;
        ++u;
    }
    // docker: 3 significant digits ("4.26MB", "42.6MB", "426MB")
    std::string s = fmt::format("{:.3g}", v);
    return s + units[u];
}

std::string humanDuration(int64_t s) {
    if (s < 1) return "Less than a second";
    if (s == 1) return "1 second";
    if (s < 60) return fmt::format("{} seconds", s);
    int64_t m = s / 60;
    if (m == 1) return "About a minute";
    if (m < 60) return fmt::format("{} minutes", m);
    int64_t h = (s + 1800) / 3600;
    if (h == 1) return "About an hour";
    if (h < 48) return fmt::format("{} hours", h);
    if (h < 24 * 7 * 2) return fmt::format("{} days", h / 24);
    if (h < 24 * 30 * 2) return fmt::format("{} weeks", h / 24 / 7);
    if (h < 24 * 365 * 2) return fmt::format("{} months", h / 24 / 30);
    return fmt::format("{} years", h / 24 / 365);
}

int64_t parseRfc3339(const std::string& text) {
    std::tm tm{};
    const char* p = ::strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
    if (!p) return 0;
    int64_t t = ::timegm(&tm);
    while (*p && *p != 'Z' && *p != '+' && *p != '-') ++p;  // fractional seconds
    if (*p == '+' || *p == '-') {
        int sign = *p == '+' ? 1 : -1;
        int hh = 0, mm = 0;
        if (std::sscanf(p + 1, "%d:%d", &hh, &mm) >= 1) t -= sign * (hh * 3600 + mm * 60);
    }
    return t;
}

std::string timeAgo(const std::string& rfc3339) {
    int64_t t = parseRfc3339(rfc3339);
    if (t == 0) return "N/A";
    return humanDuration(int64_t(std::time(nullptr)) - t) + " ago";
}

std::string truncate(const std::string& s, size_t max) {
    if (s.size() <= max) return s;
    return s.substr(0, max - 1) + "…";
}

} // namespace berth::cli
