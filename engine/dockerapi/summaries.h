#pragma once
// docker's list rows, shared by the lists and /system/df: a container of GET
// /containers/json, an image of GET /images/json, a volume of GET /volumes.

#include "berth/containers.h"
#include "berth/images.h"
#include "berth/volumes.h"

#include <nlohmann/json.hpp>

namespace berth::dockerapi {

nlohmann::json containerSummaryJson(const ContainerSummary& c);
nlohmann::json imageSummaryJson(const ImageSummary& s, const std::map<std::string, std::string>& labels);
nlohmann::json volumeJson(const Volume& v);
// RFC 3339 to unix seconds (docker's lists give "Created" so).
int64_t unixSeconds(const std::string& rfc3339);

} // namespace berth::dockerapi
