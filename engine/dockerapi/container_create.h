#pragma once
// POST /containers/create's body (docker's container config with HostConfig and
// NetworkingConfig) as a RunRequest. Docker's string-valued fields (Binds, Tmpfs,
// SecurityOpt, ExtraHosts, log options) go through the engine's one parser of docker's
// flags (berth/run_flags.h), so the API refuses exactly what `berth run` refuses, with the
// same messages; typed fields (Memory in bytes, NanoCpus, PortBindings, Mounts, Labels) are
// set directly. Labels are kept exactly as sent (docker-compose's com.docker.compose.*).

#include "berth/containers.h"
#include "berth/run_request.h"

#include <nlohmann/json_fwd.hpp>

#include <string>

namespace berth::dockerapi {

// An ApiError (400) for a body docker would refuse; `name` is the ?name= parameter.
RunRequest runRequestFromCreate(const nlohmann::json& body, const std::string& name);

// POST /containers/{id}/update's body (docker's Resources at the top level and
// RestartPolicy): the fields create reads the same way, 0 and null meaning "unchanged";
// PidsLimit 0 or -1 lifts the limit; unknown fields ignored. An ApiError (400) when docker
// would refuse it.
ContainerUpdate containerUpdateFromJson(const nlohmann::json& body);

} // namespace berth::dockerapi
