// docker cp's host side at the front door (berth/host_copy.h): the container archive code
// with the host's "/" as the root for a tar out, and the destination directory as the root
// for a tar in, so that nothing a tar names can leave that directory.
#include "berth/host_copy.h"

#include "container/container_archive.h"
#include "sys/unique_fd.h"

#include <fcntl.h>
#include <unistd.h>

namespace berth {

VoidResult writeHostTar(const std::string& path, const std::string& name, int outFd) {
    sys::UniqueFd root(::open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!root) return failErrno("open /");
    return container::writePathTar(root.get(), path, name, outFd);
}

VoidResult extractHostTar(const std::string& dir, int inFd, const HostExtractOptions& options) {
    sys::UniqueFd root(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!root) return failErrno("open " + dir);
    container::ExtractOptions o;
    o.noOverwriteDirNonDir = true;
    o.keepOwners = false;
    o.ownerUid = ::getuid();
    o.ownerGid = ::getgid();
    o.renameFrom = options.renameFrom;
    o.renameTo = options.renameTo;
    auto done = container::extractTar(root.get(), "/", inFd, o);
    if (!done) return fail(done.error().withContext("copy into " + dir));
    return {};
}

} // namespace berth
