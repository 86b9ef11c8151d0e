// ImageStore::commitPrepared: the commit step of a pull (engine/registry prepares the
// blobs and layers in a work dir; this puts them in the store under the lock).
#include "image/image_commit.h"
#include "image/image_store.h"
#include "image/work_dir.h"

namespace berth::image {

VoidResult ImageStore::commitPrepared(WorkDir& work, CommitSet& set) {
    auto lock = BERTH_TRY(lockForMutation());
    BERTH_TRY(commitImages(m_layout, work, set));
    return {};
}

} // namespace berth::image
