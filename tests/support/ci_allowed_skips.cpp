// THE list of skips CI accepts (CI=true turns every other skip into a failure).
//
// Only kernel features the CI machine lacks belong here: each entry names the suite (the
// test class), the test function (or "main" for a whole suite) and why the kernel cannot
// do it. A missing program is never listed (install it: installer/install-deps.sh
// --with-tests), nor a missing root (CI runs as root).
#include "skip.h"

#include <array>
#include <string_view>

namespace berth::test {

namespace {

struct Entry {
    std::string_view suite, function, reason;
};

constexpr std::array<Entry, 0> kAllowed{{
}};

} // namespace

std::string ciAllowedSkip(const std::string& suite, const std::string& function, SkipKind kind) {
    if (kind != SkipKind::KernelFeature) return {};
    for (const auto& a : kAllowed)
        if (a.suite == suite && a.function == function) return std::string(a.reason);
    return {};
}

std::vector<AllowedSkip> ciAllowedSkips() {
    std::vector<AllowedSkip> out;
    for (const auto& a : kAllowed) out.push_back({std::string(a.suite), std::string(a.function), std::string(a.reason)});
    return out;
}

} // namespace berth::test
