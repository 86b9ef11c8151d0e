#pragma once
// StoreLayout: where everything of one Berth store lives on disk. One root per store
// (/var/lib/berth for root, $XDG_DATA_HOME/berth for a user, or --root/BERTH_ROOT), and a
// run root for state that must not survive a reboot (/run/berth, $XDG_RUNTIME_DIR/berth).

#include "sys/error.h"

#include <filesystem>

namespace berth::store {

namespace fs = std::filesystem;

struct StoreLayout {
    fs::path root;
    fs::path runRoot;

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

// The default root for this user: BERTH_ROOT, else /var/lib/berth for root, else
// $XDG_DATA_HOME/berth (~/.local/share/berth). Likewise the run root (BERTH_RUNROOT).
fs::path defaultRoot();
fs::path defaultRunRoot(const fs::path& root);

// Creates the directories of the layout when missing and returns it.
Result<StoreLayout> openLayout(const fs::path& root, const fs::path& runRoot = {});

} // namespace berth::store
