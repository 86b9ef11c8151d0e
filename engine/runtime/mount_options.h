#pragma once
// Docker/fstab-style mount options ("ro", "nosuid", "size=64m", "rbind", "rprivate"...)
// split into mount(2) flags, propagation and the data string handed to the file system.

#include "sys/error.h"

#include <string>
#include <vector>

namespace berth::runtime {

struct MountOptions {
    unsigned long flags = 0;        // MS_RDONLY, MS_NOSUID...
    unsigned long propagation = 0;  // MS_PRIVATE / MS_SLAVE / MS_SHARED (| MS_REC)
    bool recursiveBind = true;      // "bind" = non recursive, default/"rbind" = recursive
    std::string data;               // the rest, comma-separated ("size=64m,mode=1777")
};

// Unknown "key=value" and unknown words go to data (the file system judges them); an
// empty option or one with a comma inside is an InvalidArgument error.
Result<MountOptions> parseMountOptions(const std::vector<std::string>& options);

} // namespace berth::runtime
