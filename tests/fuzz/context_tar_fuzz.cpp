// Fuzz target `context_tar`: a build context sent as a tar archive (`berth build - < ctx.tar`,
// any compression libarchive reads) unpacked by build/build_context.h into an empty
// directory. Property: nothing is written outside that directory (sandbox.h checks after
// every input).

#include "fuzz_target.h"
#include "sandbox.h"
#include "tar_mutator.h"

#include "build/build_context.h"

#include <sys/mman.h>
#include <unistd.h>

using namespace berth;

BERTH_FUZZ_TAR_MUTATOR

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto& box = fuzz::Sandbox::get();
    const auto& dest = box.freshDest();
    int fd = ::memfd_create("context.tar", MFD_CLOEXEC);
    FUZZ_CHECK(fd >= 0, "memfd_create");
    FUZZ_CHECK(::write(fd, data, size) == ssize_t(size) && ::lseek(fd, 0, SEEK_SET) == 0, "fill the memfd");
    auto unpacked = build::unpackContextArchive(fd, dest);
    ::close(fd);
    if (!unpacked) FUZZ_CHECK(!unpacked.error().message().empty(), "an error without a message");
    box.check("context unpack");
    return 0;
}
