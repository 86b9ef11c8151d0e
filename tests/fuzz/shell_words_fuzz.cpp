// Fuzz target `shell_words`: Docker's word processing (build/shell_lex.h) on any text:
// substitution with every operator, quotes, the escape character. The first byte picks the
// escape character ('`' when odd, '\' otherwise, as the `escape` directive allows); the
// rest is the word. Variables: a fixed set (LONG is 4 KiB, as an ENV or ARG value can be,
// so that patterns meet long values), plus any name of up to 3 letters starting a..m set to
// a value made from its name (so nested ${a:-${b}} forms meet both set and unset names).

#include "fuzz_target.h"

#include "build/shell_lex.h"

#include <fmt/format.h>

#include <optional>
#include <string>

using namespace berth;
using namespace berth::build;

namespace {

std::optional<std::string> lookup(std::string_view name) {
    if (name == "EMPTY") return std::string();
    if (name == "SPACES") return std::string(" a  b ");
    if (name == "QUOTES") return std::string("'\"$x\\");
    if (name == "STAR") return std::string("*");
    if (name == "LONG") return std::string(4096, 'a') + "/b";
    if (!name.empty() && name.size() <= 3 && name.front() >= 'a' && name.front() <= 'm')
        return "v_" + std::string(name);
    return std::nullopt;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    char escape = (data[0] & 1) ? '`' : '\\';
    std::string_view word = fuzz::asText(data + 1, size - 1);
    ShellLex lex(escape);
    EnvLookup env = lookup;
    auto one = lex.processWord(word, env);
    auto many = lex.processWords(word, env);
    auto expanded = lex.expandOnly(word, env);
    // Text with nothing special in it comes out as it went in.
    bool plain = word.find_first_of("$'\"\\`") == std::string_view::npos;
    if (plain) {
        FUZZ_CHECK(one && *one == word, fmt::format("plain word `{}` changed", word));
        FUZZ_CHECK(expanded && *expanded == word, fmt::format("plain text `{}` changed", word));
        FUZZ_CHECK(bool(many), fmt::format("plain words `{}` refused", word));
    }
    if (one && many && word.find_first_of(" \t\n\v\f\r") == std::string_view::npos &&
        word.find('$') == std::string_view::npos && !many->empty()) {
        // No whitespace and no substitution: one word either way.
        FUZZ_CHECK(many->size() == 1 && many->front() == *one,
                   fmt::format("`{}` is one word but split into {}", word, many->size()));
    }
    return 0;
}
