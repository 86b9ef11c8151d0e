#pragma once
// docker's Healthcheck object ({"Test": [...], "Interval": ns, ...}): the image config's
// and the container's Config.Healthcheck. Its own object file: berth-monitor links it
// (through the container record) without the rest of the image layer.

#include "berth/run_request.h"

#include <nlohmann/json.hpp>

namespace berth::image {

nlohmann::json healthConfigJson(const HealthConfig& h);
// Absent, mistyped or negative fields read as empty / 0.
HealthConfig healthConfigFromJson(const nlohmann::json& j);

} // namespace berth::image
