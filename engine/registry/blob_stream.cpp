#include "registry/blob_stream.h"

#include "sys/fs.h"

#include <fcntl.h>
#include <unistd.h>

namespace berth::registry {

void BlobStream::opened(const std::filesystem::path& file, uint64_t have) {
    {
        std::lock_guard lock(m_mutex);
        m_file = file;
        m_open = true;
        m_have = have;
    }
    m_cv.notify_all();
}

void BlobStream::written(uint64_t have) {
    {
        std::lock_guard lock(m_mutex);
        m_have = have;
    }
    m_cv.notify_all();
}

void BlobStream::restarted() {
    {
        std::lock_guard lock(m_mutex);
        ++m_generation;
        m_have = 0;
    }
    m_cv.notify_all();
}

void BlobStream::completed(const std::filesystem::path& file, uint64_t size) {
    {
        std::lock_guard lock(m_mutex);
        m_file = file;
        m_open = true;
        m_have = size;
        m_complete = true;
    }
    m_cv.notify_all();
}

void BlobStream::aborted(const Error& why) {
    {
        std::lock_guard lock(m_mutex);
        if (!m_complete && !m_abort) m_abort = why;
    }
    m_cv.notify_all();
}

Result<std::filesystem::path> BlobStream::waitCompleted() {
    std::unique_lock lock(m_mutex);
    m_cv.wait(lock, [&] { return m_complete || m_abort; });
    if (m_complete) return m_file;
    return fail(*m_abort);
}

bool BlobStream::Reader::outdated() const {
    std::lock_guard lock(m_s.m_mutex);
    return m_restarted || (m_fd && m_s.m_generation != m_generation);
}

Result<size_t> BlobStream::Reader::read(void* buf, size_t len) {
    uint64_t avail = 0;
    {
        std::unique_lock lock(m_s.m_mutex);
        if (!m_fd) {
            m_s.m_cv.wait(lock, [&] { return m_s.m_open || m_s.m_abort; });
            if (m_s.m_abort && !m_s.m_complete) return fail(*m_s.m_abort);
            m_fd = BERTH_TRY(sys::openFile(m_s.m_file, O_RDONLY));
            m_generation = m_s.m_generation;
        }
        m_s.m_cv.wait(lock, [&] {
            return m_s.m_have > m_pos || m_s.m_complete || m_s.m_abort || m_s.m_generation != m_generation;
        });
        if (m_s.m_generation != m_generation) {
            m_restarted = true;
            return fail(Errc::Conflict, "the download started over");
        }
        if (m_s.m_abort && !m_s.m_complete) return fail(*m_s.m_abort);
        avail = m_s.m_have - m_pos;
        if (avail == 0) return size_t(0);  // complete: the end of the verified blob
    }
    size_t want = size_t(std::min<uint64_t>(avail, len));
    ssize_t n;
    do n = ::pread(m_fd.get(), buf, want, off_t(m_pos));
    while (n < 0 && errno == EINTR);
    if (n < 0) return failErrno("read the downloading blob");
    // A restart truncates the file under us: what this read returned may be from either
    // version of the file, so it counts only when no restart happened meanwhile.
    {
        std::lock_guard lock(m_s.m_mutex);
        if (m_s.m_generation != m_generation || n == 0) {
            m_restarted = true;
            return fail(Errc::Conflict, "the download started over");
        }
    }
    m_pos += uint64_t(n);
    return size_t(n);
}

} // namespace berth::registry
