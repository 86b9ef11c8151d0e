#pragma once
// Rootless layer extraction: an ordinary user cannot chown files to other ids, so
// applyLayer() runs in a forked helper inside a user namespace with the same id maps the
// containers get (sys/userns.h). There uid 0 files are made as the user and uid N files
// as the user's subordinate id N, so a container sees exactly the image's owners. With a
// single-id map only uid/gid 0 exist: other owners become warnings (ownersBestEffort).

#include "image/layer_apply.h"

namespace berth::image {

Result<ApplyResult> applyLayerInUserNamespace(sys::BorrowedFd input, const std::filesystem::path& dest,
                                              const ApplyLimits& limits);

// writeLayerTar() (layer_write.h) in the same kind of helper: the tar records the ids the
// container saw, and files only a mapped id may read are readable there.
Result<ApplyResult> writeLayerTarInUserNamespace(const std::filesystem::path& dir, sys::BorrowedFd out, bool gzip);

} // namespace berth::image
