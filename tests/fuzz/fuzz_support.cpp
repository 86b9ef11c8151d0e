#include "fuzz_target.h"

#include <cstdio>
#include <cstdlib>

namespace berth::fuzz {

void checkFailed(const char* what, std::string_view detail, const char* file, int line) {
    std::fprintf(stderr, "fuzz property broken at %s:%d: %s\n  %.*s\n", file, line, what,
                 int(detail.size()), detail.data());
    std::abort();
}

std::vector<std::string_view> splitInput(std::string_view text, std::string_view sep, size_t maxParts) {
    std::vector<std::string_view> parts;
    while (parts.size() + 1 < maxParts) {
        size_t at = text.find(sep);
        if (at == std::string_view::npos) break;
        parts.push_back(text.substr(0, at));
        text.remove_prefix(at + sep.size());
    }
    parts.push_back(text);
    return parts;
}

} // namespace berth::fuzz
