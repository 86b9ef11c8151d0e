#pragma once
// berth::Engine: the front door of the engine, and its only API. The CLI (app/berth), the
// window (ui/, through EngineClient) and the Docker API service (engine/dockerapi) include
// nothing of the engine but engine/include/berth/; CMake gives them no other include
// directory. Requests and results are plain values; errors are berth::Error with a code.
//
//   auto engine = berth::openEngine({.root = "/tmp/store"});
//   if (!engine) return fail(engine.error());
//   auto id = (*engine)->containers().create(*berth::parseRunFlags({.image = "busybox"}));
//
// The engine is synchronous and thread-safe: a GUI calls it from worker threads. Long
// operations take a progress callback and a std::stop_token. Engine is an interface so
// that tests can put a fake behind a front-end.

#include "berth/builds.h"
#include "berth/containers.h"
#include "berth/error.h"
#include "berth/images.h"
#include "berth/networks.h"
#include "berth/system.h"
#include "berth/volumes.h"

#include <filesystem>
#include <memory>

namespace berth {

struct EngineOptions {
    // The store: "" = $BERTH_ROOT, else /var/lib/berth for root, $XDG_DATA_HOME/berth for a user.
    std::filesystem::path root;
    // Its run-time state: "" = $BERTH_RUNROOT, else /run/berth, $XDG_RUNTIME_DIR/berth.
    std::filesystem::path runRoot;
    // The caller is about to start a container or exec into one: the engine begins, in the
    // background, the kernel's wait that the first cgroup move of the start would otherwise
    // pay on its critical path (root only; a few ms saved on `berth run`).
    bool aboutToStart = false;
};

class Engine {
public:
    virtual ~Engine() = default;
    virtual Containers& containers() = 0;
    virtual Images& images() = 0;
    virtual Builds& builds() = 0;
    virtual Networks& networks() = 0;
    virtual Volumes& volumes() = 0;
    virtual System& system() = 0;
};

// Opens (and creates when missing) one store. Cheap: a few directories checked, no thread
// started, nothing scanned but what dead containers left behind.
Result<std::unique_ptr<Engine>> openEngine(const EngineOptions& options = {});

} // namespace berth
