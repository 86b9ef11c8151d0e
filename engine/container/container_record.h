#pragma once
// The on-disk record of one container: config.json (written once at create: what the
// container is) and state.json (rewritten atomically by its monitor: what it is doing).

#include "berth/containers.h"
#include "berth/text.h"
#include "container/container_options.h"
#include "sys/error.h"

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace berth::container {

using Status = berth::ContainerStatus;
using berth::statusName;  // "created", "running", ...
Status statusFromName(std::string_view name);

// What the container is: fixed at create time. Everything the monitor needs to start it
// again is here, so starting never needs the image store.
struct ContainerConfig {
    std::string id;    // 64 hex
    std::string name;
    std::string image;    // as given
    std::string imageId;  // "sha256:…"
    std::string created;  // RFC 3339 with nanoseconds
    int64_t createdNano = 0;

    std::vector<std::string> entrypoint;  // resolved: image's unless overridden
    std::vector<std::string> cmd;
    std::vector<std::string> env;         // image env + user env, resolved
    std::string workingDir;
    std::string user;
    std::string hostname;
    std::string stopSignal;  // "SIGTERM" unless the image says otherwise
    std::vector<std::string> exposedPorts;
    std::vector<std::filesystem::path> lowerDirs;  // image layers, bottom first
    // The healthcheck in effect: the request's --health-* over the image's HEALTHCHECK.
    std::optional<HealthConfig> healthcheck;

    CreateOptions options;  // the user's request, as given

    std::vector<std::string> args() const;  // entrypoint + cmd
};

struct ContainerState {
    Status status = Status::Created;
    pid_t pid = 0;          // the init's host pid
    pid_t monitorPid = 0;
    int exitCode = 0;
    bool oomKilled = false;
    std::string error;      // the last start error, if any
    std::string startedAt;  // RFC 3339 nano; "" = never
    std::string finishedAt;
    int restartCount = 0;
    std::optional<HealthState> health;  // set by the monitor while a healthcheck runs
};

struct ContainerRecord {
    ContainerConfig config;
    ContainerState state;
    std::filesystem::path dir;
};

nlohmann::json toJson(const CreateOptions& o);
CreateOptions createOptionsFromJson(const nlohmann::json& j);
nlohmann::json toJson(const ContainerConfig& c);
Result<ContainerConfig> configFromJson(const nlohmann::json& j);
nlohmann::json toJson(const ContainerState& s);
ContainerState stateFromJson(const nlohmann::json& j);

// RFC 3339 with nanoseconds in UTC ("2026-11-26T21:03:04.123456789Z") and back (berth/text.h).
using berth::formatTimeNano;
using berth::nowNano;
using berth::parseTimeNano;

} // namespace berth::container
