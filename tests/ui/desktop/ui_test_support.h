#pragma once
// Helpers for the UI tests: a temporary store with the demo busybox image in it, and an
// engine + EngineClient over it.

#include "berth/engine.h"
#include "engineclient.h"
#include "test_support.h"

#include <memory>

namespace berth::test {

struct UiStore {
    TempDir dir;
    std::unique_ptr<Engine> engine;
    std::unique_ptr<ui::EngineClient> client;
    std::filesystem::path root() const { return dir.path() / "store"; }
};

// Opens a fresh store. With `withDemoImage`, runs installer/demo-image.sh against it first;
// returns an error text (for QVERIFY2) when that fails.
std::unique_ptr<UiStore> openUiStore(bool withDemoImage, QString* error);

// Waits (processing events) until `pred` is true or `timeoutMs` passes.
bool waitUntil(const std::function<bool()>& pred, int timeoutMs = 15000);

} // namespace berth::test
