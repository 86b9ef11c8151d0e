#pragma once
// Rootless layer extraction: an ordinary user cannot chown files to other ids, so
// applyLayer() runs in the berth-layer-helper program (posix_spawn + exec: safe from the
// threaded desktop app; sys/userns.h runHelperInUserNamespace) inside a user namespace with the same id maps the
// containers get (sys/userns.h). There uid 0 files are made as the user and uid N files
// as the user's subordinate id N, so a container sees exactly the image's owners. With a
// single-id map only uid/gid 0 exist: other owners become warnings (ownersBestEffort).

#include "image/layer_apply.h"

namespace berth::image {

Result<ApplyResult> applyLayerInUserNamespace(sys::BorrowedFd input, const std::filesystem::path& dest,
                                              const ApplyLimits& limits);

// writeLayerTar() (layer_write.h) in the same kind of helper: the tar records the ids the
// container saw, and files only a mapped id may read are readable there.
Result<ApplyResult> writeLayerTarInUserNamespace(const std::filesystem::path& dir, sys::BorrowedFd out, bool gzip,
                                                 const EngineSettings& settings);

// The limits as the helper's argument, and back.
std::string encodeLimits(const ApplyLimits& limits);
Result<ApplyLimits> decodeLimits(const std::string& text);

// main() of berth-layer-helper: "apply <dest> <limits>" (layer on fd 6), "write-tar
// <dir> <0|1 gzip>" (tar to fd 6), "remove <path>", "probe" (where it runs, for tests),
// run by sys::userNamespaceHelperMain.
int layerHelperMain(int argc, char** argv);

} // namespace berth::image
