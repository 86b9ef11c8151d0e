#include "resources.h"

#include <QtGlobal>

// Q_INIT_RESOURCE must be used outside any namespace.
static void initBerthResources() { Q_INIT_RESOURCE(berth); }

namespace berth::ui {
void initResources() {
    static bool done = false;
    if (!done) {
        initBerthResources();
        done = true;
    }
}
} // namespace berth::ui
