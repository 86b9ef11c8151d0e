#pragma once
// FileLock: an flock(2) on a lock file, held while the object lives. Every store mutation
// takes the store's lock exclusively, so the GUI and any number of CLIs can share one store.

#include "sys/error.h"
#include "sys/unique_fd.h"

#include <filesystem>

namespace berth::sys {

class FileLock {
public:
    enum class Mode { Shared, Exclusive };
    static Result<FileLock> acquire(const std::filesystem::path& lockFile, Mode mode);
    FileLock(FileLock&&) = default;
    FileLock& operator=(FileLock&&) = default;

private:
    explicit FileLock(UniqueFd fd) : m_fd(std::move(fd)) {}
    UniqueFd m_fd;  // closing the fd releases the lock
};

} // namespace berth::sys
