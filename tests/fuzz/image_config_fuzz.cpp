// Fuzz target `image_config`: an image's configuration blob (image/config_json.h), which
// comes from a registry or an image archive and decides the container's command, user,
// environment and working directory. Property: every diff id that parsed is a digest.

#include "fuzz_target.h"

#include "image/config_json.h"
#include "image/digest.h"

#include <fmt/format.h>

using namespace berth;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto config = image::parseImageConfig(fuzz::asText(data, size));
    if (!config) return 0;
    for (const auto& id : config->diffIds)
        FUZZ_CHECK(bool(image::Digest::parse(id)), fmt::format("diff id `{}` accepted", id));
    return 0;
}
