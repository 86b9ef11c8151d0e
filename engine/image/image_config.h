#pragma once
// The parts of an OCI/Docker image configuration the engine acts on.

#include "berth/images.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace berth::image {

using HistoryEntry = berth::ImageHistoryEntry;
using berth::ImageConfig;

} // namespace berth::image
