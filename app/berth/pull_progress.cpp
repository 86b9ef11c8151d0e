#include "pull_progress.h"

#include "cli_context.h"

#include <fmt/format.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <vector>

namespace berth::cli {

using Clock = std::chrono::steady_clock;

void LayerBoard::set(const std::string& id, const std::string& text, bool bytesOnly) {
    auto it = m_index.find(id);
    if (it == m_index.end()) {
        m_index[id] = m_lines.size();
        m_lines.push_back(text);
        fmt::print(m_out, "{}: {}\n", id, text);
        std::fflush(m_out);
        return;
    }
    if (m_lines[it->second] == text) return;
    if (!m_tty) {
        if (bytesOnly) return;
        m_lines[it->second] = text;
        fmt::print(m_out, "{}: {}\n", id, text);
        std::fflush(m_out);
        return;
    }
    // Throttle pure byte-count redraws to ~10 per second.
    auto now = Clock::now();
    if (bytesOnly && now - m_lastDraw < std::chrono::milliseconds(100)) return;
    m_lastDraw = now;
    m_lines[it->second] = text;
    size_t up = m_lines.size() - it->second;
    fmt::print(m_out, "\x1b[{}A\x1b[2K\r{}: {}\x1b[{}B\r", up, id, text, up);
    std::fflush(m_out);
}

PullPrinter::PullPrinter(std::FILE* out)
    : m_out(out), m_board(std::make_unique<LayerBoard>(out, ::isatty(::fileno(out)) == 1)) {}

PullPrinter::~PullPrinter() = default;

PullProgressFn PullPrinter::callback() {
    return [this](const PullProgress& p) {
        using K = PullProgress::Kind;
        using S = LayerState;
        if (p.kind != K::Layer) {
            fmt::print(m_out, "{}\n", p.message);
            std::fflush(m_out);
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
        default: text = layerStateText(p.state); break;
        }
        m_board->set(p.layerId, text, bytesOnly);
    };
}

void PullPrinter::summary(const PullResult& res, bool withName) {
    fmt::print(m_out, "Digest: {}\n", res.digest);
    fmt::print(m_out, "Status: {} for {}\n",
               res.downloaded ? "Downloaded newer image" : "Image is up to date", res.familiar);
    if (withName) fmt::print(m_out, "{}\n", res.name);
    std::fflush(m_out);
}

} // namespace berth::cli
