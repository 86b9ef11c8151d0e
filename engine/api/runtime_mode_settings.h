#pragma once
// Inside the front door: runtimeModeInfo() (berth/runtime_mode.h) for an engine's own
// settings. The public runtimeModeInfo() resolves them from the environment, for a front-end
// that asks before (or without) opening an engine; System::info() asks with the engine's.

#include "berth/runtime_mode.h"
#include "sys/engine_settings.h"

namespace berth {

RuntimeModeInfo runtimeModeInfo(const EngineSettings& settings);

} // namespace berth
