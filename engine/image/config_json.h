#pragma once
// Reading and writing OCI/Docker image configuration JSON (the config blob).

#include "image/digest.h"
#include "image/image_config.h"
#include "sys/error.h"

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace berth::image {

Result<ImageConfig> parseImageConfig(std::string_view text);
// The config of a one-layer image made by `import`.
nlohmann::json makeImportConfig(const Digest& diffId, const std::string& created,
                                const std::string& comment);
// GOARCH names: "amd64", "arm64", ...
std::string hostArchitecture();

} // namespace berth::image
