#include "cli_context.h"

#include "berth/runtime_mode.h"

#include <fmt/format.h>

#include <cstdio>
#include <iostream>

#include <unistd.h>

namespace berth::cli {

Engine& CliContext::engine(bool aboutToStart) {
    if (!m_engine) {
        EngineOptions opts;
        opts.root = root;
        opts.runRoot = runRoot;
        opts.aboutToStart = aboutToStart;
        auto e = openEngine(opts);
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

std::string timeAgo(const std::string& rfc3339) {
    int64_t ns = parseTimeNano(rfc3339);
    return ns ? berth::timeAgo(ns / 1000000000) : "N/A";
}

std::string shortId(const std::string& id) {
    auto colon = id.find(':');
    return id.substr(colon == std::string::npos ? 0 : colon + 1, 12);
}

bool confirmRemoval(const std::string& what) {
    fmt::print("WARNING! This will remove {}.\nAre you sure you want to continue? [y/N] ", what);
    std::fflush(stdout);
    std::string answer;
    std::getline(std::cin, answer);
    return answer == "y" || answer == "Y" || answer == "yes";
}

std::string truncate(const std::string& s, size_t max) {
    if (s.size() <= max) return s;
    return s.substr(0, max - 1) + "…";
}

} // namespace berth::cli
