#pragma once
// StoreLayout: where everything of one Berth store lives on disk. One root per store
// (/var/lib/berth for root, $XDG_DATA_HOME/berth for a user, or --root/BERTH_ROOT), and a
// run root for state that must not survive a reboot (/run/berth, $XDG_RUNTIME_DIR/berth).

#include "sys/engine_settings.h"
#include "sys/error.h"

#include <filesystem>

namespace berth::store {

namespace fs = std::filesystem;

struct StoreLayout {
    fs::path root;
    fs::path runRoot;
    // What the store was opened with (its mode, helpers, cgroup and runtime choices), so
    // every service and function handed the layout has the engine's settings too. A layout
    // made by hand (tests) has the defaults: root mode, nothing overridden.
    EngineSettings settings;

    fs::path blobs() const { return root / "blobs" / "sha256"; }
    fs::path layers() const { return root / "layers"; }
    fs::path images() const { return root / "images"; }
    fs::path containers() const { return root / "containers"; }
    fs::path volumes() const { return root / "volumes"; }
    fs::path tmp() const { return root / "tmp"; }
    fs::path lockFile() const { return root / "store.lock"; }
    fs::path eventsFile() const { return root / "events.jsonl"; }
    fs::path runContainers() const { return runRoot / "containers"; }
};

// Creates the directories of the layout of `settings.store` when missing and returns it.
// Where the root and run root are by default (BERTH_ROOT, BERTH_RUNROOT, XDG_*) is
// resolveEngineSettings()'s to say.
Result<StoreLayout> openLayout(const EngineSettings& settings);
// The same for `root` (and `runRoot`, "" = its default), the other settings resolved from
// the environment: for tests and tools that open a store without an engine.
Result<StoreLayout> openLayout(const fs::path& root, const fs::path& runRoot = {});

} // namespace berth::store
