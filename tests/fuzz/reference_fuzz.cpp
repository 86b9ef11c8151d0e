// Fuzz target `reference`: image references (image/reference.h) and the platform strings
// of --platform (registry/manifest.h). Properties: a reference that parses prints back to
// itself, in full and in Docker's short form; a platform prints to a string that parses to
// the same platform.

#include "fuzz_target.h"

#include "image/reference.h"
#include "registry/manifest.h"

#include <fmt/format.h>

using namespace berth;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text = fuzz::asText(data, size);
    if (auto ref = image::Reference::parse(text)) {
        FUZZ_CHECK(!ref->registry.empty() && !ref->repository.empty(),
                   fmt::format("`{}` parsed without a registry or repository", text));
        FUZZ_CHECK(!ref->tag.empty() || ref->digest, fmt::format("`{}` has neither tag nor digest", text));
        for (const std::string& printed : {ref->str(), ref->familiar()}) {
            auto back = image::Reference::parse(printed);
            FUZZ_CHECK(bool(back), fmt::format("`{}` printed as `{}`, which does not parse: {}", text, printed,
                                               back ? "" : back.error().message()));
            FUZZ_CHECK(*back == *ref, fmt::format("`{}` printed as `{}`, which parses to `{}`", text, printed,
                                                  back->str()));
        }
    }
    if (auto platform = registry::Platform::parse(text)) {
        auto back = registry::Platform::parse(platform->str());
        FUZZ_CHECK(back && *back == *platform,
                   fmt::format("platform `{}` printed as `{}`, which does not parse back", text, platform->str()));
    }
    return 0;
}
