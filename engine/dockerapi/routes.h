#pragma once
// The Docker Engine API's routes, one function per group, each in its own file. Every
// handler works through berth::Engine (engine/include/berth) only.

#include "router.h"

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>
#include <utility>

namespace berth {
class Engine;
}

namespace berth::dockerapi {

struct Sessions;

// /_ping and /version: what a client asks first, before anything needs the engine.
void addPingRoutes(Router& router);                    // system_routes.cpp
// Those and /info.
void addSystemRoutes(Router& router, Engine& engine);  // system_routes.cpp
// /containers/json, create, {id}/json, start, stop, restart, kill, pause, unpause, rename,
// update, top, resize, DELETE.
void addContainerRoutes(Router& router, Engine& engine, Sessions& sessions);  // container_routes.cpp
// /containers/{id}/attach, logs, wait: the ones that stream or wait.
void addContainerStreamRoutes(Router& router, Engine& engine, Sessions& sessions);  // container_streams.cpp
// /containers/{id}/stats (stream, or one sample with stream=false).
void addStatsRoute(Router& router, Engine& engine);  // stats_route.cpp
// /containers/{id}/archive: HEAD (stat), GET (a tar out), PUT (a tar in).
void addArchiveRoutes(Router& router, Engine& engine);  // archive_routes.cpp
// /containers/{id}/exec, /exec/{id}/start, resize, json.
void addExecRoutes(Router& router, Engine& engine, Sessions& sessions);  // exec_routes.cpp
// POST …/resize?h=ROWS&w=COLS: the tty streams under `key` (Resizers) take the size; a
// missing, zero or out-of-range h or w is a 400.
void resizeStreams(Sessions& sessions, const std::string& key, const Request& req);  // exec_routes.cpp
// `ConsoleSize` [rows, cols] of a create body (exec) or HostConfig (container): nullopt when
// absent or [0, 0]; anything else but two numbers 1..65535 is a 400.
std::optional<std::pair<unsigned short, unsigned short>> consoleSize(const nlohmann::json& j);  // exec_routes.cpp

// /images/json, prune, {name}/json, history, tag, DELETE.
void addImageRoutes(Router& router, Engine& engine);  // image_routes.cpp
// /images/create (pull, import), {name}/push, get, {name}/get, load.
void addImageTransferRoutes(Router& router, Engine& engine);  // image_transfer_routes.cpp

// /build: docker's classic builder (a tar context in the body).
void addBuildRoute(Router& router, Engine& engine);  // build_route.cpp

// /system/df.
void addDiskUsageRoute(Router& router, Engine& engine);  // disk_usage_route.cpp
// /events.
void addEventRoutes(Router& router, Engine& engine);  // events_route.cpp
// /volumes, create, prune, {name}, DELETE.
void addVolumeRoutes(Router& router, Engine& engine);  // volume_routes.cpp
// /networks, create, prune, {id}, DELETE, connect, disconnect.
void addNetworkRoutes(Router& router, Engine& engine);  // network_routes.cpp

// All of them; `sessions` must outlive the router.
Router makeRouter(Engine& engine, Sessions& sessions);

} // namespace berth::dockerapi
