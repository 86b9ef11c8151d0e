// Fuzz target `auth_challenge`: what a registry sends in WWW-Authenticate
// (registry/auth.h parseChallenges) and the base64 of docker's config.json "auth" entries.
// Properties: schemes and parameter names come out lower case and non-empty; base64 that
// decodes encodes back to the same text once padded.

#include "fuzz_target.h"

#include "registry/auth.h"

#include <cctype>
#include <fmt/format.h>

using namespace berth;

namespace {

bool lowerCase(std::string_view s) {
    for (char c : s)
        if (std::isupper(static_cast<unsigned char>(c))) return false;
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text = fuzz::asText(data, size);
    for (const auto& c : registry::parseChallenges(text)) {
        FUZZ_CHECK(!c.scheme.empty() && lowerCase(c.scheme), fmt::format("scheme `{}`", c.scheme));
        for (const auto& [name, value] : c.params)
            FUZZ_CHECK(lowerCase(name), fmt::format("parameter name `{}`", name));
    }
    if (auto decoded = registry::base64Decode(text)) {
        auto again = registry::base64Decode(registry::base64Encode(*decoded));
        FUZZ_CHECK(again && *again == *decoded, "base64 of decoded bytes does not decode to them");
    }
    return 0;
}
