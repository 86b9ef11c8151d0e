// Fuzz target `user_lookup`: `--user` / USER resolved against an image's /etc/passwd and
// /etc/group (runtime/user_lookup.h lookupUserIn): both files come from the image. The
// input is "<passwd>\n--\n<group>\n--\n<user spec>". Properties: a numeric uid asked for is
// the uid given; a resolved user's home is absolute.

#include "fuzz_target.h"

#include "runtime/user_lookup.h"

#include <fmt/format.h>

#include <charconv>
#include <string>

using namespace berth;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto parts = fuzz::splitInput(fuzz::asText(data, size), "\n--\n", 3);
    if (parts.size() < 3) return 0;
    std::string passwd(parts[0]), group(parts[1]), spec(parts[2]);
    auto user = runtime::lookupUserIn(passwd, group, spec);
    if (!user) return 0;
    std::string_view uidText = std::string_view(spec).substr(0, spec.find(':'));
    unsigned long uid = 0;
    auto [end, ec] = std::from_chars(uidText.data(), uidText.data() + uidText.size(), uid);
    if (ec == std::errc() && end == uidText.data() + uidText.size() && !uidText.empty())
        FUZZ_CHECK(user->uid == uid, fmt::format("spec `{}` resolved to uid {}", spec, user->uid));
    FUZZ_CHECK(user->home.starts_with("/"), fmt::format("spec `{}`: home `{}`", spec, user->home));
    return 0;
}
