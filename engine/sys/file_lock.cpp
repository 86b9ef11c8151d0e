#include "sys/file_lock.h"

#include "sys/fs.h"

#include <fcntl.h>
#include <sys/file.h>

namespace berth::sys {

Result<FileLock> FileLock::acquire(const std::filesystem::path& lockFile, Mode mode) {
    auto fd = BERTH_TRY(openFile(lockFile, O_RDWR | O_CREAT, 0600));
    int op = mode == Mode::Exclusive ? LOCK_EX : LOCK_SH;
    while (::flock(fd.get(), op) < 0) {
        if (errno == EINTR) continue;
        return failErrno("flock `" + lockFile.string() + "`");
    }
    return FileLock(std::move(fd));
}

} // namespace berth::sys
