// berth-layer-helper: rootless layer work (extract a layer, write a layer tar, remove a
// tree of mapped ids) inside a user namespace, started by the engine with posix_spawn
// (sys/userns.h runHelperInUserNamespace) so that a threaded caller such as the desktop
// app never runs its own code in a forked child. Not meant to be run by hand.
#include "image/layer_apply_rootless.h"

int main(int argc, char** argv) { return berth::image::layerHelperMain(argc, argv); }
