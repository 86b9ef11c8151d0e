#pragma once
// Icons and translations live in berth_ui, a static library, whose resource initialisers
// a linker would drop: initResources() pulls them in. Call it once before any window.

namespace berth::ui {
void initResources();
}
