#pragma once
// Pull progress drawn like `docker pull`: one line per layer, redrawn in place when the
// output is a terminal, plain lines otherwise. `berth pull` draws on stdout; `run` and
// `create` draw on stderr (their stdout is the container's output or its id), as docker does.

#include "berth/images.h"

#include <chrono>
#include <cstdio>
#include <map>
#include <vector>
#include <memory>
#include <string>

namespace berth::cli {

// Per-layer lines. On a TTY each layer keeps its line and is redrawn with cursor movement;
// elsewhere every state change is one new line and byte counts are not printed (logs stay
// readable).
class LayerBoard {
public:
    LayerBoard(std::FILE* out, bool tty) : m_out(out), m_tty(tty) {}
    // Sets the line of layer `id`; `bytesOnly` marks a change of byte counts only.
    void set(const std::string& id, const std::string& text, bool bytesOnly);

private:
    std::FILE* m_out;
    bool m_tty;
    std::map<std::string, size_t> m_index;
    std::vector<std::string> m_lines;
    std::chrono::steady_clock::time_point m_lastDraw{};
};

class PullPrinter {
public:
    explicit PullPrinter(std::FILE* out);
    ~PullPrinter();
    // The engine callback; valid while this printer lives.
    PullProgressFn callback();
    // "Digest: …", "Status: …" and, when `withName`, the full name, as docker ends a pull.
    void summary(const PullResult& result, bool withName);

private:
    std::FILE* m_out;
    std::unique_ptr<LayerBoard> m_board;
};

} // namespace berth::cli
