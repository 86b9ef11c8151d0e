// Fuzz target `dockerfile`: the Dockerfile parser (build/dockerfile.h) on any text, then
// what the builder does with each instruction's words before it touches anything: the
// shell-word processing of build/shell_lex.h with a fixed set of variables, and Go
// durations. Properties: instructions come in line order, each has a keyword, and the
// parser gives the same answer twice.

#include "fuzz_target.h"

#include "build/dockerfile.h"
#include "build/shell_lex.h"

#include <fmt/format.h>

#include <optional>
#include <string>

using namespace berth;
using namespace berth::build;

namespace {

std::optional<std::string> fixedEnv(std::string_view name) {
    if (name == "HOME") return std::string("/root");
    if (name == "EMPTY") return std::string();
    if (name == "WORDS") return std::string("a b  c");
    return std::nullopt;
}

void expandLikeTheBuilder(const Instruction& ins, char escape, int depth) {
    ShellLex lex(escape);
    EnvLookup env = fixedEnv;
    for (const auto& a : ins.args) {
        (void)lex.processWord(a, env);
        (void)lex.processWords(a, env);
    }
    for (const auto& kv : ins.pairs) {
        (void)lex.processWord(kv.key, env);
        (void)lex.processWord(kv.value, env);
    }
    for (const auto& h : ins.heredocs)
        if (h.expand) (void)lex.expandOnly(h.content, env);
    for (const auto& [name, value] : ins.flags) (void)lex.processWord(value, env);
    if (depth < 4)
        for (const auto& t : ins.trigger) expandLikeTheBuilder(t, escape, depth + 1);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text = fuzz::asText(data, size);
    auto parsed = parseDockerfile(text, "Dockerfile");
    auto again = parseDockerfile(text, "Dockerfile");
    FUZZ_CHECK(bool(parsed) == bool(again), "the parser answered differently the second time");
    if (!parsed) {
        FUZZ_CHECK(!parsed.error().message().empty(), "an error without a message");
        return 0;
    }
    int last = 0;
    for (const auto& ins : parsed->instructions) {
        FUZZ_CHECK(!ins.keyword.empty(), fmt::format("instruction on line {} without a keyword", ins.line));
        FUZZ_CHECK(ins.line >= 1 && ins.line >= last,
                   fmt::format("instruction {} on line {} after line {}", ins.keyword, ins.line, last));
        last = ins.line;
        expandLikeTheBuilder(ins, parsed->escape, 0);
        if (ins.healthcheck) {
            FUZZ_CHECK(ins.healthcheck->intervalNs >= 0 && ins.healthcheck->timeoutNs >= 0 &&
                           ins.healthcheck->startPeriodNs >= 0 && ins.healthcheck->startIntervalNs >= 0,
                       "a negative HEALTHCHECK duration");
        }
    }
    // Durations as HEALTHCHECK writes them, on each line of the input.
    if (size < 256) {
        auto ns = parseDuration(text);
        if (ns) FUZZ_CHECK(*ns >= 0, fmt::format("duration `{}` is negative", text));
    }
    return 0;
}
