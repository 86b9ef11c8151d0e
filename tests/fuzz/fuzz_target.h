#pragma once
// Shared by every fuzz target (tests/fuzz/<name>_fuzz.cpp). A target is one
// LLVMFuzzerTestOneInput; it is linked with libFuzzer in the BERTH_FUZZ build (clang) and
// with replay_main.cpp everywhere else, where CTest replays the seed corpus and every input
// that once crashed (tests/fuzz/regressions/<name>/) through it.
//
// A target checks what must hold for any input: no crash, no hang, no sanitizer report, and
// the properties it names (a parsed reference prints back to itself, a layer writes nothing
// outside its directory). A broken property calls fuzzCheckFailed, which aborts: libFuzzer
// then keeps the input as a crash.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace berth::fuzz {

[[noreturn]] void checkFailed(const char* what, std::string_view detail, const char* file, int line);

inline std::string_view asText(const uint8_t* data, size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// Splits an input into parts at each occurrence of `sep` (a separator line such as
// "\n--\n"), so one input can carry several fields (patterns and paths, a header and a body).
std::vector<std::string_view> splitInput(std::string_view text, std::string_view sep, size_t maxParts);

} // namespace berth::fuzz

#define FUZZ_CHECK(cond, detail)                                                         \
    do {                                                                                 \
        if (!(cond)) ::berth::fuzz::checkFailed(#cond, (detail), __FILE__, __LINE__);    \
    } while (0)
