#pragma once
// docker's Config.Healthcheck as the Engine API receives it ({"Test": ["CMD-SHELL", "…"],
// "Interval": ns, …}) -> HealthConfig, checked as dockerd checks it. The same decoder as the
// image config's Healthcheck (engine/image/healthcheck_json), one owner of the shape.

#include "berth/error.h"
#include "berth/run_request.h"

#include <string_view>

namespace berth {

// Errc::InvalidArgument with docker's message for: not an object, a field of the wrong type, a
// duration under 1ms (0 = unset, the image's value), negative Retries, a Test that is not
// NONE / CMD … / CMD-SHELL "…" (empty = the image's).
Result<HealthConfig> healthConfigFromDockerJson(std::string_view json);

} // namespace berth
