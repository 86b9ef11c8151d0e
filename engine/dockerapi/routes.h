#pragma once
// The Docker Engine API's routes, one function per group, each in its own file. Every
// handler works through berth::Engine (engine/include/berth) only.

#include "router.h"

namespace berth {
class Engine;
}

namespace berth::dockerapi {

// /_ping and /version: what a client asks first, before anything needs the engine.
void addPingRoutes(Router& router);                    // system_routes.cpp
void addSystemRoutes(Router& router, Engine& engine);  // system_routes.cpp

// All of them.
Router makeRouter(Engine& engine);

} // namespace berth::dockerapi
