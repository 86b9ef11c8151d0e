#pragma once
// The engine's resolved settings as the first message to a berth-monitor it starts (and to
// an exec helper): the monitor works with the engine's settings, never with its own reading
// of the environment, so an engine opened with explicit settings and the monitors it starts
// cannot disagree (store, cgroup version, overlay driver, seccomp profile, helpers).

#include "sys/engine_settings.h"
#include "sys/error.h"

#include <string>
#include <string_view>

namespace berth::container {

// JSON with every field of EngineSettings.
std::string encodeSettings(const EngineSettings& settings);
// Its inverse; a malformed payload, a missing field or a field of the wrong type is an
// InvalidArgument error naming it.
Result<EngineSettings> decodeSettings(std::string_view payload);

// Sends the settings on the monitor's sync socket (protocol::Msg::Settings), before any
// other message; the monitor's first receive() on it takes them.
VoidResult sendSettings(int fd, const EngineSettings& settings);
Result<EngineSettings> receiveSettings(int fd);

} // namespace berth::container
